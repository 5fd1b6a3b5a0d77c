// Rows of cell text → RFC 4180 CSV, the inverse of csv-tabs.ts: a cell with a comma, a quote, a
// line break or surrounding spaces is quoted, quotes doubled.

export function csvCell(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}
