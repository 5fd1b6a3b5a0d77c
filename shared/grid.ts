// The canonical grid of a channel: its synced tabs, each a rectangle of cell values, and how a
// change (patch or snapshot) turns one grid into the next.

import type { Change, ChangeTab } from './protocol';

/** What `Range.getValues()` gives, with dates as ISO strings. An empty cell is "". */
export type CellValue = string | number | boolean;
export type Rows = CellValue[][];

export interface TabGrid {
  /** The sheet's gid: stable across renames. */
  tabId: number;
  name: string;
  /** Normalized: no trailing empty rows, no trailing empty columns, every row the same length. */
  rows: Rows;
}

/** All synced tabs, sorted by tabId ascending. */
export interface Grid {
  tabs: TabGrid[];
}

export const emptyGrid = (): Grid => ({ tabs: [] });

/**
 * Removes trailing rows that are wholly empty and trailing columns that are empty in every row,
 * then pads every row with "" to the same width. Returns the input array when nothing changes.
 */
export function normalizeRows(rows: Rows): Rows {
  let height = rows.length;
  while (height > 0 && rowIsEmpty(rows[height - 1]!)) height--;
  let width = 0;
  for (let r = 0; r < height; r++) {
    const row = rows[r]!;
    for (let c = row.length - 1; c >= width; c--) {
      if (row[c] !== '') {
        width = c + 1;
        break;
      }
    }
  }
  let same = height === rows.length;
  for (let r = 0; same && r < height; r++) same = rows[r]!.length === width;
  if (same) return rows;
  const out: Rows = new Array(height);
  for (let r = 0; r < height; r++) {
    const row = rows[r]!;
    if (row.length === width) out[r] = row;
    else if (row.length > width) out[r] = row.slice(0, width);
    else {
      const padded = row.slice();
      while (padded.length < width) padded.push('');
      out[r] = padded;
    }
  }
  return out;
}

function rowIsEmpty(row: CellValue[]): boolean {
  for (let c = 0; c < row.length; c++) if (row[c] !== '') return false;
  return true;
}

/** The tab with this id, if the grid has it. */
export function findTab(grid: Grid, tabId: number): TabGrid | undefined {
  return grid.tabs.find((t) => t.tabId === tabId);
}

/**
 * Writes `values` into `rows` with its top-left cell at 1-based (row, col), growing the grid with ""
 * where needed. Copies only the rows it touches, so the input is never modified.
 */
export function writeRange(rows: Rows, row: number, col: number, values: Rows): Rows {
  const out = rows.slice();
  const top = row - 1;
  const left = col - 1;
  for (let i = 0; i < values.length; i++) {
    const src = values[i]!;
    const r = top + i;
    while (out.length <= r) out.push([]);
    const dst = out[r]!.slice();
    while (dst.length < left) dst.push('');
    for (let j = 0; j < src.length; j++) dst[left + j] = src[j]!;
    out[r] = dst;
  }
  return out;
}

function applyTab(previous: TabGrid | undefined, tab: ChangeTab): TabGrid {
  if ('values' in tab) return { tabId: tab.tabId, name: tab.name, rows: normalizeRows(tab.values) };
  let rows = previous ? previous.rows : [];
  for (const range of tab.ranges) rows = writeRange(rows, range.row, range.col, range.values);
  return { tabId: tab.tabId, name: tab.name, rows: normalizeRows(rows) };
}

/**
 * The grid after a change. A snapshot replaces every tab (tabs it does not list are gone); a patch
 * touches only the tabs it lists: `ranges` write cells, `values` replace that tab whole.
 * Pure: the input grid is not modified and shares untouched tabs and rows with the result.
 */
export function applyChange(grid: Grid, change: Pick<Change, 'kind' | 'tabs'>): Grid {
  const byId = new Map<number, TabGrid>();
  if (change.kind === 'patch') for (const t of grid.tabs) byId.set(t.tabId, t);
  for (const tab of change.tabs) byId.set(tab.tabId, applyTab(byId.get(tab.tabId), tab));
  return { tabs: [...byId.values()].sort((a, b) => a.tabId - b.tabId) };
}

/** A snapshot change's tabs for this grid (the full state, as a plugin or a late subscriber needs it). */
export function gridToTabs(grid: Grid): { tabId: number; name: string; values: Rows }[] {
  return grid.tabs.map((t) => ({ tabId: t.tabId, name: t.name, values: t.rows }));
}

/** Counts the cells of a grid (for limits and metrics). */
export function cellCount(grid: Grid): number {
  let n = 0;
  for (const t of grid.tabs) for (const r of t.rows) n += r.length;
  return n;
}
