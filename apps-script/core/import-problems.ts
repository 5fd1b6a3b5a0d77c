// The problems an import reports about the sheet itself (docs/sheet-format.md lists them; a test checks).

import { a1 } from '../../shared/sheet/a1';
import type { CellValue } from '../../shared/protocol/grid';
import type { Problem } from '../../shared/protocol/messages';

export const IMPORT_PROBLEMS = {
  /** Sheets kept another value than the text written, even formatted as plain text and with an apostrophe. */
  IMPORT_CELL_CONVERTED: 'error',
} as const satisfies Record<string, Problem['severity']>;

export type ImportProblemCode = keyof typeof IMPORT_PROBLEMS;

const clip = (text: string): string => JSON.stringify(text.length > 80 ? `${text.slice(0, 79)}…` : text);

export function cellConvertedProblem(tab: string, row: number, col: number, written: string, stored: CellValue): Problem {
  return {
    tab,
    cell: a1(row, col),
    severity: IMPORT_PROBLEMS.IMPORT_CELL_CONVERTED,
    code: 'IMPORT_CELL_CONVERTED',
    message: `The import wrote ${clip(written)} here, but the sheet keeps ${clip(String(stored))}; format the cell as plain text (Format → Number → Plain text) and type ${clip(written)} again.`,
  };
}
