// The canonical grid of a channel: its synced tabs, each a rectangle of cell values, and how a
// change (patch or snapshot) turns one grid into the next.

import { SyncError } from './errors';
import { LIMITS } from './limits';
import type { Change, ChangeTab } from './messages';

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
  const { height, width } = normalizedSize(rows);
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

/** The height and width rows will have once normalized, found without building them. */
function normalizedSize(rows: Rows): { height: number; width: number } {
  let height = rows.length;
  while (height > 0 && lastValueIndex(rows[height - 1]!) < 0) height--;
  let width = 0;
  for (let r = 0; r < height; r++) width = Math.max(width, lastValueIndex(rows[r]!) + 1);
  return { height, width };
}

/** Index of the last cell that is not "", or -1 when the row is empty. */
function lastValueIndex(row: readonly CellValue[]): number {
  let c = row.length - 1;
  while (c >= 0 && row[c] === '') c--;
  return c;
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
  writeInto(out, new Set(), row, col, values);
  return out;
}

/**
 * Writes `values` into `out` (an array the caller owns, sharing rows with its source), copying each
 * row before its first write; `copied` remembers which rows are copies already. A "" past the end of
 * a row changes nothing once normalized, so it never grows the grid: only values do.
 */
function writeInto(out: Rows, copied: Set<number>, row: number, col: number, values: Rows): void {
  const top = row - 1;
  const left = col - 1;
  for (let i = 0; i < values.length; i++) {
    const src = values[i]!;
    const r = top + i;
    const length = r < out.length ? out[r]!.length : 0;
    let end = src.length;
    while (end > 0 && left + end > length && src[end - 1] === '') end--;
    if (end === 0) continue;
    while (out.length <= r) out.push([]);
    if (!copied.has(r)) {
      out[r] = out[r]!.slice();
      copied.add(r);
    }
    const dst = out[r]!;
    while (dst.length < left) dst.push('');
    for (let j = 0; j < end; j++) dst[left + j] = src[j]!;
  }
}

function applyTab(previous: TabGrid | undefined, tab: ChangeTab): TabGrid {
  if ('values' in tab) return { tabId: tab.tabId, name: tab.name, rows: normalizeRows(tab.values) };
  const rows = previous ? previous.rows.slice() : [];
  const copied = new Set<number>();
  for (const range of tab.ranges) writeInto(rows, copied, range.row, range.col, range.values);
  return { tabId: tab.tabId, name: tab.name, rows: normalizeRows(rows) };
}

/**
 * At least the height and width a tab will have after the change, found without building it, so a
 * change that would blow up into billions of padded cells is refused before any is made. Exact for
 * whole-tab values; for ranges the previous rectangle grown by every written value (clearing cells
 * may make the result smaller).
 */
function sizeAfter(previous: TabGrid | undefined, tab: ChangeTab): { height: number; width: number } {
  if ('values' in tab) return normalizedSize(tab.values);
  let height = previous ? previous.rows.length : 0;
  let width = 0;
  for (const r of previous ? previous.rows : []) width = Math.max(width, r.length);
  for (const range of tab.ranges) {
    for (let i = 0; i < range.values.length; i++) {
      const last = lastValueIndex(range.values[i]!);
      if (last < 0) continue;
      height = Math.max(height, range.row + i);
      width = Math.max(width, range.col + last);
    }
  }
  return { height, width };
}

/** Throws BAD_CHANGE when the grid after the change could hold more than `maxCells` padded cells. */
function assertGridSize(byId: ReadonlyMap<number, TabGrid>, change: Pick<Change, 'tabs'>, maxCells: number): void {
  const sizes = new Map<number, { height: number; width: number }>();
  for (const [tabId, t] of byId) sizes.set(tabId, { height: t.rows.length, width: t.rows.reduce((w, r) => Math.max(w, r.length), 0) });
  for (const tab of change.tabs) sizes.set(tab.tabId, sizeAfter(byId.get(tab.tabId), tab));
  let total = 0;
  let largest: [number, { height: number; width: number }] | undefined;
  for (const entry of sizes) {
    const [, size] = entry;
    total += size.height * size.width;
    if (!largest || size.height * size.width > largest[1].height * largest[1].width) largest = entry;
  }
  if (total <= maxCells || !largest) return;
  const [tabId, { height, width }] = largest;
  throw new SyncError(
    'BAD_CHANGE',
    `the grid after this change would have ${total} cells (tab ${tabId} alone ${height} rows × ${width} columns, padded); a spreadsheet holds at most ${maxCells}`,
  );
}

/**
 * The grid after a change. A snapshot replaces every tab (tabs it does not list are gone); a patch
 * touches only the tabs it lists: `ranges` write cells, `values` replace that tab whole.
 * Pure: the input grid is not modified and shares untouched tabs and rows with the result.
 * Throws SyncError BAD_CHANGE, before building anything, when the result could have more than
 * `maxCells` cells with every tab padded to its rectangle (no sheet is that big; a few bytes of
 * JSON could otherwise ask for billions of cells).
 */
export function applyChange(grid: Grid, change: Pick<Change, 'kind' | 'tabs'>, maxCells: number = LIMITS.maxGridCells): Grid {
  const byId = new Map<number, TabGrid>();
  if (change.kind === 'patch') for (const t of grid.tabs) byId.set(t.tabId, t);
  assertGridSize(byId, change, maxCells);
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
