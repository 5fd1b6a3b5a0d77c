// The sidebar's view model: everything the sidebar shows, as plain JSON (google.script.run passes
// it over). Built from the document's state, the tabs, the relay's status and the mapper's
// problems. It never holds the secret: the pairing code carries only a token derived from it.

import type { ChannelStatus, Problem } from '../../shared/protocol';
import type { DocState } from './doc-state';
import { pendingCount } from './outbox';

export type StatusKind = 'not-connected' | 'live' | 'paused' | 'queued' | 'error' | 'reauthorize';

export interface SidebarTab {
  tabId: number;
  name: string;
  synced: boolean;
  /** Row 1 has a Name header, so the tab syncs by default. */
  hasNameHeader: boolean;
}

export interface SidebarFile {
  id: string;
  name: string;
  connectedAt: number;
  appliedSeq?: number;
  appliedAt?: number;
  /** Changes the file has yet to apply (channel seq − applied seq). */
  behind?: number;
  errorCount: number;
}

export interface SidebarProblem {
  source: 'sheet' | 'figma';
  /** The Figma file that reported it. */
  file?: string;
  tab: string;
  cell: string;
  severity: 'error' | 'warning';
  message: string;
  code?: string;
}

export interface SidebarStatus {
  kind: StatusKind;
  /** One line for a person: "Live", "Paused", "3 changes queued", the error's words. */
  text: string;
  queued: number;
  code?: string;
}

export interface SidebarState {
  connected: boolean;
  relayUrl: string;
  pairingCode?: string;
  tabsMode: 'auto' | 'chosen';
  tabs: SidebarTab[];
  status: SidebarStatus;
  lastPushAt?: number;
  seq?: number;
  /** This user has no edit/change trigger in the document (Connect again creates them). */
  triggersMissing: boolean;
  reauthorizeUrl?: string;
  /** Undefined until the relay's status was asked for. */
  files?: SidebarFile[];
  filesError?: string;
  problems: SidebarProblem[];
  /** Problems found in all, when more than are listed. */
  problemCount: number;
}

/** Most problems listed; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 200;

export function statusOf(state: DocState): SidebarStatus {
  const queued = pendingCount(state.outbox) + (state.wantSnapshot ? 1 : 0);
  if (!state.channel) return { kind: 'not-connected', text: 'Not connected', queued };
  if (state.reauth) return { kind: 'reauthorize', text: 'Re-authorization needed: edits are not sent until you approve the add-on again.', queued, code: 'REAUTHORIZATION_REQUIRED' };
  if (state.error?.stop) return { kind: 'error', text: state.error.message, queued, code: state.error.code };
  if (state.paused) return { kind: 'paused', text: 'Paused: edits are not sent. Resume sends the sheet as it is then.', queued };
  if (queued > 0) {
    const what = state.outbox.meta.snapshot && state.outbox.entries.size === 0 ? 'a snapshot' : `${queued} change${queued === 1 ? '' : 's'}`;
    const why = state.error ? ` (${state.error.message})` : '';
    return { kind: 'queued', text: `Queued: ${what} waiting for the relay${why}`, queued, ...(state.error ? { code: state.error.code } : {}) };
  }
  return { kind: 'live', text: 'Live', queued };
}

/** The Figma sessions connected now, as the relay lists them (a file open twice shows twice). */
export function filesOf(status: ChannelStatus): SidebarFile[] {
  return status.clients.map((c) => {
    const file: SidebarFile = { id: c.id, name: c.name ?? 'Unnamed Figma file', connectedAt: c.connectedAt, errorCount: c.errorCount };
    if (c.appliedSeq !== undefined) {
      file.appliedSeq = c.appliedSeq;
      file.behind = Math.max(0, status.seq - c.appliedSeq);
    }
    if (c.appliedAt !== undefined) file.appliedAt = c.appliedAt;
    return file;
  });
}

export interface SidebarInput {
  state: DocState;
  tabs: SidebarTab[];
  pairingCode?: string;
  triggersPresent: boolean;
  relay?: { status: ChannelStatus } | { error: string };
  sheetProblems: readonly Problem[];
}

export function buildSidebarState(input: SidebarInput): SidebarState {
  const { state } = input;
  const problems: SidebarProblem[] = input.sheetProblems.map((p) => ({ source: 'sheet', ...p }));
  const seen = new Set<string>();
  let files: SidebarFile[] | undefined;
  let filesError: string | undefined;
  if (input.relay && 'status' in input.relay) {
    files = filesOf(input.relay.status);
    for (const client of input.relay.status.clients) {
      for (const p of client.errors) {
        const key = JSON.stringify([client.name ?? '', p.tab, p.cell, p.message]);
        if (seen.has(key)) continue; // two sessions of one file report the same problems
        seen.add(key);
        problems.push({ source: 'figma', file: client.name ?? 'Unnamed Figma file', ...p });
      }
    }
  } else if (input.relay) {
    filesError = input.relay.error;
  }
  const view: SidebarState = {
    connected: !!state.channel,
    relayUrl: state.channel?.relayUrl ?? '',
    tabsMode: state.tabs?.mode ?? 'auto',
    tabs: input.tabs,
    status: statusOf(state),
    triggersMissing: !!state.channel && !input.triggersPresent,
    problems: problems.slice(0, MAX_LISTED_PROBLEMS),
    problemCount: problems.length,
  };
  if (input.pairingCode) view.pairingCode = input.pairingCode;
  if (state.last) {
    view.lastPushAt = state.last.at;
    view.seq = state.last.seq;
  }
  if (state.reauth?.url) view.reauthorizeUrl = state.reauth.url;
  if (files) view.files = files;
  if (filesError) view.filesError = filesError;
  return view;
}
