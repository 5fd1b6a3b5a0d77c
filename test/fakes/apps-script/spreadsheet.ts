// A fake Google Sheets document: spreadsheet → sheets (tabs, each with a gid) → ranges. Behaves as
// the Apps Script reference says for what the add-on uses: getValues() is a numRows × numCols array
// with "" for empty cells, numbers, booleans and Date objects; getDataRange() runs from A1 to the
// last cell with content (A1 alone when the sheet is empty); getRange(row, col, numRows, numCols)
// checks its arguments with Sheets' messages. Formula cells are functions the test supplies, so a
// value can change with no edit. Test-only helpers are marked "test side".

import { a1Of, parseA1Range, type Rect } from './a1-notation';
import { gasError, strictFake } from './gas-error';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Range = GoogleAppsScript.Spreadsheet.Range;

/** A cell whose value is computed when read (a formula, as far as getValues() can tell). */
export class Formula {
  constructor(readonly compute: () => unknown) {}
}

export type StoredValue = string | number | boolean | Date | Formula;

/** Counts a call made by the script under test ("Range.getValues"); the world decides whether it counts. */
export type CallCounter = (name: string) => void;

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

function readValue(v: StoredValue | undefined): unknown {
  if (v === undefined) return '';
  if (v instanceof Formula) {
    const out = v.compute();
    return isDate(out) ? new Date(out.getTime()) : out ?? '';
  }
  return isDate(v) ? new Date(v.getTime()) : v;
}

function storeValue(v: unknown): StoredValue {
  if (v === null || v === undefined) return '';
  if (v instanceof Formula || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (isDate(v)) return new Date(v.getTime());
  return String(v);
}

const hasContent = (v: StoredValue | undefined): boolean => v !== undefined && v !== '';

/**
 * How Sheets stores a string written with setValue(s). The Apps Script reference does not say whether
 * a string is kept as text or read as if typed (the Sheets API's USER_ENTERED rule: "strings may be
 * converted to numbers, dates, etc. following the same rules that are applied when entering text into a
 * cell via the Google Sheets UI"), so the fake does either (FakeSpreadsheet.stringInput) and the add-on
 * must survive both. As typed: a cell formatted as plain text ("@") keeps the text; a leading apostrophe
 * keeps the rest as text; numbers, TRUE/FALSE, percentages, dates and formulas are converted.
 */
export type StringInput = 'raw' | 'as-typed';

const TYPED_NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TYPED_DATE_RE = /^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\/\d{1,2}(?:\/\d{2,4})?)$/;

