// Token files → sheet tabs: gathers each tab's tokens (token-sources.ts), converts every value
// (token-cells.ts), turns references into {name} / {Tab::name}, and writes the tabs in the sheet
// format with a Type column, plus a report of what was converted and what was left out and why.

import type { CodeSyntax, VariableType } from '../shared/sheet/model';
import { toCsv } from './csv-write';
import { convertValue, type Conversion } from './token-cells';
import { classify, resolverTabs, studioTabs, walkTokens, fileTabName, readJson, type ReadFile, type SourceToken, type TabSource } from './token-sources';

export interface ImportedTab {
  name: string;
  modes: string[];
  rows: number;
  csv: string;
}

/** A kind of conversion or of left-out token, with how many and the first few token names. */
export interface ReportLine {
  what: string;
  count: number;
  examples: string[];
}

export interface ImportReport {
  converted: ReportLine[];
  leftOut: ReportLine[];
  /** Tokens whose value could not be read at all (each with why). */
  unreadable: { tab: string; token: string; message: string }[];
}

interface Row {
  name: string;
  /** Mode → the token and the value it gives that mode. */
  values: Map<string, { token: SourceToken; value: unknown }>;
  description: string;
  type?: VariableType;
  scopes?: string[];
  hidden: boolean;
  codeSyntax: CodeSyntax;
  /** Set when the whole row is left out or unreadable. */
  dropped?: true;
  cells?: Map<string, Conversion>;
}

interface Tab {
  name: string;
  modes: string[];
  rows: Map<string, Row>;
}

const MAX_EXAMPLES = 5;
const ALIAS_HOPS = 100;

class Tally {
  private readonly lines = new Map<string, ReportLine>();
  add(what: string, example: string): void {
    let line = this.lines.get(what);
    if (!line) this.lines.set(what, (line = { what, count: 0, examples: [] }));
    line.count++;
    if (line.examples.length < MAX_EXAMPLES) line.examples.push(example);
  }
  list(): ReportLine[] {
    return [...this.lines.values()].sort((a, b) => b.count - a.count || a.what.localeCompare(b.what));
  }
}

/** Reads the files, and returns the sheet tabs and the report. Throws TokenFileError for a file it cannot use. */
export function importTokens(files: readonly string[], read: ReadFile): { tabs: ImportedTab[]; report: ImportReport } {
  return buildTabs(gatherSources(files, read));
}

export function gatherSources(files: readonly string[], read: ReadFile): TabSource[] {
  const sources: TabSource[] = [];
  const studioSets: { name: string; tree: Record<string, unknown>; file: string }[] = [];
  const themes: Record<string, unknown>[] = [];
  const order: string[] = [];
  let studio = false;
  for (const file of files) {
    const doc = classify(file, readJson(file, read));
    if (doc.kind === 'resolver') sources.push(...resolverTabs(file, doc.doc, read));
    else if (doc.kind === 'studio') {
      studio = true;
      studioSets.push(...doc.sets.map((s) => ({ ...s, file })));
      themes.push(...doc.themes);
      order.push(...doc.order);
    } else sources.push({ tab: fileTabName(file), modes: [{ mode: 'Value', tokens: walkTokens(doc.tree, file) }] });
  }
  if (studio) sources.push(...studioTabs(studioSets, themes, order));
  return sources;
}

/** The variable name of a token without this product's extension: its path with "/" ($root dropped). */
function nameOf(path: readonly string[]): string {
  return path.filter((p) => p !== '$root').join('/');
}

