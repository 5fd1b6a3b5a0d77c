// The range a patch carries for an edit: the edited rectangle's current values, taken from the
// tab's rows as read, clipped to where cells can be non-empty on either side.

import type { CellValue, Rows } from '../../shared/protocol/grid';
import type { Range } from '../../shared/protocol/messages';

/** A rectangle of cells, 1-based like A1 notation (what e.range gives). */
export interface CellRect {
  row: number;
  col: number;
  numRows: number;
  numCols: number;
}

/** How far a tab's normalized grid reaches: its row count and column count. */
export interface Extent {
  rows: number;
  cols: number;
}

/** The extent of rows that are already normalized (no trailing empties, equal lengths). */
export function extentOf(normalized: Rows): Extent {
  return { rows: normalized.length, cols: normalized.length ? normalized[0]!.length : 0 };
}

/**
 * The patch range for an edited rectangle. `rows` are the tab's values read from A1 (any shape).
 * Cells beyond both the tab's current extent and the extent the relay last received are empty on
 * both sides, so they are left out: clearing a whole column sends only the cells that held
 * something. `sent` undefined means the relay's extent is unknown, so nothing is clipped.
 * Undefined when nothing is left to send.
 */
export function editedRange(rows: Rows, rect: CellRect, current: Extent, sent: Extent | undefined): Range | undefined {
  const lastRow = rect.row + rect.numRows - 1;
  const lastCol = rect.col + rect.numCols - 1;
  const maxRow = sent ? Math.min(lastRow, Math.max(current.rows, sent.rows)) : lastRow;
  const maxCol = sent ? Math.min(lastCol, Math.max(current.cols, sent.cols)) : lastCol;
  if (maxRow < rect.row || maxCol < rect.col) return undefined;
  const values: Rows = [];
  for (let r = rect.row; r <= maxRow; r++) {
    const src = rows[r - 1];
    const out: CellValue[] = new Array(maxCol - rect.col + 1);
    for (let c = rect.col; c <= maxCol; c++) out[c - rect.col] = src?.[c - 1] ?? '';
    values.push(out);
  }
  return { row: rect.row, col: rect.col, values };
}
