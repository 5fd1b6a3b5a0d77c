// What the host page offers on `window.sheetsDemo`: the demo uses it to show the plugin working;
// end-to-end tests drive it through Playwright (open and close the plugin, read the Figma fake,
// bind a node to a variable). Types only, shared by the page and the tests.

import type { Orphan } from '../../shared/sheet/model';
import type { MainToUi } from '../../shared/plan/plugin-messages';
import type { FileModel, FoundVariable } from '../../test/helpers/e2e-file-model';
import type { SeedCollection } from '../../test/fakes/figma/existing-file';

export type AppliedMessage = Extract<MainToUi, { type: 'applied' }>;

/** One `applied` the main thread posted, with the page's clock when it did. */
export interface AppliedRecord {
  epoch: string;
  seq: number;
  /** When the sheet's edit was handled (the change's `at`), if the change carried it. */
  at?: number;
  /** Date.now() in the page when the main thread posted `applied`. */
  postedAt: number;
  /** Date.now() in the page when the window handed the main thread the `apply` for this seq. */
  applyReceivedAt?: number;
  created: number;
  updated: number;
  /** Main-thread time the apply took, as the main thread reports it (mapping, planning, writing). */
  durationMs: number;
  problems: number;
  orphans: number;
}

export interface PageApi {
  /** Opens the plugin: a new window (ui.html) and a new main thread on the same file; `allowDownloads` lets the window save files. */
  openPlugin(options?: { allowDownloads?: boolean }): void;
  /** Closes the plugin window and its main thread (the file keeps its variables and plugin data). */
  closePlugin(): void;
  isOpen(): boolean;
  /** The file's variables as a model; `exceptOrphans` leaves out the variables listed as orphans. */
  model(exceptOrphans?: boolean): FileModel;
  variables(): FoundVariable[];
  /** Every `applied` posted since the page loaded, in order (all sessions). */
  applied(): AppliedRecord[];
  /** The last `applied` of the open session, whole. */
  lastApplied(): AppliedMessage | undefined;
  /** The orphans the main thread listed last. */
  orphans(): Orphan[];
  /** Messages the open session's main thread posted, in order. */
  posted(): MainToUi[];
  /** Creates a node with `fills` bound to the variable; undefined when there is no such variable. */
  bindNode(collection: string, name: string): { nodeId: string; variableId: string } | undefined;
  /** The variable id the node's `fills` is bound to. */
  boundVariable(nodeId: string): string | undefined;
  /** Stores a pairing link in the file, as a collaborator's earlier pairing would have. */
  seedLink(link: { relayUrl: string; channelId: string; token: string }): void;
  /** Calls to figma.variables that wrote something, since the page loaded. */
  variableWrites(): number;
  /** Makes collections and variables as a team made them by hand, before the sync (none of its marks). */
  seedExisting(spec: SeedCollection[]): void;
  /** Local collections of this name in the file (2 or more is a twin). */
  collectionsNamed(name: string): number;
  /** The value a node's bound `fills` variable has in a mode (by name), aliases followed. */
  boundValue(nodeId: string, mode: string): unknown;
}

declare global {
  interface Window {
    sheetsDemo: PageApi;
  }
}
