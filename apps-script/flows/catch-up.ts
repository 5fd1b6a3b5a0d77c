// Sends what no event reported: the synced tabs whose values differ from the last change built
// (onChange names no sheet; edit events can be dropped or coalesced in a burst; formulas move with
// no event at all), and what waits in the outbox when it is due. Used by onChange, the hourly
// trigger and the sidebar while it is open, so the last edit of a burst never stays unsent.

import { tabsPatch } from '../core/change-builder';
import { collapse } from '../core/outbox';
import { changedTabIds } from '../core/tab-fingerprint';
import { underLock } from './document-lock';
import { push, type PushResult } from './push';
import type { Session } from './session';

/** Under the document lock: a patch of the changed tabs (a snapshot if the synced set changed), after what waits. */
export function pushChangedTabs(session: Session, force = false): PushResult {
  const s = session.state;
  if (session.storeSyncedTabs(session.syncedTabs(true))) {
    // A tab joined, left or was renamed: a snapshot says how they all are now.
    s.outbox = collapse(s.outbox);
    return push(session, undefined, force);
  }
  const grid = session.values();
  const changed = changedTabIds(grid, s.prints, session.tabDigest);
  if (!changed.length) return push(session, undefined, force);
  session.recordExtents(grid);
  return push(session, tabsPatch({ id: session.ports.env.uuid(), at: session.startedAt }, changed, grid, session.hash), force);
}

/** Whether this state may post on its own (not for a person's action). */
const mayPost = (session: Session): boolean => {
  const s = session.state;
  return !!s.channel && !s.paused && !s.error?.stop;
};

/**
 * The sidebar's catch-up (on open and each refresh): sends changed tabs and what is due. Takes the
 * lock only when something differs or waits, so an idle sidebar costs one read of the synced tabs.
 */
export function catchUp(session: Session): PushResult | 'busy' {
  if (!mayPost(session)) return 'nothing';
  const s = session.state;
  const waiting = s.outbox.meta.snapshot || s.outbox.entries.size > 0 || s.wantSnapshot;
  if (!waiting && !session.syncedTabsChanged() && !changedTabIds(session.values(), s.prints, session.tabDigest).length) return 'nothing';
  return underLock(session, () => (mayPost(session) ? pushChangedTabs(session) : 'nothing'));
}
