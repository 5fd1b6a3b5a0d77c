// Delivers changes in order: what the outbox holds first, then the new change. A 409 is healed with
// a snapshot in the same execution; an unreachable relay keeps the change in the outbox (with
// backoff); an answer a person must act on stops posting and is shown in the sidebar.

import { LIMITS } from '../../shared/protocol/limits';
import type { Change, ChangeAccepted } from '../../shared/protocol/messages';
import { utf8Length } from '../../shared/protocol/utf8';
import { snapshotChange } from '../core/change-builder';
import { collapse, enqueue, failed, hasPending, isDue, peek, shift, snapshotSent, succeeded } from '../core/outbox';
import { classifyChangeAnswer, type ChangeOutcome, type Failure } from '../core/relay-answer';
import { splitSnapshot } from '../core/split-change';
import { settlePendingSecret } from './pending-secret';
import { sendChange } from './relay-client';
import type { Session } from './session';

export type PushResult = 'sent' | 'queued' | 'stopped' | 'nothing';

/** Smallest body budget tried after 413s; below it the relay's limit is unworkable and the error shows. */
const MIN_BODY_BUDGET = 64 * 1024;

/** Posts one change (JSON text), signing it again once if the relay saw the same signature before. */
export function postChange(session: Session, json: string): ChangeOutcome {
  // sendChange re-claims a channel the relay forgot (same id, secret and claim) and sends the change again.
  let outcome = classifyChangeAnswer(sendChange(session, json));
  if (outcome.kind === 'replayed') outcome = classifyChangeAnswer(sendChange(session, json));
  // The relay may hold a rotated secret whose answer was lost: adopt it and post again with it.
  if (outcome.kind === 'stop' && outcome.failure.code === 'BAD_SIGNATURE' && settlePendingSecret(session).kind === 'adopted') {
    outcome = classifyChangeAnswer(sendChange(session, json));
  }
  return outcome;
}

function accepted(session: Session, ack: ChangeAccepted): void {
  const s = session.state;
  s.last = { at: session.ports.env.now(), epoch: ack.epoch, seq: ack.seq, hash: ack.hash };
  s.outbox = succeeded(s.outbox);
  s.error = undefined;
  // Not s.reauth: authorization is per user, and this may be another user's execution.
}

/** The relay could not take it now: keep `change` (if any) behind what is queued and back off. */
function keep(session: Session, failure: Failure, change?: Change): PushResult {
  const s = session.state;
  if (change) s.outbox = enqueue(s.outbox, JSON.stringify(change));
  s.outbox = failed(s.outbox, session.ports.env.now(), session.ports.env.random());
  s.error = { code: failure.code, message: failure.message, at: session.ports.env.now(), stop: false };
  return 'queued';
}

/** A person must act: stop posting, and let a snapshot carry everything once they have. */
function stop(session: Session, failure: Failure): PushResult {
  const s = session.state;
  s.outbox = collapse(s.outbox);
  s.error = { code: failure.code, message: failure.message, at: session.ports.env.now(), stop: true };
  return 'stopped';
}

/**
 * Pushes `change` (built from the sheet as it is now) after whatever waits in the outbox.
 * `force` ignores the backoff and a stopping error (a person asked: Sync now, Connect, Resume).
 */
export function push(session: Session, change: Change | undefined, force = false): PushResult {
  const s = session.state;
  if (s.wantSnapshot) {
    s.outbox = collapse(s.outbox);
    s.wantSnapshot = false;
  }
  if (s.error?.stop && !force) {
    s.outbox = collapse(s.outbox);
    return 'stopped';
  }
  if (hasPending(s.outbox) && !force && !isDue(s.outbox, session.ports.env.now())) {
    if (change) s.outbox = enqueue(s.outbox, JSON.stringify(change));
    return 'queued';
  }
  // A pending snapshot carries the sheet as it is now, this change included.
  if (s.outbox.meta.snapshot) return sendSnapshot(session);
  for (let queued = peek(s.outbox); queued; queued = peek(s.outbox)) {
    const outcome = postChange(session, queued.json);
    if (outcome.kind === 'accepted') {
      s.outbox = shift(s.outbox);
      accepted(session, outcome.accepted);
      continue;
    }
    if (outcome.kind === 'mismatch' || outcome.kind === 'too-large') {
      s.outbox = collapse(s.outbox);
      return sendSnapshot(session);
    }
    if (outcome.kind === 'stop') return stop(session, outcome.failure);
    return keep(session, outcome.failure, change);
  }
  if (!change) return 'nothing';
  const outcome = postChange(session, JSON.stringify(change));
  switch (outcome.kind) {
    case 'accepted':
      accepted(session, outcome.accepted);
      return 'sent';
    case 'mismatch':
    case 'too-large':
      return sendSnapshot(session);
    case 'stop':
      return stop(session, outcome.failure);
    default:
      return keep(session, outcome.failure, change);
  }
}

/**
 * Sends every synced tab as it is now: one snapshot, or when it is over the relay's body limit a
 * snapshot of the first rows and patches with the rest. Clears the outbox when the relay took it.
 */
export function sendSnapshot(session: Session): PushResult {
  const s = session.state;
  // Tabs may have been renamed, added or removed unseen (while paused, say): a snapshot says how they are now.
  session.storeSyncedTabs(session.syncedTabs(true));
  const grid = session.values();
  session.recordExtents(grid);
  const title = session.ports.sheet.title();
  let budget = s.channel?.maxBodyBytes ?? LIMITS.maxBodyBytes;
  let mismatches = 0;
  for (;;) {
    const whole = snapshotChange({ id: session.ports.env.uuid(), at: session.startedAt }, grid, title, session.hash);
    const wholeJson = JSON.stringify(whole);
    const pieces =
      utf8Length(wholeJson) <= budget ? [wholeJson] : splitSnapshot(grid, () => session.ports.env.uuid(), budget, title, session.startedAt, session.hash).map((c) => JSON.stringify(c));
    let restart = false;
    for (const json of pieces) {
      const outcome = postChange(session, json);
      if (outcome.kind === 'accepted') {
        accepted(session, outcome.accepted);
        continue;
      }
      if (outcome.kind === 'too-large' && budget > MIN_BODY_BUDGET) {
        // The relay's limit is lower than assumed: remember it for this channel and split finer.
        budget = Math.max(MIN_BODY_BUDGET, Math.floor(budget / 2));
        if (s.channel) s.channel = { ...s.channel, maxBodyBytes: budget };
        restart = true;
        break;
      }
      if (outcome.kind === 'mismatch' && ++mismatches < 2) {
        restart = true; // a piece landed on a grid that changed meanwhile: start over from a snapshot
        break;
      }
      s.outbox = collapse(s.outbox);
      if (outcome.kind === 'retry') return keep(session, outcome.failure);
      if (outcome.kind === 'stop' || outcome.kind === 'too-large') return stop(session, outcome.failure);
      return stop(session, { code: 'HASH_MISMATCH', message: 'The relay kept disagreeing with the snapshot it was sent; check that only this sheet writes to the channel.' });
    }
    if (!restart) {
      s.outbox = succeeded(snapshotSent(s.outbox));
      return 'sent';
    }
  }
}
