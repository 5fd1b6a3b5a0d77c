// Shape checks for what reaches the main thread from outside its own code (the window's messages and
// the grid cache in clientStorage): each returns the problem in words, or undefined when the shape is right.

import type { CellValue, Grid } from '../../shared/protocol/grid';

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCell = (v: unknown): v is CellValue => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
export const isWholeNumber = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

export function gridProblem(grid: unknown): string | undefined {
  if (!isObject(grid) || !Array.isArray(grid.tabs)) return 'grid must be {tabs: [...]}';
  for (const [i, tab] of (grid.tabs as unknown[]).entries()) {
    if (!isObject(tab) || !isWholeNumber(tab.tabId) || typeof tab.name !== 'string' || !Array.isArray(tab.rows)) {
      return `grid.tabs[${i}] must be {tabId, name, rows}`;
    }
    for (const [r, row] of (tab.rows as unknown[]).entries()) {
      if (!Array.isArray(row) || !row.every(isCell)) return `grid.tabs[${i}].rows[${r}] must be an array of strings, finite numbers or booleans`;
    }
  }
  return undefined;
}

export function positionProblem(position: unknown): string | undefined {
  if (!isObject(position) || typeof position.epoch !== 'string' || position.epoch === '' || !isWholeNumber(position.seq)) {
    return 'position must be {epoch: non-empty string, seq: whole number ≥ 0}';
  }
  return undefined;
}

/** The canonical grid hash: lowercase hex SHA-256. */
export function hashProblem(hash: unknown): string | undefined {
  return typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash) ? undefined : 'hash must be 64 lowercase hex digits';
}

/**
 * The grid a transfer text describes (JSON of [[tabId, name, rows], …], see shared/protocol/grid-text.ts), or the
 * problem in words. The text is parsed once; the grid's shape is then checked as any grid's is.
 */
export function gridFromText(text: string): { grid: Grid } | { problem: string } {
  let tabs: unknown;
  try {
    tabs = JSON.parse(text);
  } catch {
    return { problem: 'gridText must be JSON' };
  }
  if (!Array.isArray(tabs)) return { problem: 'gridText must be a JSON list of [tabId, name, rows]' };
  const grid = { tabs: new Array<unknown>(tabs.length) };
  for (let i = 0; i < tabs.length; i++) {
    const tab: unknown = tabs[i];
    if (!Array.isArray(tab) || tab.length !== 3) return { problem: `gridText[${i}] must be [tabId, name, rows]` };
    grid.tabs[i] = { tabId: tab[0], name: tab[1], rows: tab[2] };
  }
  const problem = gridProblem(grid);
  return problem ? { problem: `gridText describes a bad grid: ${problem}` } : { grid: grid as Grid };
}
