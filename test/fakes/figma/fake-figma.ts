// The fake `figma` for main-thread tests and the bench: variables (fake-variables.ts), the UI channel,
// clientStorage (fake-client-storage.ts), the document root's name and plugin data, commitUndo, nodes with bound variables,
// a virtual clock that advances by Figma-like per-call costs, and a counting call log.

import type { MessageEventHandler, VariableAlias } from '@figma/plugin-typings/plugin-api-standalone';
import type { MainToUi, UiToMain } from '../../../shared/plugin-messages';
import { CallLog, FIGMA_LIKE_COSTS, VirtualClock, type CallCosts } from './call-log';
import { FakeClientStorage } from './fake-client-storage';
import { FakeFile, FakeVariable, FakeVariablesApi } from './fake-variables';

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
  const clientStorage = new FakeClientStorage(log, options.clientStorageQuota);
  const rootData = new Map<string, string>();
  let yields = 0;
  let undoCommits = 0;
  let nodeSeq = 0;

  const root = {
    name: options.fileName ?? 'Design system',
    getPluginData(key: string): string {
      log.record('root.getPluginData', 'read');
      return rootData.get(key) ?? '';
    },
    setPluginData(key: string, value: string): void {
      log.record('root.setPluginData', 'write');
      if (value === '') rootData.delete(key);
      else rootData.set(key, value);
    },
  };

  const figma = {
    variables,
    ui,
    clientStorage,
    root,
    commitUndo(): void {
      undoCommits++;
      log.mark('commitUndo');
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
    /** clientStorage contents (per person). */
    storage: clientStorage.data,
    clientStorage,
    /** Root plugin data (shared with collaborators). */
    rootData,
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
