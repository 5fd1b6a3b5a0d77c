// Everything the plugin window shows, as plain data: the controller fills it, render draws it.

import type { PairingLink } from '../../shared/protocol/pairing-code';
import type { AdoptedView, AdoptionView, DiagnosticStep, ExportChoice, ExportedCollection, LinkHint, PlanSummary, PluginSettings } from '../../shared/plan/plugin-messages';
import type { ApplyCounts, Position, Problem } from '../../shared/protocol/messages';
import type { Orphan } from '../../shared/sheet/model';
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

/** The export view ("Send this file's variables to the sheet"), while open. */
export interface ExportViewState {
  /** The main thread is reading the file and making the tabs. */
  loading: boolean;
  choices: ExportChoice[];
  collections: ExportedCollection[];
  problems: Problem[];
  problemCount: number;
  /** The offer's JSON text (shared/protocol/messages.ts Offer) and its size in bytes. */
  offerText?: string;
  bytes?: number;
  /** Sending it to the relay, and the relay's answer. */
  send?: { id: string; state: 'sending' | 'offered' | 'refused' | 'lost'; parts: number; expiresAt?: number; code?: string; message?: string };
  /** The last copy (TSV) or download (CSV) of a tab, and how it went. */
  copied?: { collectionId: string; how: 'copied' | 'select' | 'downloaded' };
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
  /** Tabs waiting to adopt the collection of their name (from the last apply). */
  adoptions: AdoptionView[];
  /** Collections the designer chose to adopt, until the apply that adopts them is in. */
  adopting?: string[];
  /** What the last apply adopted ("Colors: adopted 122 variables, 0 values changed"), until dismissed. */
  adopted?: AdoptedView[];
  exporting?: ExportViewState;
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
  adoptions: [],
  now,
});
