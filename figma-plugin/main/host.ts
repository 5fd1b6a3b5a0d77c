// The part of Figma's PluginAPI the main thread uses: `figma` satisfies it, and so does the test fake.

import type { ClientStorageAPI, DocumentNode, PluginAPI, UIAPI, Variable, VariableAlias, VariableCollection, VariableResolvedDataType } from '@figma/plugin-typings/plugin-api-standalone';

/** A variable as the sync reads and writes it (Figma's `Variable`, narrowed to what is used). */
export type HostVariable = Pick<
  Variable,
  | 'id'
  | 'name'
  | 'description'
  | 'hiddenFromPublishing'
  | 'remote'
  | 'variableCollectionId'
  | 'resolvedType'
  | 'valuesByMode'
  | 'scopes'
  | 'codeSyntax'
  | 'setValueForMode'
  | 'setVariableCodeSyntax'
  | 'removeVariableCodeSyntax'
  | 'remove'
  | 'getPluginData'
  | 'setPluginData'
  | 'getSharedPluginData'
  | 'setSharedPluginData'
>;

/** A variable collection as the sync reads and writes it. */
export type HostCollection = Pick<
  VariableCollection,
  'id' | 'name' | 'remote' | 'modes' | 'defaultModeId' | 'addMode' | 'renameMode' | 'removeMode' | 'remove' | 'getPluginData' | 'setPluginData' | 'getSharedPluginData' | 'setSharedPluginData'
>;

/**
 * figma.variables, only the …Async getters and the object (not id) overloads: with
 * `documentAccess: "dynamic-page"` the sync and id forms throw.
 */
export interface VariablesHost {
  getLocalVariableCollectionsAsync(): Promise<HostCollection[]>;
  getLocalVariablesAsync(): Promise<HostVariable[]>;
  createVariableCollection(name: string): HostCollection;
  createVariable(name: string, collection: HostCollection, resolvedType: VariableResolvedDataType): HostVariable;
  createVariableAlias(variable: HostVariable): VariableAlias;
}

/** `figma` satisfies it; the editor facts are optional so a test host may leave them out. */
export interface PluginHost extends Partial<Pick<PluginAPI, 'apiVersion' | 'editorType'>> {
  variables: VariablesHost;
  ui: Pick<UIAPI, 'postMessage' | 'onmessage'>;
  clientStorage: Pick<ClientStorageAPI, 'getAsync' | 'setAsync' | 'deleteAsync' | 'keysAsync'>;
  root: Pick<DocumentNode, 'name' | 'getPluginData' | 'setPluginData' | 'getSharedPluginData' | 'setSharedPluginData'>;
  commitUndo(): void;
}

/** How the main thread measures time and gives the editor a turn; tests pass a virtual clock. */
export interface Scheduler {
  /** Milliseconds; Date.now in Figma (the sandbox has no `performance`). */
  now(): number;
  /** Resolves after the editor has had a turn (setTimeout 0 in Figma). */
  yieldToEditor(): Promise<void>;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  yieldToEditor: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
};

/** Timers for work that waits on purpose (the grid cache's quiet spell); Figma's sandbox has both. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** Looked up at each call, so a test's fake timers apply even when installed after this module loaded. */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};
