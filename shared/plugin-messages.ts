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

/** UI → main thread. */
export type UiToMain =
  | { type: 'ui-ready' }
  | { type: 'link-save'; link: PairingLink }
  | { type: 'link-clear' }
  /** Apply this grid (the channel's whole state at `position`). `at` is when the sheet edit was handled. */
  | { type: 'apply'; position: Position; grid: Grid; at?: number; title?: string }
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

/** Main thread → UI. */
export type MainToUi =
  | {
      type: 'init';
      link?: PairingLink;
      /** The last applied position, stored in the document so any collaborator resumes from it. */
      position?: Position;
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
