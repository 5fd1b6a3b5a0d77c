// A structural change (installable onChange): rows or columns inserted or removed, tabs added,
// removed or renamed (renames arrive as OTHER). The event names no sheet, and the active sheet is
// not documented to be the changed one, so the changed synced tabs are found by comparing each
// with what was last sent (see catch-up.ts): their whole values go in one patch, or a snapshot
// when the synced set changed.

import { pushChangedTabs } from './catch-up';
import { underLock } from './document-lock';
import type { PushResult } from './push';
import type { Session } from './session';

export type ChangeType = 'EDIT' | 'INSERT_ROW' | 'INSERT_COLUMN' | 'REMOVE_ROW' | 'REMOVE_COLUMN' | 'INSERT_GRID' | 'REMOVE_GRID' | 'FORMAT' | 'OTHER';

const STRUCTURAL = new Set<string>(['INSERT_ROW', 'INSERT_COLUMN', 'REMOVE_ROW', 'REMOVE_COLUMN', 'INSERT_GRID', 'REMOVE_GRID', 'OTHER']);

/**
 * Whether a change type can change what syncs. EDIT is the edit trigger's (which names the range)
 * and FORMAT changes no value: for those the change trigger returns before touching any service.
 */
export const isStructural = (changeType: unknown): boolean => typeof changeType === 'string' && STRUCTURAL.has(changeType);

export function pushSheetChange(session: Session, changeType: string): PushResult | 'busy' {
  const before = session.state;
  if (!isStructural(changeType) || !before.channel || before.paused) return 'nothing';
  return underLock(session, () => {
    const s = session.state;
    if (!s.channel || s.paused) return 'nothing';
    return pushChangedTabs(session);
  });
}
