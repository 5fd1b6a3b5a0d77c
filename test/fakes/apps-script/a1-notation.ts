// A1 notation as Sheets reads it in getRange("B2:C5"): cells and rectangles, columns A…ZZZ.

import { gasError } from './gas-error';

export interface Rect {
  row: number;
  col: number;
  numRows: number;
  numCols: number;
}

function column(letters: string): number {
  let col = 0;
  for (const ch of letters.toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return col;
}

export function columnLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** "B2" or "B2:C5" (either corner first); throws "Range not found" like Sheets for anything else. */
export function parseA1Range(text: string): Rect {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$/.exec(text.trim());
  if (!m) throw gasError('Range not found');
  const r1 = Number(m[2]);
  const c1 = column(m[1]!);
  const r2 = m[4] ? Number(m[4]) : r1;
  const c2 = m[3] ? column(m[3]) : c1;
  if (r1 < 1 || r2 < 1) throw gasError('Range not found');
  return { row: Math.min(r1, r2), col: Math.min(c1, c2), numRows: Math.abs(r2 - r1) + 1, numCols: Math.abs(c2 - c1) + 1 };
}

export function a1Of(rect: Rect): string {
  const first = `${columnLetters(rect.col)}${rect.row}`;
  if (rect.numRows === 1 && rect.numCols === 1) return first;
  return `${first}:${columnLetters(rect.col + rect.numCols - 1)}${rect.row + rect.numRows - 1}`;
}
