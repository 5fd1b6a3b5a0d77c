// One sheet row → a draft variable: its type (Type column or inferred), one value per mode,
// and its reserved columns. Aliases stay unresolved here; alias-graph.ts resolves them.

import type { AliasRef, AliasTarget } from './alias';
import { cellText, isBlank, parseHidden, parseTypeName, writtenWithPx, type CellReader, type LiteralValue } from './cell-value';
import { splitScopes, typeWord } from './figma-rules';
import type { CellValue } from '../protocol/grid';
import type { HeaderLayout } from './header';
import { quote, type MapperProblemCode } from './mapper-problems';
import type { CodeSyntax, VariableType } from './model';
import { a1 } from './a1';

/** A mode cell that holds an alias; `target` is filled in by alias-graph.ts. */
export class AliasSlot {
  target: DraftVariable | undefined = undefined;
  constructor(
    /** The 1-based column of the cell. */
    readonly col: number,
    readonly ref: AliasRef,
  ) {}
}

/**
 * One mode's value: a literal, an alias, or null for "the default mode's value" (an empty
 * non-default cell, or a cell with an error). Plain values rather than wrapper objects: a
 * 5,000-row tab has 20,000 of them, and fewer live objects make the garbage collector's work lighter.
 */
export type DraftValue = LiteralValue | AliasSlot | null;

/** A row on its way to becoming a MappedVariable. Columns are 1-based. */
export interface DraftVariable extends AliasTarget {
  /** The tab's name (the collection's name). */
  collection: string;
  tabIndex: number;
  name: string;
  row: number;
  nameCol: number;
  /** From the Type column or the row's literal values; undefined when every value is an alias. */
  type: VariableType | undefined;
  /** The type came from the Type column (not from the values). */
  typeDeclared: boolean;
  /** One per mode of the tab, in mode order. */
  values: DraftValue[];
  /** Some value is an alias (most rows have none and skip the alias walk). */
  hasAlias: boolean;
  /** Some number cell of the row was written with "px" (token export makes it a dimension). */
  px: boolean;
  description: string;
  hidden: boolean;
  codeSyntax: CodeSyntax;
  /** Scope names as written (checked once the type is known, which for aliases is after resolving). */
  scopes: string[];
  scopesCol: number;
  /** The row has an error of its own; it is left out, and aliases to it fail. */
  broken: boolean;
  // Filled while resolving aliases (alias-graph.ts).
  state: 'new' | 'visiting' | 'done';
  bad: boolean;
  inCycle: boolean;
  finalType: VariableType | undefined;
  /** The checked scopes; undefined leaves Figma's default. */
  finalScopes: string[] | undefined;
}

/** Shared by every row without scopes (never changed: scopes are replaced, not pushed to). */
const NO_SCOPES: string[] = [];

/** Reports a problem at a 1-based (row, col) of the tab. */
export type RowReport = (row: number, col: number, code: MapperProblemCode, message: string) => void;

