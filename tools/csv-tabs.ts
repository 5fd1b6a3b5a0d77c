// CSV files → a grid of synced tabs, as the add-on would send them: one file per tab, named after
// the file, with cells that Sheets would show as numbers or TRUE/FALSE turned into those values.

import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { normalizeRows, type CellValue, type Grid, type Rows } from '../shared/protocol/grid';

/** A file that cannot be read or parsed: bad usage of the command (exit 2), not a sheet problem. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** What Sheets turns typed text into: 16 and -0.5 become numbers, TRUE/true booleans, the rest stays text. */
const SHEET_NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A cell's text as Sheets reads typed text: a leading apostrophe keeps the rest as text (and is not
 * part of the value); otherwise numbers and TRUE/FALSE become values (shared/sheet/delimited-text.ts writes
 * the apostrophe before text that would otherwise convert).
 */
export function sheetValue(text: string): CellValue {
  if (text === '') return '';
  if (text.startsWith("'")) return text.slice(1);
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (SHEET_NUMBER_RE.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  return text;
}

/** Parses CSV text into normalized rows of sheet values. Throws InputError naming the file on bad CSV. */
export function csvToRows(text: string, file: string): Rows {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (err) {
    throw new InputError(`${file} is not valid CSV: ${err instanceof Error ? err.message : String(err)}`);
  }
  return normalizeRows(records.map((record) => record.map(sheetValue)));
}

/** The tab name for a file: its name without directory or extension ("examples/Primitives.csv" → "Primitives"). */
export function tabNameOf(file: string): string {
  return basename(file, extname(file));
}

/** Reads CSV files as tabs; tabIds are the files' positions (0, 1, …), so the order is stable. */
export function readCsvTabs(files: readonly string[], read: (file: string) => string = (f) => readFileSync(f, 'utf8')): Grid {
  return {
    tabs: files.map((file, i) => {
      let text: string;
      try {
        text = read(file);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : err instanceof Error ? err.message : String(err);
        throw new InputError(`cannot read ${file}: ${why}`);
      }
      return { tabId: i, name: tabNameOf(file), rows: csvToRows(text, file) };
    }),
  };
}
