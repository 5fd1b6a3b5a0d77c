// The header row of a tab: which column is Name, which are the reserved columns (Type,
// Description, Scopes, Hidden, Web, Android, iOS) and which are modes, checked against Figma's limits.

import { columnLetters } from './a1';
import { cellText, isBlank } from './cell-value';
import { FIGMA_LIMITS } from './figma-rules';
import type { CellValue } from '../protocol/grid';
import { quote, type MapperProblemCode } from './mapper-problems';
import type { CodeSyntaxPlatform } from './model';

export type ReservedColumn = 'name' | 'type' | 'description' | 'scopes' | 'hidden';

/** Header text (trimmed, lower case) → reserved column. */
const RESERVED: ReadonlyMap<string, ReservedColumn> = new Map([
  ['name', 'name'],
  ['type', 'type'],
  ['description', 'description'],
  ['scopes', 'scopes'],
  ['hidden', 'hidden'],
]);

/** Header text (trimmed, lower case) → code syntax platform, spelled as Figma's API spells it. */
const CODE_SYNTAX: ReadonlyMap<string, CodeSyntaxPlatform> = new Map([
  ['web', 'WEB'],
  ['android', 'ANDROID'],
  ['ios', 'iOS'],
]);

/** Where things are in a tab; columns are 0-based indexes into a row. */
export interface HeaderLayout {
  name: number;
  type?: number;
  description?: number;
  scopes?: number;
  hidden?: number;
  codeSyntax: { platform: CodeSyntaxPlatform; col: number }[];
  /** The modes Figma will get, in column order; the first is the default mode. */
  modes: { name: string; col: number }[];
  /** Columns with an empty header: ignored, with a warning if they hold data. */
  unnamed: number[];
}

/** Reports a problem at a 1-based column of row 1. */
export type HeaderReport = (col: number, code: MapperProblemCode, message: string) => void;

/**
 * Reads row 1. Returns undefined (after reporting why) when the tab cannot be mapped: no Name
 * column, or no mode column left.
 */
export function readHeader(header: readonly (CellValue | undefined)[], report: HeaderReport): HeaderLayout | undefined {
  const layout: HeaderLayout = { name: -1, codeSyntax: [], modes: [], unnamed: [] };
  /** Lower-cased header text → the 1-based column that first used it. */
  const seen = new Map<string, number>();
  const found: string[] = [];
  for (let c = 0; c < header.length; c++) {
    const cell = header[c];
    if (isBlank(cell)) {
      layout.unnamed.push(c);
      continue;
    }
    const text = cellText(cell).trim();
    const key = text.toLowerCase();
    found.push(text);
    const first = seen.get(key);
    if (first !== undefined) {
      report(c + 1, 'HEADER_DUPLICATE', `Header ${quote(text)} repeats column ${columnLetters(first)}; each header may appear once, so this column is ignored (rename it, e.g. to a new mode name)`);
      continue;
    }
    seen.set(key, c + 1);
    const reserved = RESERVED.get(key);
    if (reserved !== undefined) {
      layout[reserved] = c;
      continue;
    }
    const platform = CODE_SYNTAX.get(key);
    if (platform !== undefined) {
      layout.codeSyntax.push({ platform, col: c });
      continue;
    }
    if (text.length > FIGMA_LIMITS.maxModeNameChars) {
      report(c + 1, 'MODE_NAME_TOO_LONG', `Mode name ${quote(text)} has ${text.length} characters; Figma allows at most ${FIGMA_LIMITS.maxModeNameChars}, so this column is ignored until the header is shortened`);
      continue;
    }
    if (layout.modes.length >= FIGMA_LIMITS.maxModesPerCollection) {
      report(c + 1, 'MODE_LIMIT', `Mode ${quote(text)} would be mode ${layout.modes.length + 1}; Figma allows at most ${FIGMA_LIMITS.maxModesPerCollection} modes per collection, so this column is ignored (move it to another tab or remove a mode)`);
      continue;
    }
    layout.modes.push({ name: text, col: c });
  }
  if (layout.name < 0) {
    const shown = found.length === 0 ? 'row 1 is empty' : `row 1 has ${found.slice(0, 6).map(quote).join(', ')}${found.length > 6 ? ', …' : ''}`;
    report(1, 'HEADER_NAME_MISSING', `This tab needs a header row with a "Name" column (${shown}); put "Name" in row 1 above the variable names, and a mode name such as "Value" above the values`);
    return undefined;
  }
  if (layout.modes.length === 0) {
    report(1, 'HEADER_NO_MODES', 'Row 1 has a Name column but no value column; add a header such as "Value" (one mode) or "Light" and "Dark" (two modes) above the values');
    return undefined;
  }
  return layout;
}
