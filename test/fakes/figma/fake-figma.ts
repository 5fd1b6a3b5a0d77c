// The fake `figma` for main-thread tests and the bench: variables (fake-variables.ts), the UI channel,
// clientStorage (fake-client-storage.ts), the document root's name and plugin data, private and shared
// (fake-plugin-data.ts), the running plugin's id (changePluginId: what publishing does), commitUndo,
// nodes with bound variables, a virtual clock that advances by Figma-like per-call costs, and a
// counting call log. Which documented behaviour each part models, and its source: SOURCES.md.

import type { MessageEventHandler, VariableAlias } from '@figma/plugin-typings/plugin-api-standalone';
import type { MainToUi, UiToMain } from '../../../shared/plan/plugin-messages';
import { CallLog, FIGMA_LIKE_COSTS, VirtualClock, type CallCosts } from './call-log';
import { FakeClientStorage } from './fake-client-storage';
import { FakePluginData } from './fake-plugin-data';
import { FakeFile, FakeVariable, FakeVariablesApi, type FileSnapshot } from './fake-variables';

export interface FakeFigmaOptions {
  /** Modes per collection the file's plan allows (Professional: 10). */
  modeLimit?: number;
  fileName?: string;
  /** Virtual cost of each call in ms. */
  costs?: CallCosts;
  /** Keep an ordered trace of calls and marks. */
  trace?: boolean;
  /** clientStorage's quota in bytes (Figma: 5 MB). */
  clientStorageQuota?: number;
  /** Keep the file's state at each commitUndo, so `undo()` can take the last step back. */
  undoHistory?: boolean;
}

/** A node with variables bound to its fields, as Figma keeps them (an alias by variable id). */
export class FakeNode {
  readonly boundVariables: Record<string, VariableAlias> = {};
  constructor(readonly id: string) {}
  setBoundVariable(field: string, variable: FakeVariable | null): void {
    if (variable === null) delete this.boundVariables[field];
    else this.boundVariables[field] = { type: 'VARIABLE_ALIAS', id: variable.id };
  }
}

class FakeUi {
  /** Messages the main thread posted, as the iframe would receive them (structured clones). */
  readonly sent: MainToUi[] = [];
  onmessage: MessageEventHandler | undefined;
  postMessage(message: unknown): void {
    this.sent.push(structuredClone(message) as MainToUi);
  }
  /** The iframe posts a message to the main thread. */
  deliver(message: UiToMain | Record<string, unknown>): void {
    if (!this.onmessage) throw new Error('the main thread has not set figma.ui.onmessage');
    this.onmessage(structuredClone(message), { origin: 'null' });
  }
  ofType<T extends MainToUi['type']>(type: T): Extract<MainToUi, { type: T }>[] {
    return this.sent.filter((m): m is Extract<MainToUi, { type: T }> => m.type === type);
  }
  last<T extends MainToUi['type']>(type: T): Extract<MainToUi, { type: T }> {
    const list = this.ofType(type);
    const message = list[list.length - 1];
    if (!message) throw new Error(`no "${type}" message was posted; posted: ${this.sent.map((m) => m.type).join(', ')}`);
    return message;
  }
}

