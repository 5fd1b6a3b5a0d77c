// What the demo's "spreadsheet owner" does, one step every few seconds: recolour the brand, change a
// number, add a row, set a dark-mode value, switch a flag. Each step finds its row by name, so the
// steps stay right whatever came before, and alternates between two values so the demo can loop.

import type { CellValue } from '../shared/protocol/grid';

export interface EditStep {
  /** What a person did, in words. */
  note: string;
  tab: string;
  /** The row's Name, or undefined to append a new row. */
  row?: string;
  /** The column's header (a mode or a reserved column). */
  column: string;
  /** The values it alternates between (the first is written on the first pass). */
  values: [CellValue, CellValue];
  /** For a new row: the whole row, by header; written once, then its `column` alternates. */
  newRow?: Record<string, CellValue>;
}

export const DEMO_STEPS: EditStep[] = [
  { note: 'Makes the brand blue brighter', tab: 'Primitives', row: 'color/blue/500', column: 'Value', values: ['#2f6bff', '#3b82f6'] },
  { note: 'Widens the default gap', tab: 'Primitives', row: 'spacing/4', column: 'Value', values: ['20px', '16px'] },
  {
    note: 'Adds an accent colour',
    tab: 'Primitives',
    row: 'color/brand/accent',
    column: 'Value',
    values: ['#ff7a1a', '#e85d04'],
    newRow: { Name: 'color/brand/accent', Value: '#ff7a1a', Description: 'Accent for highlights', Hidden: false },
  },
  { note: 'Darkens the page background in dark mode', tab: 'Semantic', row: 'color/bg/default', column: 'Dark', values: ['{color/gray/800}', '{Primitives::color/gray/900}'] },
  { note: 'Sets body text one pixel larger on desktop', tab: 'Typography', row: 'font/size/md', column: 'Desktop', values: ['17px', '16px'] },
  { note: 'Turns the beta banner on', tab: 'Flags', row: 'feature/beta-banner', column: 'Value', values: [true, false] },
  { note: 'Warms up the brand red', tab: 'Primitives', row: 'color/red/500', column: 'Value', values: ['#f43f5e', 'rgb(239 68 68)'] },
  { note: 'Points primary buttons at the accent', tab: 'Semantic', row: 'color/action/primary', column: 'Light', values: ['{Primitives::color/brand/accent}', '{color/blue/500}'] },
  { note: 'Renames a font family', tab: 'Typography', row: 'font/family/sans', column: 'Desktop', values: ['Inter Display', 'Inter'] },
];

/** Where a step writes: the 1-based row and column on its tab, and the value (or the whole new row). */
export interface PlannedEdit {
  row: number;
  col: number;
  values: CellValue[][];
  /** The value of the step's column, to show. */
  shown: CellValue;
}

/**
 * Plans `step` on a tab's current values (`rows`, header first). `pass` counts how often the step
 * ran before: even passes write the first value, odd ones the second.
 */
export function planStep(step: EditStep, rows: readonly (readonly unknown[])[], pass: number): PlannedEdit {
  const header = (rows[0] ?? []).map((h) => String(h));
  const col = header.indexOf(step.column) + 1;
  if (col === 0) throw new Error(`the ${step.tab} tab has no "${step.column}" column`);
  const nameCol = header.indexOf('Name');
  const at = rows.findIndex((r, i) => i > 0 && r[nameCol] === step.row);
  if (at < 0) {
    if (!step.newRow) throw new Error(`the ${step.tab} tab has no row named "${step.row}"`);
    // Below the last row: the whole new row, as a paste.
    const row = header.map((h) => step.newRow![h] ?? '');
    return { row: rows.length + 1, col: 1, values: [row], shown: row[col - 1]! };
  }
  const value = step.values[pass % 2]!;
  return { row: at + 1, col, values: [[value]], shown: value };
}
