// A structural change (installable onChange): rows or columns inserted or removed send the tab's
// whole values; tabs added, removed or renamed (renames arrive as OTHER) send a snapshot when the
// synced set or a synced name changed.

import { tabsPatch } from '../core/change-builder';
import { collapse } from '../core/outbox';
import { underLock } from './document-lock';
import { push, type PushResult } from './push';
import type { Session } from './session';

export type ChangeType = 'EDIT' | 'INSERT_ROW' | 'INSERT_COLUMN' | 'REMOVE_ROW' | 'REMOVE_COLUMN' | 'INSERT_GRID' | 'REMOVE_GRID' | 'FORMAT' | 'OTHER';

const SHAPE = new Set<ChangeType>(['INSERT_ROW', 'INSERT_COLUMN', 'REMOVE_ROW', 'REMOVE_COLUMN']);
const TABS = new Set<ChangeType>(['INSERT_GRID', 'REMOVE_GRID', 'OTHER']);

/** `activeTabId` is the tab the change happened on, as far as the event tells (the active sheet). */
export function pushSheetChange(session: Session, changeType: string, activeTabId: number | undefined): PushResult | 'busy' {
  const type = changeType as ChangeType;
  const before = session.state;
  if (!before.channel || before.paused || !(SHAPE.has(type) || TABS.has(type))) return 'nothing';
  if (SHAPE.has(type) && before.tabs && !before.tabs.tabs.some((t) => t.tabId === activeTabId)) return 'nothing';

  return underLock(session, () => {
    const s = session.state;
    if (!s.channel || s.paused) return 'nothing';
    const tabs = session.syncedTabs(TABS.has(type));
    if (session.storeSyncedTabs(tabs)) {
      s.outbox = collapse(s.outbox);
      return push(session, undefined);
    }
    if (TABS.has(type)) return 'nothing';
    const grid = session.values();
    if (!grid.some((t) => t.tabId === activeTabId)) return 'nothing';
    session.recordExtents(grid);
    return push(session, tabsPatch({ id: session.ports.env.uuid(), at: session.startedAt }, [activeTabId!], grid, session.hash));
  });
}
