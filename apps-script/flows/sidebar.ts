// The sidebar's data: tabs, status, pairing code, the relay's view of the Figma files and every
// problem (the mapper's, from the sheet as it is, and the ones Figma files reported).

import { mapGrid } from '../../shared/sheet/mapper';
import { encodePairingCode } from '../../shared/protocol/pairing-code';
import { paths, type ChannelStatus, type Problem } from '../../shared/protocol/messages';
import { subscribeTokenWith } from '../../shared/protocol/signing';
import { AddonError } from '../core/addon-error';
import { classifyPlainAnswer } from '../core/relay-answer';
import { buildSidebarState, triggerBudget, type SidebarState, type SidebarTab, type TriggerBudget } from '../core/sidebar-state';
import { hasNameHeader } from '../core/synced-tabs';
import { sendSigned } from './relay-client';
import type { Session } from './session';

function isChannelStatus(v: unknown): v is ChannelStatus {
  const s = v as ChannelStatus | null;
  return !!s && typeof s === 'object' && typeof s.epoch === 'string' && Number.isSafeInteger(s.seq) && Array.isArray(s.clients);
}

/** The pairing code for the current secret, or undefined when not connected. */
export function pairingCodeOf(session: Session): string | undefined {
  const { channel, secret } = session.state;
  if (!channel || !secret) return undefined;
  return encodePairingCode({ relayUrl: channel.relayUrl, channelId: channel.channelId, token: subscribeTokenWith(session.ports.env.hmacSha256Hex, secret, channel.channelId) });
}

/** Asks the relay who is subscribed and what they applied (signed GET). */
export function fetchRelayStatus(session: Session): { status: ChannelStatus } | { error: string } {
  const channel = session.state.channel;
  if (!channel) return { error: 'Not connected.' };
  const answer = classifyPlainAnswer(sendSigned(session, 'get', paths.status(channel.channelId)), isChannelStatus);
  return answer.ok ? { status: answer.body } : { error: answer.failure.message };
}

/** Whether this user's triggers exist; a user who cannot list them (authorization) has none working. */
function triggersPresent(session: Session): boolean {
  try {
    return session.ports.triggers.present();
  } catch {
    return false;
  }
}

/** This user's trigger figures, or undefined when Apps Script will not list them (authorization). */
function triggerFigures(session: Session): TriggerBudget | undefined {
  try {
    return triggerBudget(session.ports.triggers.mine().length, session.ports.triggers.projectCount(), Object.keys(session.state.members).length);
  } catch {
    return undefined;
  }
}

/** Everything the sidebar shows; `withRelay` also asks the relay for the Figma files' status. */
export function sidebarState(session: Session, withRelay: boolean): SidebarState {
  const s = session.state;
  const synced = new Set(session.syncedTabs(false).map((t) => t.tabId));
  const tabs: SidebarTab[] = session.ports.sheet.tabs().map((t) => {
    const named = hasNameHeader(session.ports.sheet.header(t.tabId));
    return { tabId: t.tabId, name: t.name, synced: s.tabs ? synced.has(t.tabId) : named, hasNameHeader: named };
  });
  let sheetProblems: Problem[] = [];
  const grid = session.values();
  if (grid.length) sheetProblems = mapGrid({ tabs: grid }).problems;
  const view = buildSidebarState({
    state: s,
    tabs,
    pairingCode: pairingCodeOf(session),
    triggersPresent: !s.channel || triggersPresent(session),
    relay: withRelay && s.channel ? fetchRelayStatus(session) : undefined,
    sheetProblems,
    reauthorizeUrl: session.ports.auth.reauthorizationUrl(),
    userKey: Object.keys(s.reauth).length ? session.userKey() : undefined,
    triggers: triggerFigures(session),
  });
  return view;
}

/** Shows a problem's cell: the tab by name, then the cell ("" shows the tab). */
export function selectCell(session: Session, tab: unknown, cell: unknown): void {
  if (typeof tab !== 'string' || typeof cell !== 'string') throw new AddonError('BAD_REQUEST', 'selectCell needs a tab name and an A1 cell.');
  if (!session.ports.sheet.select(tab, cell)) {
    throw new AddonError('BAD_REQUEST', `There is no tab named "${tab}" any more (or no cell ${cell}); refresh the sidebar to see the problems as they are now.`);
  }
}
