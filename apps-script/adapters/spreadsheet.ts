// SheetPort over SpreadsheetApp: tabs by gid, row 1, a tab's values (getDataRange().getValues()),
// selecting a problem's cell, and writing imported tabs.

import { parseA1 } from '../../shared/sheet/a1';
import type { CellValue, Rows } from '../../shared/protocol/grid';
import { toRows } from '../core/cell-value';
import type { CellRect } from '../core/edited-range';
import type { SheetPort } from '../core/ports';
import type { TabRef } from '../core/synced-tabs';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export function spreadsheetPort(ss: Spreadsheet): SheetPort {
  let byId: Map<number, Sheet> | undefined;
  const sheets = (): Map<number, Sheet> => {
    if (!byId) {
      byId = new Map();
      for (const sheet of ss.getSheets()) byId.set(sheet.getSheetId(), sheet);
    }
    return byId;
  };
  return {
    id: () => ss.getId(),
    title: () => ss.getName(),
    tabs(): TabRef[] {
      byId = undefined;
      return [...sheets()].map(([tabId, sheet]) => ({ tabId, name: sheet.getName() }));
    },
    header(tabId: number): CellValue[] {
      const sheet = sheets().get(tabId);
      const width = sheet ? sheet.getLastColumn() : 0;
      if (!sheet || width < 1) return [];
      return toRows(sheet.getRange(1, 1, 1, width).getValues())[0] ?? [];
    },
    values(tabId: number): Rows {
      const sheet = sheets().get(tabId);
      // getDataRange() starts at A1 and ends at the last cell with content ([[""]] when empty).
      return sheet ? toRows(sheet.getDataRange().getValues()) : [];
    },
    insertTab(name: string): number {
      const sheet = ss.insertSheet(name);
      byId = undefined;
      return sheet.getSheetId();
    },
    renameTab(tabId: number, name: string): void {
      sheets().get(tabId)?.setName(name);
    },
    replaceValues(tabId: number, rows: Rows): void {
      const sheet = sheets().get(tabId);
      if (!sheet) throw new Error(`no tab with id ${tabId}`);
      const height = rows.length;
      const width = rows[0]?.length ?? 0;
      sheet.clearContents();
      if (sheet.getMaxRows() < height) sheet.insertRowsAfter(sheet.getMaxRows(), height - sheet.getMaxRows());
      if (sheet.getMaxColumns() < width) sheet.insertColumnsAfter(sheet.getMaxColumns(), width - sheet.getMaxColumns());
      if (height > 0 && width > 0) sheet.getRange(1, 1, height, width).setValues(rows);
    },
    writeText(tabId: number, cells: readonly { row: number; col: number; text: string }[], how: 'plain-text' | 'apostrophe'): void {
      const sheet = sheets().get(tabId);
      if (!sheet) throw new Error(`no tab with id ${tabId}`);
      for (const cell of cells) {
        const range = sheet.getRange(cell.row, cell.col);
        if (how === 'plain-text') range.setNumberFormat('@').setValue(cell.text);
        else range.setValue(`'${cell.text}`);
      }
    },
    select(tabName: string, cell: string): boolean {
      const sheet = ss.getSheetByName(tabName);
      if (!sheet) return false;
      sheet.activate();
      if (!cell) return true;
      const at = parseA1(cell);
      if (!at) return false;
      sheet.getRange(at.row, at.col).activate();
      return true;
    },
  };
}

/** The edited tab and rectangle of an onEdit event (e.range: the cells the user changed). */
export function editOf(e: GoogleAppsScript.Events.SheetsOnEdit): { tabId: number; rect: CellRect } {
  const range = e.range;
  return {
    tabId: range.getSheet().getSheetId(),
    rect: { row: range.getRow(), col: range.getColumn(), numRows: range.getNumRows(), numCols: range.getNumColumns() },
  };
}
