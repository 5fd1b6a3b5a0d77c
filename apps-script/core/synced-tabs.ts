// Which tabs sync: the owner's choice from the sidebar, or by default every tab whose row 1 has a
// `Name` header. Pure: the adapter supplies the tabs and their header rows.

import type { CellValue } from '../../shared/protocol/grid';

/** A tab of the spreadsheet: its gid (stable across renames) and its current name. */
export interface TabRef {
  tabId: number;
  name: string;
}

/**
 * What is stored: `auto` follows the `Name` header rule as tabs change; `chosen` is the owner's
 * list from the sidebar. `tabs` is the synced set as last resolved, with names, so a rename or an
 * added or removed tab can be told apart from nothing happening.
 */
export interface SyncedTabs {
  mode: 'auto' | 'chosen';
  tabs: TabRef[];
}

/** Whether a header row makes a tab sync by default: one of its cells reads `Name` (any case, trimmed). */
export function hasNameHeader(header: readonly CellValue[]): boolean {
  for (const cell of header) if (typeof cell === 'string' && cell.trim().toLowerCase() === 'name') return true;
  return false;
}

/**
 * The synced tabs now, in spreadsheet order. `auto` asks `headerOf` only for the tabs it must;
 * `chosen` keeps the chosen ids that still exist.
 */
export function resolveSyncedTabs(
  setting: Pick<SyncedTabs, 'mode'> & { ids: readonly number[] },
  tabs: readonly TabRef[],
  headerOf: (tabId: number) => readonly CellValue[],
): TabRef[] {
  if (setting.mode === 'chosen') {
    const wanted = new Set(setting.ids);
    return tabs.filter((t) => wanted.has(t.tabId)).map((t) => ({ tabId: t.tabId, name: t.name }));
  }
  return tabs.filter((t) => hasNameHeader(headerOf(t.tabId))).map((t) => ({ tabId: t.tabId, name: t.name }));
}

/** Whether two resolved sets differ in membership or in any name (a rename renames a collection). */
export function syncedTabsDiffer(a: readonly TabRef[], b: readonly TabRef[]): boolean {
  if (a.length !== b.length) return true;
  const byId = new Map(a.map((t) => [t.tabId, t.name]));
  return b.some((t) => byId.get(t.tabId) !== t.name);
}

/** Reads a stored setting, or undefined when there is none or it is damaged (then `auto` applies). */
export function parseSyncedTabs(text: string | null | undefined): SyncedTabs | undefined {
  if (!text) return undefined;
  try {
    const raw = JSON.parse(text) as { mode?: unknown; tabs?: unknown };
    if ((raw.mode !== 'auto' && raw.mode !== 'chosen') || !Array.isArray(raw.tabs)) return undefined;
    const tabs: TabRef[] = [];
    for (const t of raw.tabs as { tabId?: unknown; name?: unknown }[]) {
      if (typeof t?.tabId !== 'number' || typeof t.name !== 'string') return undefined;
      tabs.push({ tabId: t.tabId, name: t.name });
    }
    return { mode: raw.mode, tabs };
  } catch {
    return undefined;
  }
}
