// One tab → its modes and draft variables: header, then each row's name (Figma's naming rules,
// uniqueness, the 5,000-variable limit) and values. A bad row is reported and left out; the rest map.

import { cellText, isBlank, type CellReader } from './cell-value';
import { checkVariableName, FIGMA_LIMITS } from './figma-rules';
import type { CellValue, TabGrid } from '../protocol/grid';
import { readHeader } from './header';
import { describe, quote, type MapperProblemCode, type ProblemLog } from './mapper-problems';
import type { MappedMode } from './model';
import { readRow, type DraftVariable } from './row';
import { a1 } from './a1';

export interface TabDraft {
  tabIndex: number;
  tabId: number;
  name: string;
  modes: MappedMode[];
  /** 1-based columns of the Name and (if any) Type headers. */
  nameColumn: number;
  typeColumn: number | undefined;
  /** Rows with a valid, unique name, in row order (including rows whose values have errors). */
  drafts: DraftVariable[];
}

type Cells = readonly (CellValue | undefined)[];

const asCells = (row: unknown): Cells => (Array.isArray(row) ? (row as Cells) : []);

/** Reads a tab; undefined (after reporting why at A1) when its header cannot be used. */
export function readTab(tab: TabGrid, tabIndex: number, reader: CellReader, log: ProblemLog): TabDraft | undefined {
  const name = tab.name;
  const rows: readonly unknown[] = Array.isArray(tab.rows) ? tab.rows : [];
  const report = (row: number, col: number, code: MapperProblemCode, message: string): void => log.add(tabIndex, name, row, col, code, message);
  const layout = readHeader(asCells(rows[0]), (col, code, message) => report(1, col, code, message));
  if (!layout) return undefined;

  const drafts: DraftVariable[] = [];
  /** Name → the row that has it. */
  const byName = new Map<string, DraftVariable>();
  /** Rows whose name may have capitals: only they can clash in case with another (checked after). */
  const capitalized: DraftVariable[] = [];
  const warnedUnnamed = new Set<number>();
  const nameCol = layout.name + 1;

  for (let r = 1; r < rows.length; r++) {
    const cells = asCells(rows[r]);
    const rowNumber = r + 1;
    if (isWhollyBlank(cells)) continue;
    try {
      for (const c of layout.unnamed) {
        if (!warnedUnnamed.has(c) && !isBlank(cells[c])) {
          warnedUnnamed.add(c);
          report(rowNumber, c + 1, 'HEADER_EMPTY_WITH_DATA', `This column has values but no header in row 1, so it is ignored; give it a header (a mode name such as "Dark") or clear it`);
        }
      }
      const rawName = cellText(cells[layout.name]).trim();
      if (rawName === '') {
        report(rowNumber, nameCol, 'NAME_MISSING', `Row ${rowNumber} has values but no name, so it is left out; write the variable's name here, e.g. "color/brand/primary"`);
        continue;
      }
      const check = checkVariableName(rawName);
      if (!check.ok) {
        report(rowNumber, nameCol, check.code, `Name ${quote(rawName)} ${check.message}`);
        continue;
      }
      const varName = check.name;
      const first = byName.get(varName);
      if (first !== undefined) {
        report(rowNumber, nameCol, 'NAME_DUPLICATE', `${quote(varName)} is already the name of row ${first.row} (${a1(first.row, nameCol)}); names must be unique in a collection, so this row is left out until one of them is renamed`);
        continue;
      }
      if (drafts.length >= FIGMA_LIMITS.maxVariablesPerCollection) {
        const left = countNamedRows(rows, r, layout.name);
        const which = left > 1 ? `this row and the ${left - 1} named row${left > 2 ? 's' : ''} after it are` : 'this row is';
        report(rowNumber, nameCol, 'VARIABLE_LIMIT', `This tab already has ${thousands(FIGMA_LIMITS.maxVariablesPerCollection)} variables, Figma's limit per collection, so ${which} left out; move them to another tab`);
        break;
      }
      const draft = readRow(cells, rowNumber, varName, name, tabIndex, layout, reader, report);
      drafts.push(draft);
      byName.set(varName, draft);
      if (mayHaveCapitals(varName)) capitalized.push(draft);
    } catch (err) {
      report(rowNumber, 1, 'MAPPER_INTERNAL', `The mapper failed on this row (${describe(err)}); the row is left out and the rest of the tab still maps. Please report this with the row's contents`);
    }
  }
  reportCaseClashes(capitalized, byName, nameCol, report);
  return {
    tabIndex,
    tabId: tab.tabId,
    name,
    modes: layout.modes.map((m) => ({ name: m.name, column: m.col + 1 })),
    nameColumn: nameCol,
    typeColumn: layout.type === undefined ? undefined : layout.type + 1,
    drafts,
  };
}

/** Whether a name has a capital letter (any non-ASCII character counts as maybe). */
function mayHaveCapitals(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return true;
  }
  return false;
}

/**
 * Names that differ only in letter case: each later row is warned, pointing at the first. Only
 * rows with capitals can be part of such a pair, so lower-case sheets (most) cost nothing here.
 */
function reportCaseClashes(
  capitalized: readonly DraftVariable[],
  byName: ReadonlyMap<string, DraftVariable>,
  nameCol: number,
  report: (row: number, col: number, code: MapperProblemCode, message: string) => void,
): void {
  const groups = new Map<string, DraftVariable[]>();
  for (const draft of capitalized) {
    const lower = draft.name.toLowerCase();
    let group = groups.get(lower);
    if (!group) {
      group = [];
      const plain = lower === draft.name ? undefined : byName.get(lower);
      if (plain) group.push(plain);
      groups.set(lower, group);
    }
    if (!group.includes(draft)) group.push(draft);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((x, y) => x.row - y.row);
    const first = group[0]!;
    for (const later of group.slice(1)) {
      report(later.row, nameCol, 'NAME_CASE_CLASH', `${quote(later.name)} differs from ${quote(first.name)} (${a1(first.row, nameCol)}) only in letter case; they become two variables, and an alias must match the case exactly`);
    }
  }
}

function isWhollyBlank(cells: Cells): boolean {
  for (let c = 0; c < cells.length; c++) if (!isBlank(cells[c])) return false;
  return true;
}

function countNamedRows(rows: readonly unknown[], from: number, nameIndex: number): number {
  let n = 0;
  for (let r = from; r < rows.length; r++) if (!isBlank(asCells(rows[r])[nameIndex])) n++;
  return n;
}

/** 5000 → "5,000" (no Intl: Figma's plugin sandbox may not have it). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
