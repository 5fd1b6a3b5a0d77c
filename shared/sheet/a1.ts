// A1 notation: column letters and cell names as Google Sheets writes them.

/** 1 → "A", 27 → "AA". */
export function columnLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** (row 7, col 2) → "B7". Both 1-based. */
export function a1(row: number, col: number): string {
  return `${columnLetters(col)}${row}`;
}

/** "B7" → {row: 7, col: 2}; undefined when the text is not a single A1 cell. */
export function parseA1(cell: string): { row: number; col: number } | undefined {
  const m = /^([A-Za-z]{1,3})(\d{1,8})$/.exec(cell.trim());
  if (!m) return undefined;
  let col = 0;
  for (const ch of m[1]!.toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  const row = Number(m[2]);
  return row >= 1 ? { row, col } : undefined;
}
