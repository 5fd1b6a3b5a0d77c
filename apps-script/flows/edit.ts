// An edit (installable onEdit): patch the edited range of a synced tab, in order, with the hash of
// all synced tabs after it. Edits on other tabs cost nothing unless they might add a tab (row 1).

import { rangesPatch } from '../core/change-builder';
import { editedRange, extentOf, type CellRect } from '../core/edited-range';
import { collapse, hasPending } from '../core/outbox';
import { underLock } from './document-lock';
import { push, type PushResult } from './push';
import type { Session } from './session';

export interface Edit {
  tabId: number;
  rect: CellRect;
}

export function pushEdit(session: Session, edit: Edit): PushResult | 'busy' {
  const before = session.state;
  if (!before.channel || before.paused) return 'nothing';
  const mode = before.tabs?.mode ?? 'auto';
  const headerTouched = edit.rect.row === 1;
  const synced = !before.tabs || before.tabs.tabs.some((t) => t.tabId === edit.tabId);
  // In auto mode a header edit may make any tab sync (or stop syncing).
  if (!synced && !(mode === 'auto' && headerTouched)) return 'nothing';

  return underLock(session, () => {
    const s = session.state;
    if (!s.channel || s.paused) return 'nothing';
    const tabs = session.syncedTabs(mode === 'auto' && headerTouched);
    if (session.storeSyncedTabs(tabs)) {
      // A tab joined, left or was renamed: the snapshot says so, and carries this edit.
      s.outbox = collapse(s.outbox);
      return push(session, undefined);
    }
    const grid = session.values();
    const tab = grid.find((t) => t.tabId === edit.tabId);
    if (!tab) return 'nothing';
    const range = editedRange(tab.rows, edit.rect, extentOf(tab.rows), s.extents[String(tab.tabId)]);
    session.recordExtents(grid);
    // Nothing to carry (cells that were and are empty), but what waits may be due.
    if (!range) return push(session, undefined);
    // Every connected user's trigger fires for one edit: the first under the lock sends it, and the
    // others find the relay already acknowledged this very sheet state, with nothing waiting.
    const hash = session.hash(grid);
    if (s.last?.hash === hash && !hasPending(s.outbox) && !s.wantSnapshot) return 'nothing';
    return push(session, rangesPatch({ id: session.ports.env.uuid(), at: session.startedAt }, tab, [range], grid, () => hash));
  });
}