function typedValue(text: string): StoredValue {
  if (text.startsWith("'")) return text.slice(1);
  const t = text.trim();
  if (t === '') return text;
  if (TYPED_NUMBER_RE.test(t)) return Number(t);
  if (/^(?:true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^[+-]?\d+(?:\.\d+)?%$/.test(t)) return Number(t.slice(0, -1)) / 100;
  if (TYPED_DATE_RE.test(t)) {
    // 2024-05-01, or month/day[/year] as a US-locale sheet reads it.
    const [y, m, d] = t.includes('-') ? t.split('-').map(Number) : ((([mm, dd, yy]) => [yy ?? 2024, mm, dd])(t.split('/').map(Number)) as number[]);
    return new Date(Date.UTC(y! < 100 ? 2000 + y! : y!, m! - 1, d!));
  }
  if (t.startsWith('=')) return new Formula(() => '#NAME?');
  return text;
}

export class FakeRange {
  constructor(
    readonly sheet: FakeSheet,
    readonly rect: Rect,
    private readonly count: CallCounter,
  ) {}

  getValues(): unknown[][] {
    this.count('Range.getValues');
    const { row, col, numRows, numCols } = this.rect;
    const out: unknown[][] = new Array(numRows);
    for (let r = 0; r < numRows; r++) {
      const src = this.sheet.cells[row - 1 + r];
      const line: unknown[] = new Array(numCols);
      for (let c = 0; c < numCols; c++) line[c] = readValue(src?.[col - 1 + c]);
      out[r] = line;
    }
    return out;
  }

  getValue(): unknown {
    this.count('Range.getValue');
    return readValue(this.sheet.cells[this.rect.row - 1]?.[this.rect.col - 1]);
  }

  setValues(values: unknown[][]): FakeRange {
    this.count('Range.setValues');
    const { row, col, numRows, numCols } = this.rect;
    if (values.length !== numRows) {
      throw gasError(`The number of rows in the data does not match the number of rows in the range. The data has ${values.length} but the range has ${numRows}.`);
    }
    for (const line of values) {
      if (line.length !== numCols) {
        throw gasError(`The number of columns in the data does not match the number of columns in the range. The data has ${line.length} but the range has ${numCols}.`);
      }
    }
    for (let r = 0; r < numRows; r++) for (let c = 0; c < numCols; c++) this.sheet.input(row + r, col + c, values[r]![c]);
    return this;
  }

  setValue(value: unknown): FakeRange {
    this.count('Range.setValue');
    this.sheet.input(this.rect.row, this.rect.col, value);
    return this;
  }

  /** Sets the number format of every cell ("@" is plain text: what is typed there stays text). */
  setNumberFormat(format: string): FakeRange {
    this.count('Range.setNumberFormat');
    const { row, col, numRows, numCols } = this.rect;
    for (let r = 0; r < numRows; r++) for (let c = 0; c < numCols; c++) this.sheet.formats.set(`${row + r},${col + c}`, format);
    return this;
  }

  clearContent(): FakeRange {
    this.count('Range.clearContent');
    const { row, col, numRows, numCols } = this.rect;
    for (let r = 0; r < numRows; r++) for (let c = 0; c < numCols; c++) this.sheet.put(row + r, col + c, '');
    return this;
  }

  getRow(): number {
    return this.rect.row;
  }
  getColumn(): number {
    return this.rect.col;
  }
  getNumRows(): number {
    return this.rect.numRows;
  }
  getNumColumns(): number {
    return this.rect.numCols;
  }
  getLastRow(): number {
    return this.rect.row + this.rect.numRows - 1;
  }
  getLastColumn(): number {
    return this.rect.col + this.rect.numCols - 1;
  }
  getA1Notation(): string {
    return a1Of(this.rect);
  }
  getSheet(): Sheet {
    return this.sheet.asSheet();
  }
  activate(): FakeRange {
    this.count('Range.activate');
    this.sheet.doc.activeSheetId = this.sheet.id;
    this.sheet.doc.activeRange = { sheetId: this.sheet.id, a1: this.getA1Notation() };
    return this;
  }

  asRange(): Range {
    return strictFake<Range>(this, 'Range');
  }
}

export class FakeSheet {
  /** Rows of cells, 0-based; missing cells are empty. */
  cells: StoredValue[][] = [];
  /** Number formats by "row,col" (1-based): formatting survives clearContents. */
  readonly formats = new Map<string, string>();

  constructor(
    readonly doc: FakeSpreadsheet,
    readonly id: number,
    public name: string,
    public maxRows = 1000,
    public maxCols = 26,
  ) {}

  private get count(): CallCounter {
    return this.doc.count;
  }

  /** Writes one cell (1-based), growing the storage but not the sheet. */
  put(row: number, col: number, value: StoredValue): void {
    while (this.cells.length < row) this.cells.push([]);
    const line = this.cells[row - 1]!;
    while (line.length < col) line.push('');
    line[col - 1] = value;
  }

  /** Stores what the script wrote to a cell: a string as Sheets reads it (see StringInput). */
  input(row: number, col: number, value: unknown): void {
    const asTyped = typeof value === 'string' && this.doc.stringInput === 'as-typed' && this.formats.get(`${row},${col}`) !== '@';
    this.put(row, col, asTyped ? typedValue(value) : storeValue(value));
  }

  getSheetId(): number {
    this.count('Sheet.getSheetId');
    return this.id;
  }

  /** Clears every cell's content, keeping formats (ref/spreadsheet/sheet#clearContents). */
  clearContents(): FakeSheet {
    this.count('Sheet.clearContents');
    this.cells = [];
    return this;
  }

  insertRowsAfter(after: number, howMany: number): FakeSheet {
    this.count('Sheet.insertRowsAfter');
    if (after < 1 || after > this.maxRows) throw gasError('Those rows are out of bounds.');
    if (this.cells.length > after) this.cells.splice(after, 0, ...Array.from({ length: howMany }, () => []));
    this.maxRows += howMany;
    return this;
  }

  insertColumnsAfter(after: number, howMany: number): FakeSheet {
    this.count('Sheet.insertColumnsAfter');
    if (after < 1 || after > this.maxCols) throw gasError('Those columns are out of bounds.');
    for (const line of this.cells) {
      if (line.length > after) line.splice(after, 0, ...Array.from({ length: howMany }, () => '' as StoredValue));
    }
    this.maxCols += howMany;
    return this;
  }
  getName(): string {
    this.count('Sheet.getName');
    return this.name;
  }
  setName(name: string): FakeSheet {
    this.count('Sheet.setName');
    this.doc.assertFreeName(name, this);
    this.name = name;
    return this;
  }
  getParent(): Spreadsheet {
    return this.doc.asSpreadsheet();
  }
  getMaxRows(): number {
    return this.maxRows;
  }
  getMaxColumns(): number {
    return this.maxCols;
  }

  /** The last row with content (0 when the sheet is empty). */
  getLastRow(): number {
    this.count('Sheet.getLastRow');
    for (let r = this.cells.length; r > 0; r--) if (this.cells[r - 1]!.some(hasContent)) return r;
    return 0;
  }

  getLastColumn(): number {
    this.count('Sheet.getLastColumn');
    let last = 0;
    for (const line of this.cells) for (let c = line.length; c > last; c--) if (hasContent(line[c - 1])) last = c;
    return last;
  }

  getDataRange(): Range {
    this.count('Sheet.getDataRange');
    const rows = Math.max(1, this.lastRowQuiet());
    const cols = Math.max(1, this.lastColumnQuiet());
    return new FakeRange(this, { row: 1, col: 1, numRows: rows, numCols: cols }, this.count).asRange();
  }

  getRange(a1OrRow: string | number, col?: number, numRows?: number, numCols?: number): Range {
    this.count('Sheet.getRange');
    let rect: Rect;
    if (typeof a1OrRow === 'string') rect = parseA1Range(a1OrRow);
    else {
      const row = a1OrRow;
      if (!Number.isInteger(row) || row < 1) throw gasError('The starting row of the range is too small.');
      if (col === undefined || !Number.isInteger(col) || col < 1) throw gasError('The starting column of the range is too small.');
      const nr = numRows ?? 1;
      const nc = numCols ?? 1;
      if (!Number.isInteger(nr) || nr < 1) throw gasError('The number of rows in the range must be at least 1.');
      if (!Number.isInteger(nc) || nc < 1) throw gasError('The number of columns in the range must be at least 1.');
      rect = { row, col, numRows: nr, numCols: nc };
    }
    if (rect.row + rect.numRows - 1 > this.maxRows || rect.col + rect.numCols - 1 > this.maxCols) {
      throw gasError('The coordinates of the range are outside the dimensions of the sheet.');
    }
    return new FakeRange(this, rect, this.count).asRange();
  }

  activate(): FakeSheet {
    this.count('Sheet.activate');
    this.doc.activeSheetId = this.id;
    return this;
  }

  insertRowsBefore(before: number, howMany: number): FakeSheet {
    this.count('Sheet.insertRowsBefore');
    while (this.cells.length < before - 1) this.cells.push([]);
    this.cells.splice(before - 1, 0, ...Array.from({ length: howMany }, () => []));
    this.maxRows += howMany;
    return this;
  }

  deleteRows(position: number, howMany: number): void {
    this.count('Sheet.deleteRows');
    if (position < 1 || position + howMany - 1 > this.maxRows) throw gasError('Those rows are out of bounds.');
    this.cells.splice(position - 1, howMany);
    this.maxRows -= howMany;
  }

  insertColumnsBefore(before: number, howMany: number): FakeSheet {
    this.count('Sheet.insertColumnsBefore');
    for (const line of this.cells) {
      if (line.length >= before) line.splice(before - 1, 0, ...Array.from({ length: howMany }, () => '' as StoredValue));
    }
    this.maxCols += howMany;
    return this;
  }

  deleteColumns(position: number, howMany: number): void {
    this.count('Sheet.deleteColumns');
    if (position < 1 || position + howMany - 1 > this.maxCols) throw gasError('Those columns are out of bounds.');
    for (const line of this.cells) line.splice(position - 1, howMany);
    this.maxCols -= howMany;
  }

  /** Test side: a formula cell whose value `compute` gives each time it is read. */
  setFormula(row: number, col: number, compute: () => unknown): void {
    this.put(row, col, new Formula(compute));
  }

  /** Test side: grows the sheet (as pasting in the Sheets UI does). */
  ensureSize(rows: number, cols: number): void {
    this.maxRows = Math.max(this.maxRows, rows);
    this.maxCols = Math.max(this.maxCols, cols);
  }

  /** Test side: the values as the script would read them (getDataRange().getValues()), uncounted. */
  values(): unknown[][] {
    const rows = Math.max(1, this.lastRowQuiet());
    const cols = Math.max(1, this.lastColumnQuiet());
    return new FakeRange(this, { row: 1, col: 1, numRows: rows, numCols: cols }, () => undefined).getValues();
  }

  private lastRowQuiet(): number {
    for (let r = this.cells.length; r > 0; r--) if (this.cells[r - 1]!.some(hasContent)) return r;
    return 0;
  }

  private lastColumnQuiet(): number {
    let last = 0;
    for (const line of this.cells) for (let c = line.length; c > last; c--) if (hasContent(line[c - 1])) last = c;
    return last;
  }

  asSheet(): Sheet {
    return strictFake<Sheet>(this, 'Sheet');
  }
}

export class FakeSpreadsheet {
  readonly sheets: FakeSheet[] = [];
  activeSheetId: number | undefined;
  activeRange: { sheetId: number; a1: string } | undefined;
  readonly toasts: { message: string; title: string }[] = [];
  /** Test side: how strings written by the script are stored (see StringInput). */
  stringInput: StringInput = 'raw';
  private nextGid = 0;
  /** Set by the world: counts calls made during an execution. */
  count: CallCounter = () => undefined;

  constructor(
    readonly id: string,
    public name: string,
  ) {}

  assertFreeName(name: string, except?: FakeSheet): void {
    // By id: `except` may be the strict proxy of the sheet (a sheet renamed only in letter case keeps its name free).
    if (this.sheets.some((s) => s.id !== except?.id && s.name.toLowerCase() === name.toLowerCase())) {
      throw gasError(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
  }

  /** Test side: adds a tab. Sheets gives the first tab gid 0 and later ones large random gids. */
  addSheet(name: string, options: { rows?: number; cols?: number; gid?: number } = {}): FakeSheet {
    this.assertFreeName(name);
    const gid = options.gid ?? (this.sheets.length === 0 ? 0 : 100_000_000 + this.nextGid++ * 7_919_111);
    const sheet = new FakeSheet(this, gid, name, options.rows ?? 1000, options.cols ?? 26);
    this.sheets.push(sheet);
    this.activeSheetId ??= gid;
    return sheet;
  }

  /** Test side: the tab with this name (throws when there is none). */
  tab(name: string): FakeSheet {
    const sheet = this.sheets.find((s) => s.name === name);
    if (!sheet) throw new Error(`no tab named ${name}`);
    return sheet;
  }

  getId(): string {
    return this.id;
  }
  /** A new tab of that name at the end, made active (ref/spreadsheet/spreadsheet#insertSheet(String)). */
  insertSheet(name: string): Sheet {
    this.count('Spreadsheet.insertSheet');
    const sheet = this.addSheet(name);
    this.activeSheetId = sheet.id;
    return sheet.asSheet();
  }
  getName(): string {
    this.count('Spreadsheet.getName');
    return this.name;
  }
  getSheets(): Sheet[] {
    this.count('Spreadsheet.getSheets');
    return this.sheets.map((s) => s.asSheet());
  }
  getSheetByName(name: string): Sheet | null {
    this.count('Spreadsheet.getSheetByName');
    return this.sheets.find((s) => s.name === name)?.asSheet() ?? null;
  }
  getActiveSheet(): Sheet {
    this.count('Spreadsheet.getActiveSheet');
    const sheet = this.sheets.find((s) => s.id === this.activeSheetId) ?? this.sheets[0]!;
    return sheet.asSheet();
  }
  deleteSheet(sheet: Sheet): void {
    this.count('Spreadsheet.deleteSheet');
    const i = this.sheets.findIndex((s) => s.id === sheet.getSheetId());
    if (i < 0) throw gasError('Sheet not found');
    if (this.sheets.length === 1) throw gasError("You can't remove all the sheets in a document.");
    this.sheets.splice(i, 1);
    if (this.activeSheetId === sheet.getSheetId()) this.activeSheetId = this.sheets[0]!.id;
  }
  toast(message: string, title?: string, _timeoutSeconds?: number): void {
    this.count('Spreadsheet.toast');
    this.toasts.push({ message, title: title ?? '' });
  }

  asSpreadsheet(): Spreadsheet {
    return strictFake<Spreadsheet>(this, 'Spreadsheet');
  }
}
