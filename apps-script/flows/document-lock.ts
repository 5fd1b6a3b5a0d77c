// Runs work under the document lock, so executions for the same document (edits in quick
// succession, two users' triggers for one edit, the hourly sweep) post one at a time, in order.

import { KEYS } from '../core/doc-state';
import { push } from './push';
import type { Session } from './session';

/** How long an execution waits for another to finish. Installable triggers may run 6 minutes. */
export const LOCK_WAIT_MS = 30_000;

/**
 * Takes the lock, reloads the state (another execution may have changed it), runs `work`, saves.
 * Without the lock it records "send a snapshot" for whoever holds it (a lone key, so nothing is
 * overwritten) and returns `busy`: the holder, or the next execution, sends what this one saw.
 */
export function underLock<T>(session: Session, work: () => T): T | 'busy' {
  const { lock, doc, env } = session.ports;
  if (!lock.tryLock(LOCK_WAIT_MS)) {
    doc.write({ [KEYS.wantSnapshot]: String(env.now()) }, []);
    return 'busy';
  }
  try {
    session.reload();
    const result = work();
    // An execution that could not get the lock meanwhile asked for a snapshot: send it now.
    if (session.state.channel && !session.state.paused && session.adoptSnapshotRequest()) push(session, undefined);
    session.save();
    return result;
  } finally {
    lock.release();
  }
}
