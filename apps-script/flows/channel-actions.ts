// What the owner does from the sidebar and the menu: connect, rotate the key, disconnect, pause,
// resume, sync now, choose tabs; and the hourly sweep. Each failure a person must see is thrown
// as an AddonError with a catalogue code.

import { paths } from '../../shared/protocol/messages';
import { AddonError } from '../core/addon-error';
import { newChannelClaim, secretFromUuids, SECRET_UUIDS } from '../core/credentials';
import { disconnectedState, type DocState } from '../core/doc-state';
import { collapse, emptyOutbox, hasPending } from '../core/outbox';
import { classifyPlainAnswer, type Failure } from '../core/relay-answer';
import { checkRelayUrl } from '../core/relay-url';
import type { TabRef } from '../core/synced-tabs';
import { HANDLERS } from '../core/trigger-handlers';
import { assertAllScopes, clearOwnReauthorization } from './authorization';
import { pushChangedTabs } from './catch-up';
import { underLock } from './document-lock';
import { rememberHourlyTriggers } from './hourly';
import { isRegistered, settlePendingSecret } from './pending-secret';
import { push, type PushResult } from './push';
import { claimChannel, sendSignedWith } from './relay-client';
import type { Session } from './session';

function fail(failure: Failure): never {
  throw new AddonError(failure.code, failure.message);
}

function locked<T>(session: Session, work: () => T): T {
  const result = underLock(session, work);
  if (result === 'busy') throw new AddonError('RELAY_UNREACHABLE', 'Another sync of this sheet is still running; try again in a moment.');
  return result;
}

function uuids(session: Session): string[] {
  const out: string[] = [];
  for (let i = 0; i < SECRET_UUIDS; i++) out.push(session.ports.env.uuid());
  return out;
}

function newSecret(session: Session): string {
  return secretFromUuids(uuids(session), session.ports.env.sha256Hex);
}

/**
 * Registers a channel on the relay (or re-claims this sheet's channel with its secret and claim, which
 * a relay that forgot it accepts), sends a snapshot and creates this user's triggers. A sheet paired
 * before claims existed gets a new channel (and pairing code): its id cannot be proved. The key is the
 * one typed in the sidebar, else the one built into the add-on. Throws RELAY_URL_INVALID, the relay's
 * refusal, or TRIGGER_LIMIT (connected anyway).
 */
export function connect(session: Session, relayUrlText: unknown, registrationKey?: unknown): PushResult {
  const check = checkRelayUrl(relayUrlText, session.ports.env.allowInsecureRelay());
  if (!check.ok) throw new AddonError('RELAY_URL_INVALID', check.message);
  const relayUrl = check.url;
  const key = typeof registrationKey === 'string' && registrationKey.trim() ? registrationKey.trim() : undefined;
  assertAllScopes(session);
  const userKey = session.userKey();

  const result = locked(session, () => {
    const s = session.state;
    // A rotation whose answer was lost: re-claiming with the old secret would be CHANNEL_TAKEN.
    if (s.channel?.relayUrl === relayUrl) settlePendingSecret(session);
    const same = s.channel && s.secret && s.claim && s.channel.relayUrl === relayUrl ? { channelId: s.channel.channelId, secret: s.secret, claim: s.claim } : undefined;
    const fresh = same ? undefined : newChannelClaim(uuids(session), session.ports.env.sha256Hex);
    const channelId = same?.channelId ?? fresh!.channelId;
    const claim = same?.claim ?? fresh!.claim;
    const secret = same?.secret ?? newSecret(session);
    const answer = classifyPlainAnswer(claimChannel(session, relayUrl, channelId, secret, claim, key), isRegistered);
    if (!answer.ok) fail(answer.failure);

    s.channel = { channelId, relayUrl, connectedAt: session.ports.env.now() };
    s.secret = secret;
    s.claim = claim;
    s.error = undefined;
    clearOwnReauthorization(session);
    s.members = { ...s.members, [userKey]: session.ports.env.now() };
    s.paused = false;
    if (!same) {
      s.outbox = emptyOutbox();
      s.extents = {};
      s.prints = {};
      s.last = undefined;
    }
    session.storeSyncedTabs(session.syncedTabs(true));
    s.outbox = collapse(s.outbox);
    return push(session, undefined, true);
  });
  ensureTriggers(session);
  return result;
}

/** Creates this user's triggers where missing; TRIGGER_LIMIT (with Apps Script's words) when it refuses. */
export function ensureTriggers(session: Session): string[] {
  try {
    const created = session.ports.triggers.ensure();
    rememberHourlyTriggers(session, HANDLERS.hourly);
    return created;
  } catch (err) {
    throw new AddonError(
      'TRIGGER_LIMIT',
      `The sheet is connected, but the add-on could not create its triggers for your account, so your edits are not sent yet: ${(err as Error).message}`,
    );
  }
}

