// Builds the changes the add-on posts: a snapshot of every synced tab, a patch of edited ranges,
// or a patch replacing whole tabs. Each carries the canonical hash of all synced tabs after it.

import { normalizeRows, type Rows } from '../../shared/protocol/grid';
import { PROTOCOL_VERSION } from '../../shared/protocol/limits';
import type { Change, Range } from '../../shared/protocol/messages';

/** A synced tab as read from the sheet: rows are getValues() converted, not yet normalized. */
export interface TabValues {
  tabId: number;
  name: string;
  rows: Rows;
}

/**
 * The canonical hash of synced tabs: shared/protocol/canonical-hash.ts defines it. The add-on passes one
 * that digests each chunk natively (Utilities.computeDigest): same bytes, far less CPU than
 * SHA-256 in script on a cold execution. Always given, so the bundle carries no SHA-256 of its own.
 */
export type GridHasher = (tabs: readonly TabValues[]) => string;

/** What every change needs besides its tabs: a fresh id and, optionally, when the handler started. */
export interface ChangeMeta {
  id: string;
  at?: number;
}

/** The synced tabs normalized and sorted by tabId: the grid the relay should hold afterwards. */
export function normalizeTabs(tabs: readonly TabValues[]): TabValues[] {
  return tabs.map((t) => ({ tabId: t.tabId, name: t.name, rows: normalizeRows(t.rows) })).sort((a, b) => a.tabId - b.tabId);
}

/** A snapshot: every synced tab with its full (normalized) values. */
export function snapshotChange(meta: ChangeMeta, tabs: readonly TabValues[], title: string | undefined, hasher: GridHasher): Change {
  const grid = normalizeTabs(tabs);
  const change: Change = {
    v: PROTOCOL_VERSION,
    id: meta.id,
    kind: 'snapshot',
    tabs: grid.map((t) => ({ tabId: t.tabId, name: t.name, values: t.rows })),
    hash: hasher(grid),
  };
  if (meta.at !== undefined) change.at = meta.at;
  if (title) change.title = title;
  return change;
}

/** A patch writing `ranges` into one tab; `all` is every synced tab after the edit, for the hash. */
export function rangesPatch(meta: ChangeMeta, tab: { tabId: number; name: string }, ranges: Range[], all: readonly TabValues[], hasher: GridHasher): Change {
  return withAt(meta, { v: PROTOCOL_VERSION, id: meta.id, kind: 'patch', tabs: [{ tabId: tab.tabId, name: tab.name, ranges }], hash: hasher(all) });
}

/** A patch replacing whole tabs (rows or columns inserted or removed): each listed tab's full values. */
export function tabsPatch(meta: ChangeMeta, tabIds: readonly number[], all: readonly TabValues[], hasher: GridHasher): Change {
  const grid = normalizeTabs(all);
  const wanted = new Set(tabIds);
  return withAt(meta, {
    v: PROTOCOL_VERSION,
    id: meta.id,
    kind: 'patch',
    tabs: grid.filter((t) => wanted.has(t.tabId)).map((t) => ({ tabId: t.tabId, name: t.name, values: t.rows })),
    hash: hasher(grid),
  });
}

function withAt(meta: ChangeMeta, change: Change): Change {
  if (meta.at !== undefined) change.at = meta.at;
  return change;
}
