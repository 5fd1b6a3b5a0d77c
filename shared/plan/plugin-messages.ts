// Messages between the plugin's UI iframe (which holds the socket and the grid) and its main
// thread (which owns figma.variables). Both sides import these types, so they cannot drift.

import type { Grid } from '../protocol/grid';
import type { PairingLink } from '../protocol/pairing-code';
import type { ApplyCounts, Position, Problem } from '../protocol/messages';
import type { Orphan, PlanOpName } from '../sheet/model';

export interface PluginSettings {
  /** Live updates paused: the UI keeps the socket and the grid but does not send it to be applied. */
  paused: boolean;
  /** Review mode: the main thread plans, shows the pending changes and applies them on approval. */
  review: boolean;
}

/**
 * What an `apply` says besides its grid. `at` is when the sheet edit was handled. `hash` is the relay's
 * canonical hash of the grid (checked by the window), so the main thread can cache the grid and a later
 * window can check it again; `snapshot` says a snapshot replaced the grid since the previous apply (the
 * main thread then caches it at once rather than after a quiet spell).
 */
export interface ApplyHeader {
  position: Position;
  hash?: string;
  snapshot?: boolean;
  at?: number;
  title?: string;
}

/**
 * The grid of an `apply`: the channel's whole state at `position`. The window sends `gridText`, the
 * grid's transfer text (`gridText` in grid-text.ts; not what the canonical hash hashes),
 * because one string crosses into the main thread far cheaper than the thousands of small arrays of a
 * grid, which the receiver must rebuild one by one. `grid` carries the same grid as an object, for
 * senders that hold one (tests, tools).
 */
export type ApplyGrid = { gridText: string } | { grid: Grid };

/**
 * Which sheet a file is linked to, without the subscribe token: kept where any plugin id can read it, so
 * a plugin that cannot read the saved pairing code (a new plugin id) can ask for that sheet's code again.
 */
export interface LinkHint {
  relayUrl: string;
  channelId: string;
  /** The spreadsheet's title, once a change carried it. */
  title?: string;
}

/** One step of the plugin's Diagnostics: what was tried, how it went, how long it took. Nothing secret. */
export interface DiagnosticStep {
  /** Stable id: manifest, socket, token (the window's); variables, document, write, modes, drift (the main thread's). */
  id: string;
  title: string;
  result: 'ok' | 'warning' | 'failed' | 'skipped';
  /** Milliseconds the step took, when it was timed. */
  ms?: number;
  /** What was found, in a sentence or two (Figma's own words when it refused something). */
  detail: string;
}

/** UI → main thread. */
export type UiToMain =
  | { type: 'ui-ready' }
  | { type: 'link-save'; link: PairingLink }
  | { type: 'link-clear' }
  /** Apply this grid. */
  | ({ type: 'apply' } & ApplyHeader & ApplyGrid)
  | { type: 'approve-pending' }
  | { type: 'discard-pending' }
  | { type: 'remove-orphans'; variableIds: string[] }
  | { type: 'settings'; settings: PluginSettings }
  /** Put back the drift shown for review (a `drift` in state 'review'). */
  | { type: 'approve-drift' }
  /** Leave the drift shown for review as it is until the sheet changes again. */
  | { type: 'dismiss-drift' }
  /** Run the main thread's diagnostic steps (answered by `diagnosis`). */
  | { type: 'diagnose' }
  /** Export the file's local collections (these, or all) to sheet tabs (answered by `export`). */
  | { type: 'export-request'; collectionIds?: string[] }
  /** The designer sent, copied or downloaded these collections as sheet tabs: the file records it, so the sync adopts them without asking. */
  | { type: 'exported'; collectionIds: string[] }
  /** Adopt these collections (waiting in an `applied`'s `adoptions`); the window then applies its grid again. */
  | { type: 'adopt'; collectionIds: string[] }
  /** Leave these collections as they are (the tabs stay unsynced until adopted). */
  | { type: 'decline-adoption'; collectionIds: string[] };

/** A short description of pending changes for review mode. */
export interface PlanSummary {
  total: number;
  byOp: Partial<Record<PlanOpName, number>>;
  /** Human lines such as "color/brand/primary (Light): #0055ff → #0066ff", at most a few hundred. */
  lines: string[];
}

/** One local collection the designer can choose to export. */
export interface ExportChoice {
  collectionId: string;
  name: string;
  /** Variables Figma holds in it. */
  variables: number;
  selected: boolean;
}