export function createFakeFigma(options: FakeFigmaOptions = {}) {
  const clock = new VirtualClock();
  const log = new CallLog(clock, options.costs ?? FIGMA_LIKE_COSTS);
  if (options.trace) log.trace = [];
  const file = new FakeFile(log, options.modeLimit ?? 10);
  const variables = new FakeVariablesApi(file);
  const ui = new FakeUi();
  const clientStorage = new FakeClientStorage(log, options.clientStorageQuota, file.plugin);
  const rootData = new FakePluginData(file.plugin);
  let yields = 0;
  let undoCommits = 0;
  /** The file at each commit point, oldest first (with undoHistory). */
  const history: FileSnapshot[] = options.undoHistory ? [file.capture()] : [];
  let nodeSeq = 0;

  const root = {
    name: options.fileName ?? 'Design system',
    getPluginData(key: string): string {
      log.record('root.getPluginData', 'read');
      return rootData.get(key);
    },
    setPluginData(key: string, value: string): void {
      log.record('root.setPluginData', 'write');
      rootData.set(key, value);
    },
    getSharedPluginData(namespace: string, key: string): string {
      log.record('root.getSharedPluginData', 'read');
      return rootData.getShared(namespace, key);
    },
    setSharedPluginData(namespace: string, key: string, value: string): void {
      log.record('root.setSharedPluginData', 'write');
      rootData.setShared(namespace, key, value);
    },
  };

  const closeHandlers: (() => void)[] = [];
  const figma = {
    /** figma.apiVersion and figma.editorType as the manifest asks for them (api 1.0.0, the figma editor). */
    apiVersion: '1.0.0' as const,
    editorType: 'figma' as const,
    variables,
    ui,
    clientStorage,
    root,
    /** figma.on: only 'close' is modelled ("the plugin is about to close", ArgFreeEventType in the typings). */
    on(event: 'close', handler: () => void): void {
      if (event !== 'close') throw new Error(`the fake models figma.on('close') only, not '${String(event)}'`);
      closeHandlers.push(handler);
    },
    commitUndo(): void {
      undoCommits++;
      log.mark('commitUndo');
      if (options.undoHistory) history.push(file.capture());
    },
  };

  /** The scheduler the plugin runs on: the virtual clock, and yields that are counted and traced. */
  const scheduler = {
    now: () => clock.now(),
    async yieldToEditor(): Promise<void> {
      yields++;
      log.mark('yield');
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };

  return {
    figma,
    variables,
    file,
    ui,
    log,
    clock,
    scheduler,
    /** clientStorage contents of the running plugin id (per person). */
    get storage() {
      return clientStorage.data;
    },
    clientStorage,
    /** The document root's private plugin data of the running plugin id (shared with collaborators, not with other plugins). */
    get rootData() {
      return rootData.privateEntries();
    },
    /** The document root's shared plugin data in a namespace (readable by every plugin). */
    rootShared(namespace: string): Map<string, string> {
      return rootData.sharedEntries(namespace);
    },
    /** The running plugin's id. */
    get pluginId() {
      return file.plugin.id;
    },
    /**
     * Runs the plugin under another id from now on, as publishing does ("This ID will be assigned to
     * you by Figma"): private plugin data and clientStorage written under the old id become unreadable.
     */
    changePluginId(id: string): void {
      file.plugin.id = id;
    },
    get yields() {
      return yields;
    },
    get undoCommits() {
      return undoCommits;
    },
    createNode(): FakeNode {
      nodeSeq++;
      return new FakeNode(`1:${1000 + nodeSeq}`);
    },
    /** The designer closes the plugin: figma.on('close') handlers run. */
    closePlugin(): void {
      for (const handler of closeHandlers.splice(0)) handler();
    },
    /**
     * A designer presses undo in Figma: the last committed step is taken back (figma.commitUndo marks
     * the steps; with undoHistory). The plugin is not told.
     */
    undo(): void {
      if (!options.undoHistory) throw new Error('undo needs createFakeFigma({ undoHistory: true })');
      if (history.length < 2) throw new Error('nothing to undo');
      history.pop();
      file.restore(history[history.length - 1]!);
    },
    /** Local collections by name, uncounted (for assertions). */
    collectionNamed(name: string) {
      return [...file.collections.values()].find((c) => c.nameRaw === name && !c.remoteValue);
    },
    /** Variables of a collection by name, uncounted. */
    variablesIn(collectionName: string): FakeVariable[] {
      const collection = [...file.collections.values()].find((c) => c.nameRaw === collectionName);
      return collection ? file.membersOf(collection.id) : [];
    },
    variableNamed(collectionName: string, name: string): FakeVariable | undefined {
      return this.variablesIn(collectionName).find((v) => v.nameRaw === name);
    },
  };
}

export type FakeFigma = ReturnType<typeof createFakeFigma>;