/** Reads a row whose name has already been checked. Problems go to `report`; the draft says whether it broke. */
export function readRow(
  cells: readonly (CellValue | undefined)[],
  rowNumber: number,
  name: string,
  collection: string,
  tabIndex: number,
  layout: HeaderLayout,
  reader: CellReader,
  report: RowReport,
): DraftVariable {
  const draft: DraftVariable = {
    collection,
    tabIndex,
    name,
    row: rowNumber,
    nameCol: layout.name + 1,
    type: undefined,
    typeDeclared: false,
    values: [],
    hasAlias: false,
    px: false,
    description: layout.description === undefined ? '' : cellText(cells[layout.description]).trim(),
    hidden: false,
    codeSyntax: {},
    scopes: NO_SCOPES,
    scopesCol: layout.scopes === undefined ? 0 : layout.scopes + 1,
    broken: false,
    state: 'new',
    bad: false,
    inCycle: false,
    finalType: undefined,
    finalScopes: undefined,
  };

  let declared: VariableType | undefined;
  let typeUnknown = false;
  if (layout.type !== undefined && !isBlank(cells[layout.type])) {
    const text = cellText(cells[layout.type]).trim();
    declared = parseTypeName(text);
    if (declared === undefined) {
      typeUnknown = true;
      fail(draft, report, rowNumber, layout.type + 1, 'TYPE_UNKNOWN', `Type ${quote(text)} is not a type; write color, number, string or boolean (or leave it empty to infer the type from the values)`);
    }
  }
  draft.type = declared;
  draft.typeDeclared = declared !== undefined;

  /** The column whose literal value first decided an inferred type, for TYPE_CONFLICT messages. */
  let typeCol = 0;
  for (let m = 0; m < layout.modes.length; m++) {
    const mode = layout.modes[m]!;
    const col = mode.col + 1;
    const cell = cells[mode.col];
    if (isBlank(cell)) {
      if (m === 0) {
        fail(draft, report, rowNumber, col, 'VALUE_MISSING_DEFAULT', `${quote(name)} has no value in ${quote(mode.name)}, the default mode; every variable needs a default value (other modes may be left empty to repeat it)`);
      } else if (!isBlank(cells[layout.modes[0]!.col])) {
        report(rowNumber, col, 'VALUE_MISSING_MODE', `Empty in mode ${quote(mode.name)}, so it repeats the default mode (${quote(layout.modes[0]!.name)}) value; fill it in if this mode should differ`);
      }
      draft.values.push(null);
      continue;
    }
    if (typeUnknown) {
      // The row is already out; reading its values against a guessed type would only add noise.
      draft.values.push(null);
      continue;
    }
    const reading = declared ? reader.readAs(cell, declared) : reader.infer(cell);
    switch (reading.kind) {
      case 'empty':
        draft.values.push(null);
        break;
      case 'invalid':
        fail(draft, report, rowNumber, col, reading.code, reading.message);
        draft.values.push(null);
        break;
      case 'alias':
        draft.values.push(new AliasSlot(col, reading.ref));
        draft.hasAlias = true;
        break;
      case 'literal':
        if (reading.clamped) {
          report(rowNumber, col, 'COLOR_OUT_OF_GAMUT', `${quote(cellText(cell).trim())} is outside the sRGB colours Figma stores, so it was clamped to the nearest one; use a colour inside sRGB to get exactly what you wrote`);
        }
        if (reading.lookAlike) report(rowNumber, col, reading.lookAlike.code, reading.lookAlike.message);
        if (reading.type === 'FLOAT' && !draft.px && writtenWithPx(cell)) draft.px = true;
        if (declared === undefined) {
          if (draft.type === undefined) {
            draft.type = reading.type;
            typeCol = col;
          } else if (draft.type !== reading.type) {
            fail(draft, report, rowNumber, col, 'TYPE_CONFLICT', `${quote(cellText(cell).trim())} is a ${typeWord(reading.type)} but ${a1(rowNumber, typeCol)} makes this row a ${typeWord(draft.type)}; every mode of a variable has one type, so make them agree (or add a Type column to say which you mean)`);
            draft.values.push(null);
            break;
          }
        }
        draft.values.push(reading.value);
        break;
    }
  }

  if (layout.hidden !== undefined) {
    const hidden = parseHidden(cells[layout.hidden]);
    if (hidden === undefined) {
      fail(draft, report, rowNumber, layout.hidden + 1, 'HIDDEN_INVALID', `Hidden is ${quote(cellText(cells[layout.hidden]).trim())}; write TRUE to hide the variable from publishing, FALSE or nothing to publish it`);
    } else draft.hidden = hidden;
  }
  if (layout.scopes !== undefined) draft.scopes = splitScopes(cellText(cells[layout.scopes]));
  for (const { platform, col } of layout.codeSyntax) {
    const text = cellText(cells[col]).trim();
    if (text !== '') draft.codeSyntax[platform] = text;
  }
  return draft;
}

/** Reports an error that leaves the row out. (A function, not a closure per row: 5,000 rows, 5,000 closures.) */
function fail(draft: DraftVariable, report: RowReport, row: number, col: number, code: MapperProblemCode, message: string): void {
  draft.broken = true;
  report(row, col, code, message);
}