export function buildTabs(sources: readonly TabSource[]): { tabs: ImportedTab[]; report: ImportReport } {
  const tabs = new Map<string, Tab>();
  const tabOf = (name: string, modes: readonly string[]): Tab => {
    let tab = tabs.get(name);
    if (!tab) tabs.set(name, (tab = { name, modes: [...modes], rows: new Map() }));
    for (const m of modes) if (!tab.modes.includes(m)) tab.modes.push(m);
    return tab;
  };
  /** Token path → where it went; the last definition wins, as in a DTCG resolution. */
  const index = new Map<string, { tab: string; name: string }>();
  for (const source of sources) {
    for (const { mode, tokens } of source.modes) {
      for (const token of tokens) {
        const ext = token.extension;
        const tab = ext ? tabOf(token.fileCollection ?? source.tab, token.fileModes ?? Object.keys(ext.modes ?? {})) : tabOf(source.tab, source.modes.map((m) => m.mode));
        const name = ext ? ext.variable : nameOf(token.path);
        let row = tab.rows.get(name);
        if (!row) tab.rows.set(name, (row = { name, values: new Map(), description: '', hidden: false, codeSyntax: {} }));
        if (ext) {
          // Every mode's value travels in the extension; a per-mode file's own $value wins for its mode.
          for (const [m, value] of Object.entries(ext.modes ?? {})) if (!row.values.has(m)) row.values.set(m, { token, value });
          if (token.fileMode !== undefined) row.values.set(token.fileMode, { token, value: token.value });
          row.hidden = ext.hidden === true;
          if (Array.isArray(ext.scopes)) row.scopes = ext.scopes;
          if (ext.codeSyntax && typeof ext.codeSyntax === 'object') row.codeSyntax = ext.codeSyntax;
        } else row.values.set(mode, { token, value: token.value });
        if (token.description !== '') row.description = token.description;
        index.set(token.path.join('.'), { tab: tab.name, name });
      }
    }
  }

  const converted = new Tally();
  const leftOut = new Tally();
  const unreadable: ImportReport['unreadable'] = [];
  const label = (tab: Tab, row: Row) => `${tab.name}::${row.name}`;

  // Pass 1: literal values and their types.
  for (const tab of tabs.values()) {
    for (const row of tab.rows.values()) {
      row.cells = new Map();
      for (const [mode, { token, value }] of row.values) {
        const cell = convertValue(token, value);
        row.cells.set(mode, cell);
        if (cell.kind === 'left-out') {
          leftOut.add(cell.what, label(tab, row));
          row.dropped = true;
          break;
        }
        if (cell.kind === 'invalid') {
          unreadable.push({ tab: tab.name, token: row.name, message: cell.message });
          row.dropped = true;
          break;
        }
        if (cell.kind === 'literal') {
          if (row.type !== undefined && row.type !== cell.type) {
            unreadable.push({ tab: tab.name, token: row.name, message: `its modes hold values of different types (${row.type} and ${cell.type}); a variable has one type` });
            row.dropped = true;
            break;
          }
          row.type = cell.type;
          if (cell.scope && row.scopes === undefined && !row.values.get(mode)!.token.extension) row.scopes = [cell.scope];
        }
      }
      if (!row.dropped) {
        for (const cell of row.cells.values()) if (cell.kind === 'literal' && cell.converted) converted.add(cell.converted, label(tab, row));
        const ext = [...row.values.values()][0]?.token.extension;
        if (ext && (ext.type === 'COLOR' || ext.type === 'FLOAT' || ext.type === 'STRING' || ext.type === 'BOOLEAN')) row.type = ext.type;
      }
    }
  }

  // Pass 2: references, followed to a literal for their type; a reference to a left-out token is left out too.
  const target = (path: string): { tab: Tab; row: Row } | undefined => {
    const at = index.get(path);
    const tab = at && tabs.get(at.tab);
    const row = at && tab?.rows.get(at.name);
    return tab && row ? { tab, row } : undefined;
  };
  const typeOf = (row: Row, hops: number): VariableType | 'dropped' | undefined => {
    if (row.dropped) return 'dropped';
    if (row.type !== undefined) return row.type;
    if (hops > ALIAS_HOPS) return undefined;
    for (const cell of row.cells!.values()) {
      if (cell.kind !== 'reference') continue;
      const t = target(cell.path);
      if (!t) return undefined;
      return typeOf(t.row, hops + 1);
    }
    return undefined;
  };
  for (const tab of tabs.values()) {
    for (const row of tab.rows.values()) {
      if (row.dropped) continue;
      for (const cell of row.cells!.values()) {
        if (cell.kind !== 'reference') continue;
        const t = target(cell.path);
        if (!t) {
          unreadable.push({ tab: tab.name, token: row.name, message: `{${cell.path}} points at no token in the files given` });
          row.dropped = true;
          break;
        }
        const type = typeOf(t.row, 0);
        if (type === 'dropped') {
          leftOut.add('reference to a token left out', label(tab, row));
          row.dropped = true;
          break;
        }
        if (type === undefined) {
          unreadable.push({ tab: tab.name, token: row.name, message: `{${cell.path}} is part of a reference chain that never reaches a value` });
          row.dropped = true;
          break;
        }
        if (row.type === undefined) row.type = type;
      }
    }
  }
  // A row that points at a row dropped in this pass is dropped as well (until nothing changes).
  for (let changed = true; changed; ) {
    changed = false;
    for (const tab of tabs.values()) {
      for (const row of tab.rows.values()) {
        if (row.dropped) continue;
        for (const cell of row.cells!.values()) {
          if (cell.kind === 'reference' && target(cell.path)?.row.dropped) {
            leftOut.add('reference to a token left out', label(tab, row));
            row.dropped = true;
            changed = true;
            break;
          }
        }
      }
    }
  }

  const names = new Map<string, number>();
  for (const tab of tabs.values()) for (const row of tab.rows.values()) if (!row.dropped) names.set(row.name, (names.get(row.name) ?? 0) + 1);
  const out: ImportedTab[] = [];
  for (const tab of tabs.values()) {
    const rows = [...tab.rows.values()].filter((r) => !r.dropped);
    out.push({ name: tab.name, modes: tab.modes, rows: rows.length, csv: tabCsv(tab, rows, names, target, converted) });
  }
  return { tabs: out, report: { converted: converted.list(), leftOut: leftOut.list(), unreadable } };
}

