// The spreadsheet side of the end-to-end chain: the example token sheet (examples/tokens/*.csv)
// loaded into the Apps Script fake as Sheets would hold it, and what the sheet means right now —
// its synced tabs as a grid, and the mapper's reading of that grid as a file model.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CellValue, Grid } from '../../shared/protocol/grid';
import { mapGrid } from '../../shared/sheet/mapper';
import type { MapResult } from '../../shared/sheet/model';
import type { SidebarState } from '../../apps-script/core/sidebar-state';
import type { AddonWorld } from '../fakes/apps-script/run-addon';
import { gridOfSheets } from '../fakes/apps-script/sheet-grid';
import { csvToRows } from '../../tools/csv-tabs';
import { expectedModel, type FileModel } from './e2e-file-model';
import { projectRoot } from './e2e-project-root';

export const EXAMPLE_DIR = join(projectRoot(), 'examples', 'tokens');
/** The example tabs in the order a token sheet lists them (the first gets gid 0). */
export const EXAMPLE_TABS = ['Primitives', 'Semantic', 'Typography', 'Flags'] as const;
export const OWNER = 'owner@example.com';

/** One example CSV as the cell values a sheet holds (read as the check command reads it: numbers and TRUE/FALSE typed). */
export function exampleTab(name: (typeof EXAMPLE_TABS)[number]): CellValue[][] {
  const file = join(EXAMPLE_DIR, `${name}.csv`);
  return csvToRows(readFileSync(file, 'utf8'), file);
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

/** The synced tabs (per the add-on) as the protocol carries them: the grid the relay and plugin should hold. */
export function sheetGrid(world: AddonWorld, syncedTabIds: readonly number[]): Grid {
  return gridOfSheets(world.spreadsheet.sheets.filter((s) => syncedTabIds.includes(s.id)));
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
