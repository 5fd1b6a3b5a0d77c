// The spreadsheet side of the end-to-end chain: the example token sheet (examples/tokens/*.csv)
// loaded into the Apps Script fake as Sheets would hold it, and what the sheet means right now —
// its synced tabs as a grid, and the mapper's reading of that grid as a file model.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { normalizeRows, type CellValue, type Grid, type Rows } from '../../shared/grid';
import { mapGrid } from '../../shared/mapper';
import type { MapResult } from '../../shared/model';
import type { SidebarState } from '../../apps-script/core/sidebar-state';
import type { AddonWorld } from '../fakes/apps-script/run-addon';
import { expectedModel, type FileModel } from './e2e-file-model';
import { projectRoot } from './e2e-project-root';

export const EXAMPLE_DIR = join(projectRoot(), 'examples', 'tokens');
/** The example tabs in the order a token sheet lists them (the first gets gid 0). */
export const EXAMPLE_TABS = ['Primitives', 'Semantic', 'Typography', 'Flags'] as const;
export const OWNER = 'owner@example.com';

const SHEET_NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** What Sheets stores for typed text: numbers and TRUE/FALSE become values, the rest stays text. */
export function typedValue(text: string): CellValue {
  if (text === '') return '';
  const upper = text.toUpperCase();
  if (upper === 'TRUE') return true;
  if (upper === 'FALSE') return false;
  if (SHEET_NUMBER_RE.test(text) && Number.isFinite(Number(text))) return Number(text);
  return text;
}

/** One example CSV as the cell values a sheet holds. */
export function exampleTab(name: (typeof EXAMPLE_TABS)[number]): CellValue[][] {
  const records = parse(readFileSync(join(EXAMPLE_DIR, `${name}.csv`), 'utf8'), { bom: true, relax_column_count: true }) as string[][];
  const width = Math.max(...records.map((r) => r.length));
  return records.map((r) => Array.from({ length: width }, (_, i) => typedValue(r[i] ?? '')));
}

/** Adds the example tabs to the world's spreadsheet. */
export function loadExampleSheet(world: AddonWorld): void {
  for (const name of EXAMPLE_TABS) {
    const values = exampleTab(name);
    const sheet = world.spreadsheet.addSheet(name);
    sheet.ensureSize(values.length, values[0]!.length);
    sheet.getRange(1, 1, values.length, values[0]!.length).setValues(values);
  }
}

/** What the owner's sidebar shows (an execution of the add-on, as the sidebar would run it). */
export function sidebar(world: AddonWorld, user = OWNER): SidebarState {
  return world.run(user, 'getSidebarState') as SidebarState;
}

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

/** The synced tabs (per the add-on) as the protocol carries them: the grid the relay and plugin should hold. */
export function sheetGrid(world: AddonWorld, syncedTabIds: readonly number[]): Grid {
  const tabs = world.spreadsheet.sheets
    .filter((s) => syncedTabIds.includes(s.id))
    .map((s) => {
      const rows = s.values().map((line) => line.map((v) => (isDate(v) ? v.toISOString() : (v as CellValue))));
      return { tabId: s.id, name: s.name, rows: normalizeRows(rows as Rows) };
    });
  return { tabs: tabs.sort((a, b) => a.tabId - b.tabId) };
}

export interface SheetMeaning {
  grid: Grid;
  mapped: MapResult;
  model: FileModel;
}

/** What the sheet means now: its synced grid, the mapper's result and the file model it implies. */
export function sheetMeaning(world: AddonWorld, state: SidebarState = sidebar(world)): SheetMeaning {
  const grid = sheetGrid(
    world,
    state.tabs.filter((t) => t.synced).map((t) => t.tabId),
  );
  const mapped = mapGrid(grid);
  return { grid, mapped, model: expectedModel(mapped) };
}

/** 1-based column → letters (1 → A, 27 → AA). */
export function columnLetters(col: number): string {
  let out = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}