function tabCsv(tab: Tab, rows: readonly Row[], names: ReadonlyMap<string, number>, target: (path: string) => { tab: Tab; row: Row } | undefined, converted: Tally): string {
  const withDescription = rows.some((r) => r.description !== '');
  const withScopes = rows.some((r) => r.scopes !== undefined);
  const withHidden = rows.some((r) => r.hidden);
  const platforms = (['WEB', 'ANDROID', 'iOS'] as const).filter((p) => rows.some((r) => r.codeSyntax[p] !== undefined));
  const header = ['Name', ...tab.modes, 'Type'];
  if (withDescription) header.push('Description');
  if (withScopes) header.push('Scopes');
  if (withHidden) header.push('Hidden');
  header.push(...platforms.map((p) => ({ WEB: 'Web', ANDROID: 'Android', iOS: 'iOS' })[p]));
  const lines: string[][] = [header];
  for (const row of rows) {
    const cellText = (cell: Conversion | undefined): string => {
      if (!cell) return '';
      if (cell.kind === 'literal') return cell.text;
      if (cell.kind !== 'reference') return '';
      const t = target(cell.path)!;
      if (t.tab === tab || (!tab.rows.has(t.row.name) && names.get(t.row.name) === 1)) return `{${t.row.name}}`;
      return `{${t.tab.name}::${t.row.name}}`;
    };
    const values = tab.modes.map((m) => cellText(row.cells!.get(m)));
    if (values[0] === '') {
      const first = values.findIndex((v) => v !== '');
      if (first > 0) {
        values[0] = values[first]!;
        converted.add(`default mode (${tab.modes[0]}) missing → the value of ${tab.modes[first]}`, `${tab.name}::${row.name}`);
      }
    }
    const line = [row.name, ...values, typeWord(row.type!)];
    if (withDescription) line.push(row.description);
    if (withScopes) line.push((row.scopes ?? []).join(', '));
    if (withHidden) line.push(row.hidden ? 'TRUE' : 'FALSE');
    for (const p of platforms) line.push(row.codeSyntax[p] ?? '');
    lines.push(line);
  }
  return toCsv(lines);
}

function typeWord(type: VariableType): string {
  return { COLOR: 'color', FLOAT: 'number', STRING: 'string', BOOLEAN: 'boolean' }[type];
}