function requireChannel(s: DocState): { channelId: string; relayUrl: string; secret: string } {
  if (!s.channel || !s.secret) throw new AddonError('NOT_CONNECTED');
  return { channelId: s.channel.channelId, relayUrl: s.channel.relayUrl, secret: s.secret };
}

/**
 * A new secret, registered with a request signed by the current one: every pairing code so far
 * stops working. The new secret is stored as pending before it is sent, so a lost answer never
 * leaves the sheet without the secret the relay holds; a retry first settles that one.
 */
export function rotateKey(session: Session): void {
  requireChannel(session.state);
  locked(session, () => {
    const s = session.state;
    const settled = settlePendingSecret(session);
    if (settled.kind === 'unknown') {
      session.save(); // nothing settled, but keep whatever this execution learned
      fail(settled.failure);
    }
    if (settled.kind === 'adopted') {
      // The earlier rotation took: that is the new key the person asked for.
      if (s.error?.stop) s.error = undefined;
      return;
    }
    const { channelId, relayUrl, secret } = requireChannel(s);
    const next = newSecret(session);
    s.pendingSecret = next;
    session.save(); // stored before sending: the answer may be lost after the relay rotated
    const answer = classifyPlainAnswer(sendSignedWith(session, relayUrl, secret, 'put', paths.channel(channelId), JSON.stringify({ secret: next })), isRegistered);
    if (!answer.ok) fail(answer.failure);
    const st = session.state; // save() began a fresh copy
    st.secret = next;
    st.pendingSecret = undefined;
    if (st.error?.stop) st.error = undefined;
  });
}

/** Removes this user's triggers and forgets the channel (the tab choice stays, it belongs to the sheet). */
export function disconnect(session: Session): number {
  const removed = session.ports.triggers.remove();
  locked(session, () => {
    const tabs = session.state.tabs;
    session.state = { ...disconnectedState(), tabs };
  });
  return removed;
}

export function pause(session: Session): void {
  requireChannel(session.state);
  locked(session, () => {
    session.state.paused = true;
  });
}

/** Resumes and sends a snapshot: what was edited while paused goes in it. */
export function resume(session: Session): PushResult {
  requireChannel(session.state);
  return locked(session, () => {
    const s = session.state;
    s.paused = false;
    s.outbox = collapse(s.outbox);
    return push(session, undefined, true);
  });
}

/** Sends a snapshot now, clearing an error that stopped posting (a person asked). */
export function syncNow(session: Session): PushResult {
  requireChannel(session.state);
  assertAllScopes(session);
  return locked(session, () => {
    const s = session.state;
    requireChannel(s);
    s.error = undefined;
    clearOwnReauthorization(session);
    s.outbox = collapse(s.outbox);
    return push(session, undefined, true);
  });
}

/** The owner's choice of tabs (ids of existing tabs); a snapshot follows when connected. */
export function setSyncedTabs(session: Session, ids: unknown): PushResult {
  if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id))) {
    throw new AddonError('BAD_REQUEST', 'Choose tabs by their ids: a list of whole numbers.');
  }
  const wanted = new Set(ids as number[]);
  return locked(session, () => {
    const tabs: TabRef[] = session.ports.sheet.tabs().filter((t) => wanted.has(t.tabId));
    const missing = [...wanted].filter((id) => !tabs.some((t) => t.tabId === id));
    if (missing.length) throw new AddonError('BAD_REQUEST', `No tab has the id ${missing.join(', ')}; reopen the sidebar to see the tabs as they are.`);
    const changed = session.storeSyncedTabs(tabs, 'chosen');
    const s = session.state;
    if (!s.channel || s.paused || !changed) return 'nothing';
    s.outbox = collapse(s.outbox);
    return push(session, undefined);
  });
}

/**
 * The hourly sweep: sends what waits, and catches values that changed with no edit (formulas such
 * as NOW() or IMPORTRANGE) by comparing the sheet's hash with the last one the relay took.
 */
export function retryQueue(session: Session): PushResult | 'busy' {
  const s = session.state;
  if (!s.channel || s.paused || s.error?.stop) return 'nothing';
  return underLock(session, () => {
    const st = session.state;
    if (!st.channel || st.paused || st.error?.stop) return 'nothing';
    if (hasPending(st.outbox) || st.wantSnapshot) {
      const drained = push(session, undefined, true);
      if (drained !== 'sent' && drained !== 'nothing') return drained;
    }
    // Values that moved with no event (formulas), and edits whose events never came.
    return pushChangedTabs(session, true);
  });
}
