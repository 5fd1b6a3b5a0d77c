// Turns what Range.getValues() gives into the protocol's cell values: dates become ISO strings.

import type { CellValue, Rows } from '../../shared/protocol/grid';

/**
 * Whether a value is a Date. Apps Script's Date objects may come from another realm (and do in
 * the node:vm fakes), where `instanceof Date` is false, so the built-in tag decides.
 */
export function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** One cell as the protocol carries it. Strings, finite numbers and booleans pass through. */
export function toCellValue(value: unknown): CellValue {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (isDate(value)) {
    const time = value.getTime();
    // An invalid Date has no ISO form; its text ("Invalid Date") is what a person would see.
    return Number.isNaN(time) ? String(value) : new Date(time).toISOString();
  }
  if (value === null || value === undefined) return '';
  return String(value);
}

/** A whole getValues() result, converted. Rows stay the same length as given. */
export function toRows(values: readonly (readonly unknown[])[]): Rows {
  const out: Rows = new Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const src = values[r]!;
    const row: CellValue[] = new Array(src.length);
    for (let c = 0; c < src.length; c++) {
      const v = src[c];
      // The common cases first: getValues() gives mostly strings and numbers.
      row[c] = typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' ? v : toCellValue(v);
    }
    out[r] = row;
  }
  return out;
}
