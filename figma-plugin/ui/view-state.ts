// Everything the plugin window shows, as plain data: the controller fills it, render draws it.

import type { PairingLink } from '../../shared/pairing-code';
import type { DiagnosticStep, LinkHint, PlanSummary, PluginSettings } from '../../shared/plugin-messages';
import type { ApplyCounts, Position, Problem } from '../../shared/protocol';
import type { Orphan } from '../../shared/model';
import type { Transition } from './connection';

export interface LastApply {
  seq: number;
  /** Unix ms when the main thread's answer arrived. */
  at: number;
  /** From the sheet edit to this apply, when the change said when the edit was handled. */
  delayMs?: number;
  counts: ApplyCounts;
  /** Main-thread time spent applying. */
  durationMs: number;
}

export interface ViewState {
  /** `starting` until the main thread's init arrives. */
  screen: 'starting' | 'pairing' | 'connected';
  /** The Figma file's name. */
  fileName: string;
  link?: PairingLink;
  /** The pairing code being typed or pasted. */
  draft: string;
  /** Why the pasted pairing code cannot be used, shown under the field. */
  pairingError?: string;
  connection?: Transition;
  settings: PluginSettings;
  /** The spreadsheet's title. */
  title?: string;
  lastApply?: LastApply;
  /** Newer changes are held back (paused, or the main thread is busy). */
  unapplied: boolean;
  problems: Problem[];
  orphans: Orphan[];
  /** Orphans being removed (buttons disabled until the main thread answers). */
  removing: boolean;
  /** Review mode: changes waiting for Apply or Discard. */
  pending?: { position: Position; summary: PlanSummary };
  /** A long apply under way. */
  progress?: { done: number; total: number };
  /** The main thread's last failure, in its words. */
  mainError?: string;
  /** Without a readable link: the sheet the file was linked to (the plugin's id changed), to pair again. */
  linkHint?: LinkHint;
  /** What changed in Figma and differs from the sheet: put back ('reset'), waiting ('review'), or left while paused ('noticed'). */
  drift?: { state: 'reset' | 'review' | 'noticed'; summary: PlanSummary; problems: Problem[] };
  /** The Diagnostics view, while open: its steps so far and, once all ran, the copyable report. */
  diagnostics?: { running: boolean; steps: DiagnosticStep[]; report?: string; copied?: 'copied' | 'select' };
  /** Unix ms the view was drawn at (drives the countdown). */
  now: number;
}

export const initialView = (now: number): ViewState => ({
  screen: 'starting',
  fileName: '',
  draft: '',
  settings: { paused: false, review: false },
  unapplied: false,
  problems: [],
  orphans: [],
  removing: false,
  now,
});
