// Tabs of the fake spreadsheet as the grid the relay should hold for them: each tab's values as the
// protocol carries them (dates as ISO text), normalized, in tabId order. The add-on's integration
// tests and the end-to-end chain both compare what arrived with this.

import { normalizeRows, type CellValue, type Grid, type Rows } from '../../../shared/protocol/grid';
import type { FakeSheet } from './spreadsheet';

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

export function gridOfSheets(sheets: readonly FakeSheet[]): Grid {
  const tabs = sheets.map((sheet) => {
    const rows = sheet.values().map((line) => line.map((v) => (isDate(v) ? v.toISOString() : (v as CellValue))));
    return { tabId: sheet.id, name: sheet.name, rows: normalizeRows(rows as Rows) };
  });
  return { tabs: tabs.sort((a, b) => a.tabId - b.tabId) };
}
