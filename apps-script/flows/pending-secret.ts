// A key rotation whose answer was lost (a timeout, a proxy's 502 after the relay rotated): the relay
// may hold the new secret while the sheet keeps the old one. The new one waits as pendingSecret
// until the relay is known to hold it, or known not to.

import { paths, type Registered } from '../../shared/protocol/messages';
import { classifyPlainAnswer, type Failure } from '../core/relay-answer';
import { sendSignedWith } from './relay-client';
import type { Session } from './session';

export function isRegistered(v: unknown): v is Registered {
  const r = v as Registered | null;
  return !!r && typeof r === 'object' && typeof r.channelId === 'string' && typeof r.epoch === 'string' && Number.isSafeInteger(r.seq);
}

export type Settled = { kind: 'none' | 'adopted' | 'dropped' } | { kind: 'unknown'; failure: Failure };

/**
 * Asks the relay whether it holds the pending secret: a PUT signed with it that brings it again,
 * which the relay answers "unchanged" when it does and BAD_SIGNATURE when it still holds the old one.
 */
export function settlePendingSecret(session: Session): Settled {
  const s = session.state;
  const pending = s.pendingSecret;
  if (!s.channel || !pending) return { kind: 'none' };
  const result = sendSignedWith(session, s.channel.relayUrl, pending, 'put', paths.channel(s.channel.channelId), JSON.stringify({ secret: pending }));
  const answer = classifyPlainAnswer(result, isRegistered);
  if (answer.ok) {
    s.secret = pending;
    s.pendingSecret = undefined;
    return { kind: 'adopted' };
  }
  if (!answer.retry && answer.failure.code === 'BAD_SIGNATURE') {
    s.pendingSecret = undefined; // the rotation never reached the relay: the old secret stands
    return { kind: 'dropped' };
  }
  return { kind: 'unknown', failure: answer.failure };
}
