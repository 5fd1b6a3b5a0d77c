// The one catalogue of problems the mapper reports about a sheet, and the log that collects them.
// docs/sheet-format.md lists every code here (a test checks that the two agree).

import { a1 } from './a1';
import type { Problem } from '../protocol/messages';

export type Severity = Problem['severity'];

/** Every problem code with its severity: errors leave the row (or tab) out, warnings do not. */
export const MAPPER_PROBLEMS = {
  // The tab as a whole (reported at A1).
  TAB_NAME_EMPTY: 'error',
  TAB_NAME_DUPLICATE: 'error',
  // The header row.
  HEADER_NAME_MISSING: 'error',
  HEADER_NO_MODES: 'error',
  HEADER_DUPLICATE: 'error',
  HEADER_EMPTY_WITH_DATA: 'warning',
  MODE_NAME_TOO_LONG: 'error',
  MODE_LIMIT: 'error',
  // Names.
  NAME_MISSING: 'warning',
  NAME_EMPTY_SEGMENT: 'error',
  NAME_FORBIDDEN_CHARACTER: 'error',
  NAME_DUPLICATE: 'error',
  NAME_CASE_CLASH: 'warning',
  VARIABLE_LIMIT: 'error',
  // Types and values.
  TYPE_UNKNOWN: 'error',
  TYPE_CONFLICT: 'error',
  VALUE_MISSING_DEFAULT: 'error',
  VALUE_MISSING_MODE: 'warning',
  VALUE_NOT_COLOR: 'error',
  VALUE_NOT_NUMBER: 'error',
  VALUE_NOT_BOOLEAN: 'error',
  COLOR_MALFORMED: 'error',
  COLOR_OUT_OF_GAMUT: 'warning',
  STRING_LOOKS_LIKE_COLOR: 'warning',
  STRING_LOOKS_LIKE_NUMBER: 'warning',
  // Reserved columns.
  SCOPE_UNKNOWN: 'error',
  SCOPE_NOT_FOR_TYPE: 'error',
  SCOPE_CONFLICT: 'error',
  HIDDEN_INVALID: 'error',
  // Aliases.
  ALIAS_MALFORMED: 'error',
  ALIAS_MISSING: 'error',
  ALIAS_UNKNOWN_TAB: 'error',
  ALIAS_AMBIGUOUS: 'error',
  ALIAS_CYCLE: 'error',
  ALIAS_TYPE_MISMATCH: 'error',
  ALIAS_TARGET_BROKEN: 'error',
  // The mapper itself failed on a row or tab (a bug: the rest still maps).
  MAPPER_INTERNAL: 'error',
} as const satisfies Record<string, Severity>;

export type MapperProblemCode = keyof typeof MAPPER_PROBLEMS;

/** Every code, in catalogue order. */
export const MAPPER_PROBLEM_CODES = Object.keys(MAPPER_PROBLEMS) as MapperProblemCode[];

/** ProblemSchema allows at most 1000 characters; user text inside a message is clipped well before. */
const MAX_MESSAGE_CHARS = 1000;
const MAX_QUOTED_CHARS = 80;

/** User text clipped for a message, so one huge cell or name cannot swamp it. */
export function clipped(text: string): string {
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS - 1)}…` : text;
}

/** User text for a message: quoted, and clipped. */
export function quote(text: string): string {
  return `"${clipped(text)}"`;
}

/** A thrown value as short text for a MAPPER_INTERNAL message. */
export function describe(err: unknown): string {
  let text: string;
  try {
    text = err instanceof Error ? err.message : String(err);
  } catch {
    text = 'unprintable error';
  }
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

interface Entry {
  problem: Problem;
  tabIndex: number;
  row: number;
  col: number;
  seq: number;
}

/** Collects problems while mapping and hands them back ordered by tab, row, column. */
export class ProblemLog {
  private readonly entries: Entry[] = [];
  private errors = 0;

  /** Records a problem at a 1-based (row, col) of the tab at `tabIndex` in the grid. */
  add(tabIndex: number, tab: string, row: number, col: number, code: MapperProblemCode, message: string): void {
    const severity = MAPPER_PROBLEMS[code];
    if (severity === 'error') this.errors++;
    const text = message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message;
    this.entries.push({
      problem: { tab, cell: a1(row, col), severity, message: text, code },
      tabIndex,
      row,
      col,
      seq: this.entries.length,
    });
  }

  get errorCount(): number {
    return this.errors;
  }

  /** The problems sorted by tab (grid order), row, column, then the order they were found. */
  sorted(): Problem[] {
    return this.entries
      .slice()
      .sort((x, y) => x.tabIndex - y.tabIndex || x.row - y.row || x.col - y.col || x.seq - y.seq)
      .map((e) => e.problem);
  }
}