/** An exported collection as the window lists it (its rows are in the offer text). */
export interface ExportedCollection {
  collectionId: string;
  name: string;
  modes: string[];
  /** Rows in its tab (variables the sheet can carry). */
  variables: number;
}

/**
 * A tab waiting to adopt the collection of its name (Adoption in shared/sheet/model.ts), as the window shows
 * it: "Colors: adopt 118 existing variables, create 4, 7 values will change to the sheet's, 2 variables
 * exist only in Figma and stay untouched", with the changes listed and the rows refused.
 */
export interface AdoptionView {
  collectionId: string;
  tab: string;
  adopted: number;
  created: number;
  valuesChanged: number;
  detailsChanged: number;
  /** The first few variables only in Figma, by name (all are counted in figmaOnlyCount). */
  figmaOnly: string[];
  figmaOnlyCount: number;
  typeDiffers: number;
  modesAdded: string[];
  modesKept: string[];
  /** What adopting writes, as review mode words it (at most a few hundred lines). */
  lines: string[];
  /** What adopting would report (TYPE_DIFFERS, …). */
  problems: Problem[];
  /** The designer chose "Not now" in this session. */
  declined: boolean;
}

/** A collection this apply adopted: "Colors: adopted 122 variables, 0 values changed". */
export interface AdoptedView {
  collectionId: string;
  tab: string;
  adopted: number;
  created: number;
  valuesChanged: number;
  detailsChanged: number;
  figmaOnlyCount: number;
  modesKept: string[];
  /** Adopted without asking, because this file exported the collection to the sheet. */
  exported: boolean;
}

/** The channel's grid at `position` as this person's machine last cached it, with the relay's hash for it. */
export interface CachedGrid {
  position: Position;
  hash: string;
  grid: Grid;
}

/** Main thread → UI. */
export type MainToUi =
  | {
      type: 'init';
      link?: PairingLink;
      /** Only without a readable link: the sheet this file was linked to (a new plugin id cannot read the old link). */
      linkHint?: LinkHint;
      /** The last applied position, stored in the document so any collaborator resumes from it. */
      position?: Position;
      /**
       * The channel's grid cached on this machine (figma.clientStorage) for this file and link, when there
       * is one: the window resumes from it with the missed patches instead of asking for a snapshot.
       */
      cached?: CachedGrid;
      fileName: string;
      settings: PluginSettings;
      orphans: Orphan[];
    }
  | { type: 'progress'; position: Position; done: number; total: number }
  | { type: 'pending'; position: Position; summary: PlanSummary }
  | {
      type: 'applied';
      position: Position;
      counts: ApplyCounts;
      /** Problems from the sheet (mapper) and from Figma (refusals), each with its cell. */
      problems: Problem[];
      orphans: Orphan[];
      /** Main-thread time spent applying (ms). */
      durationMs: number;
      at?: number;
      /** Tabs waiting to adopt a collection of their name (none: absent). */
      adoptions?: AdoptionView[];
      /** Collections this apply adopted. */
      adopted?: AdoptedView[];
    }
  | { type: 'orphans-removed'; removed: number; orphans: Orphan[] }
  /**
   * The file differs from the sheet's last applied state (an undo, a hand edit or a collaborator's edit
   * in Figma, found by re-reading it). 'reset': put back to the sheet's values, as `summary` lists;
   * 'review': waiting for approve-drift or dismiss-drift (review mode); 'noticed': not put back because
   * live updates are paused; 'none': what was shown before is no longer there.
   */
  | { type: 'drift'; state: 'reset' | 'review' | 'noticed' | 'none'; summary: PlanSummary; problems: Problem[]; orphans: Orphan[] }
  | { type: 'error'; message: string }
  /** The main thread's diagnostic steps, and facts about the editor (API version, editor type). */
  | { type: 'diagnosis'; steps: DiagnosticStep[]; facts: Record<string, string> }
  /**
   * The file's collections as sheet tabs: `offerText` is the JSON text of an Offer (shared/protocol/messages.ts)
   * of the chosen collections, ready to send to the relay (or to turn into TSV or CSV); `collections`
   * and `problems` are what it holds, for the window to list.
   */
  | { type: 'export'; choices: ExportChoice[]; collections: ExportedCollection[]; problems: Problem[]; problemCount: number; offerText: string };
