// Sheet tabs as text a person pastes or imports: TSV (what "Copy as spreadsheet" puts on the
// clipboard: Google Sheets pastes tab-separated text as cells) and CSV (one file per tab, which
// `npx sheets-figma-sync check` and File → Import read). Text that a spreadsheet would turn into
// something else as it reads typed or pasted text (a number, TRUE/FALSE, a date, a formula) gets a
// leading apostrophe, which Sheets (and the check command) take to mean "this cell is text".

import type { CellValue, Rows } from '../protocol/grid';

/**
 * Text a spreadsheet may read as another kind of value: numbers ("16", "1e3", "+1"), TRUE/FALSE in
 * any case, dates and times ("1/2", "2024-05-01", "9:30"), percentages and currency ("5%", "$5"),
 * formulas ("=…", "+…", "-…", "@…") and text that already starts with an apostrophe. Generous on
 * purpose: an apostrophe on plain text costs nothing, a converted cell changes the value.
 */
const MAY_CONVERT_RE = /^\s*(?:[-+=@'$€£¥.0-9]|(?:true|false)\s*$)|%\s*$/i;

/** A cell as the text to paste or import, so the spreadsheet keeps exactly this value. */
export function cellAsText(cell: CellValue): string {
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return MAY_CONVERT_RE.test(cell) ? `'${cell}` : cell;
}

/** Quotes a field when it holds the separator, a quote or a line break (RFC 4180 style, as Sheets reads it). */
function field(text: string, separator: string, quoteSpaces: boolean): string {
  const needs = text.includes(separator) || /["\r\n]/.test(text) || (quoteSpaces && /^\s|\s$/.test(text));
  return needs ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Tab-separated values, one line per row. */
export function toTsv(rows: Rows): string {
  return rows.map((row) => row.map((cell) => field(cellAsText(cell), '\t', false)).join('\t')).join('\n') + '\n';
}

/** Comma-separated values, one line per row (surrounding spaces quoted, as csv-write.ts does). */
export function toCsv(rows: Rows): string {
  return rows.map((row) => row.map((cell) => field(cellAsText(cell), ',', true)).join(',')).join('\n') + '\n';
}

/** A file name for a tab's CSV: the tab's name, with the characters file systems refuse replaced. */
export function csvFileName(tab: string): string {
  let safe = '';
  for (const ch of tab) safe += ch.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(ch) ? '_' : ch;
  safe = safe.replace(/^\.+/, '_').trim();
  return `${safe === '' ? 'tab' : safe}.csv`;
}
