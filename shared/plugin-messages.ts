// Messages between the plugin's UI iframe (which holds the socket and the grid) and its main
// thread (which owns figma.variables). Both sides import these types, so they cannot drift.

import type { Grid } from './grid';
import type { PairingLink } from './pairing-code';
import type { ApplyCounts, Position, Problem } from './protocol';
import type { Orphan, PlanOpName } from './model';

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
  | { type: 'settings'; settings: PluginSettings };

/** A short description of pending changes for review mode. */
export interface PlanSummary {
  total: number;
  byOp: Partial<Record<PlanOpName, number>>;
  /** Human lines such as "color/brand/primary (Light): #0055ff → #0066ff", at most a few hundred. */
  lines: string[];
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
    }
  | { type: 'orphans-removed'; removed: number; orphans: Orphan[] }
  | { type: 'error'; message: string };
