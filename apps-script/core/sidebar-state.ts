// The sidebar's view model: everything the sidebar shows, as plain JSON (google.script.run passes
// it over). Built from the document's state, the tabs, the relay's status and the mapper's
// problems. It never holds the secret: the pairing code carries only a token derived from it.

import type { ChannelStatus, Problem } from '../../shared/protocol/messages';
import type { SidebarOffer } from './offer-import';
import type { DocState } from './doc-state';
import { pendingCount } from './outbox';
import { TRIGGERS_PER_DOCUMENT, TRIGGERS_PER_USER_LIMIT } from './trigger-handlers';

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
  /** This user must approve the add-on again (authorization is per user): the link that does it. */
  reauthorizeUrl?: string;
  /** Other connected users whose triggers stopped until they approve the add-on again. */
  othersNeedReauthorization: number;
  /** This user's triggers and the document's connected users, with a warning near Apps Script's limits. */
  triggers?: TriggerBudget;
  /** Undefined until the relay's status was asked for. */
  files?: SidebarFile[];
  /** Figma files' variables offered to this sheet (newest first), from the relay's status. */
  offers?: SidebarOffer[];
  filesError?: string;
  problems: SidebarProblem[];
  /** Problems found in all, when more than are listed. */
  problemCount: number;
}

export interface TriggerBudget {
  /** This user's triggers of the add-on in this document (3 when connected). */
  here: number;
  /** This user's triggers of the add-on in every document (Apps Script allows 20). */
  total: number;
  limit: number;
  /** People who connected from this document: each one's triggers run for every edit. */
  connectedUsers: number;
  warning?: string;
}

/** Connected users from which the sidebar warns that every edit costs each of them trigger time. */
export const MANY_CONNECTED_USERS = 3;

/** The trigger figures with a warning when this user nears the 20-trigger limit or many people hold triggers here. */
export function triggerBudget(here: number, total: number, connectedUsers: number): TriggerBudget {
  const budget: TriggerBudget = { here, total, limit: TRIGGERS_PER_USER_LIMIT, connectedUsers };
  const room = TRIGGERS_PER_USER_LIMIT - total;
  if (room < TRIGGERS_PER_DOCUMENT) {
    budget.warning = `You have ${total} of the ${TRIGGERS_PER_USER_LIMIT} triggers Apps Script allows you for this add-on (${TRIGGERS_PER_DOCUMENT} per connected document), so ${room <= 0 ? 'no other document can be connected from your account' : 'connecting another document would fail'}. Disconnect documents you no longer sync, or let a collaborator connect this one.`;
  } else if (connectedUsers >= MANY_CONNECTED_USERS) {
    budget.warning = `${connectedUsers} people connected this document: every edit runs each one's triggers, billed to their daily trigger time (90 min for consumer accounts, 6 h for Workspace). One connected person is enough; the others can Disconnect.`;
  }
  return budget;
}

/** Most problems listed; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 200;

/** The status line; `reauthorizeUrl` is set when this user must approve the add-on again. */
export function statusOf(state: DocState, reauthorizeUrl?: string): SidebarStatus {
  const queued = pendingCount(state.outbox) + (state.wantSnapshot ? 1 : 0);
  if (!state.channel) return { kind: 'not-connected', text: 'Not connected', queued };
  if (reauthorizeUrl !== undefined) return { kind: 'reauthorize', text: 'Re-authorization needed: edits are not sent until you approve the add-on again.', queued, code: 'REAUTHORIZATION_REQUIRED' };
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
  /** This user's re-authorization link, when they must approve the add-on again (asked live). */
  reauthorizeUrl?: string;
  /** This user's key (to tell their own re-authorization record from other users'). */
  userKey?: string;
  triggers?: TriggerBudget;
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
    status: statusOf(state, state.channel ? input.reauthorizeUrl : undefined),
    triggersMissing: !!state.channel && !input.triggersPresent,
    othersNeedReauthorization: state.channel ? Object.keys(state.reauth).filter((k) => k !== input.userKey).length : 0,
    problems: problems.slice(0, MAX_LISTED_PROBLEMS),
    problemCount: problems.length,
  };
  if (input.pairingCode) view.pairingCode = input.pairingCode;
  if (state.last) {
    view.lastPushAt = state.last.at;
    view.seq = state.last.seq;
  }
  if (state.channel && input.reauthorizeUrl) view.reauthorizeUrl = input.reauthorizeUrl;
  if (input.triggers) view.triggers = input.triggers;
  if (files) view.files = files;
  if (input.relay && 'status' in input.relay && input.relay.status.offers?.length) {
    view.offers = input.relay.status.offers.map((o) => ({ id: o.id, fileName: o.fileName, collections: o.collections, variables: o.variables, at: o.at, expiresAt: o.expiresAt }));
  }
  if (filesError) view.filesError = filesError;
  return view;
}
