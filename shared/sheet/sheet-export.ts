// A Figma file's local variables → sheet tabs in the documented sheet format (docs/sheet-format.md),
// one tab per collection, such that mapping the tabs gives back the same variables (within the
// planner's float tolerance): adopting the exported sheet writes nothing but the sync's marks. What
// the format cannot carry exactly is reported and left out, never silently changed. Pure.

import { AliasIndex, parseAlias, type AliasTarget } from './alias';
import { a1 } from './a1';
import { CellReader, type CellReading } from './cell-value';
import { colorText, shortestNumber } from './exact-text';
import { exportProblem, q, ROW_LEFT_OUT, type ExportProblemCode } from './export-problems';
import { checkScopes, checkVariableName, FIGMA_LIMITS, isKnownType, typeWord } from './figma-rules';
import type { CellValue } from '../protocol/grid';
import { LIMITS } from '../protocol/limits';
import type { CodeSyntaxPlatform, FileCollection, FileState, FileValue, FileVariable, VariableType } from './model';
import type { Problem } from '../protocol/messages';
import { coloursEqual, isFileAlias, isRgba, isUnknownValue, numbersEqual } from './value-equality';

/** One collection as a tab: the Offer's collection entry (shared/protocol/messages.ts) without the offer around it. */
export interface ExportedTab {
  /** Figma's id of the collection, so adopting it needs no guess. */
  collectionId: string;
  name: string;
  /** Mode names in column order, the default mode first. */
  modes: string[];
  /** Rows (variables) in the tab. */
  variables: number;
  /** The tab's rows, header first, as a sheet's getValues() gives them. */
  values: CellValue[][];
}

export interface SheetExport {
  tabs: ExportedTab[];
  problems: Problem[];
}

export interface ExportOptions {
  /** The collections to export (by Figma id); every local collection when absent. */
  collectionIds?: readonly string[];
}

/** Headers the mapper reserves (lower case): a mode may not be named like them. */
const RESERVED_HEADERS = new Set(['name', 'type', 'description', 'scopes', 'hidden', 'web', 'android', 'ios']);
const PLATFORMS: readonly { platform: CodeSyntaxPlatform; header: string }[] = [
  { platform: 'WEB', header: 'Web' },
  { platform: 'ANDROID', header: 'Android' },
  { platform: 'iOS', header: 'iOS' },
];

interface Column {
  modeId: string;
  name: string;
}

interface TabPlan {
  collection: FileCollection;
  modes: Column[];
  /** Variables of the collection in Figma's order; `kept` marks those still in the sheet. */
  variables: FileVariable[];
}

/** Why a variable is left out, decided once (the first reason wins). */
type LeftOut = { code: ExportProblemCode; message: string };

export function exportSheet(file: FileState, options: ExportOptions = {}): SheetExport {
  const problems: Problem[] = [];
  const chosen = options.collectionIds ? new Set(options.collectionIds) : undefined;
  const tabs = chooseCollections(file, chosen, problems);
  const byCollection = new Map<string, TabPlan>(tabs.map((t) => [t.collection.id, t]));
  for (const v of file.variables) byCollection.get(v.collectionId)?.variables.push(v);

  const variablesById = new Map(file.variables.map((v) => [v.id, v]));
  const leftOut = new Map<string, LeftOut>();
  const reader = new CellReader();
  /** The cell of each plain value, by variable id then mode id (aliases are written once rows are settled). */
  const plainCells = new Map<string, Map<string, CellValue>>();
  /** Variables whose row needs a Type cell because a value alone would be read as another type. */
  const typed = new Set<string>();

  for (const t of tabs) {
    const seen = new Set<string>();
    for (const v of t.variables) {
      const why = ownProblem(v, t, seen) ?? valueCells(v, t, reader, plainCells, typed);
      if (why) leftOut.set(v.id, why);
      seen.add(v.name);
    }
  }

  // Aliases: a row can be written only when every variable it points at is a row of an exported tab,
  // and with a text ({name} or {Tab::name}) that the mapper resolves to that very row. Leaving a row
  // out can strand rows that point at it, so this runs until nothing more is left out.
  const aliasTexts = new Map<string, Map<string, string>>();
  for (;;) {
    let changed = false;
    for (const t of tabs) {
      for (const v of t.variables) {
        if (leftOut.has(v.id)) continue;
        const why = aliasProblem(v, t, variablesById, byCollection, leftOut);
        if (why) {
          leftOut.set(v.id, why);
          changed = true;
        }
      }
    }
    if (changed) continue;
    const index = new AliasIndex<AliasTarget>();
    for (const t of tabs) index.addTab(t.collection.name, t.variables.filter((v) => !leftOut.has(v.id)).map((v) => ({ collection: t.collection.name, name: v.name })));
    aliasTexts.clear();
    for (const t of tabs) {
      for (const v of t.variables) {
        if (leftOut.has(v.id)) continue;
        const texts = new Map<string, string>();
        for (const m of t.modes) {
          const value = v.valuesByMode[m.modeId];
          if (!isFileAlias(value)) continue;
          const target = variablesById.get(value.id)!;
          const text = aliasText(index, t.collection.name, byCollection.get(target.collectionId)!.collection.name, target.name);
          if (text === undefined) {
            leftOut.set(v.id, {
              code: 'EXPORT_ALIAS_OUTSIDE',
              message: `${q(v.name)} points at ${q(target.name)} in ${q(byCollection.get(target.collectionId)!.collection.name)}, and no alias the sheet can write ({name} or {Tab::name}) finds that variable (the tab's name cannot be written in an alias), ${ROW_LEFT_OUT}`,
            });
            changed = true;
            break;
          }
          texts.set(m.modeId, text);
        }
        aliasTexts.set(v.id, texts);
      }
    }
    if (!changed) break;
  }

  const out: ExportedTab[] = [];
  for (const t of tabs) {
    const kept = t.variables.filter((v) => !leftOut.has(v.id));
    for (const v of t.variables) {
      const why = leftOut.get(v.id);
      if (why) problems.push(exportProblem(why.code, t.collection.name, '', why.message));
    }
    out.push(buildTab(t, kept, plainCells, aliasTexts, typed, problems));
  }
  return { tabs: out, problems };
}

// ---------------------------------------------------------------------------------------------
// Collections and modes

function chooseCollections(file: FileState, chosen: Set<string> | undefined, problems: Problem[]): TabPlan[] {
  const tabs: TabPlan[] = [];
  const names = new Map<string, string>();
  for (const c of file.collections) {
    if (c.remote || (chosen && !chosen.has(c.id))) continue;
    const why = collectionProblem(c, names);
    if (why) {
      problems.push(exportProblem('EXPORT_COLLECTION_UNSUPPORTED', c.name, '', `The collection ${q(c.name)} ${why}, so it is not exported; rename it in Figma and export again`));
      continue;
    }
    names.set(c.name.toLowerCase(), c.name);
    const first = c.modes.find((m) => m.modeId === c.defaultModeId) ?? c.modes[0]!;
    const modes = [first, ...c.modes.filter((m) => m !== first)].map((m) => ({ modeId: m.modeId, name: m.name }));
    tabs.push({ collection: c, modes, variables: [] });
  }
  return tabs;
}

/** Why a collection cannot be one tab (its name as a tab name, its modes as headers), or undefined. */
function collectionProblem(c: FileCollection, names: Map<string, string>): string | undefined {
  if (c.name.trim() === '') return 'has no name, and a tab needs one';
  if (c.name !== c.name.trim()) return 'has spaces around its name, which the sheet drops from tab names';
  if (c.name.length > LIMITS.maxTabNameChars) return `has a name of ${c.name.length} characters, longer than the ${LIMITS.maxTabNameChars} a tab name may have`;
  const other = names.get(c.name.toLowerCase());
  if (other !== undefined) return `has the name of another exported collection (${q(other)}, ignoring letter case), and the sheet finds tabs by name`;
  if (c.modes.length === 0) return 'has no mode';
  if (c.modes.length > FIGMA_LIMITS.maxModesPerCollection) return `has ${c.modes.length} modes, more than the ${FIGMA_LIMITS.maxModesPerCollection} columns the sheet maps`;
  const headers = new Set<string>();
  for (const m of c.modes) {
    const lower = m.name.trim().toLowerCase();
    if (m.name.trim() === '') return 'has a mode without a name, and a mode column needs a header';
    if (m.name !== m.name.trim()) return `has the mode ${q(m.name)} with spaces around its name, which the sheet drops from headers`;
    if (m.name.length > FIGMA_LIMITS.maxModeNameChars) return `has the mode ${q(m.name)}, longer than the ${FIGMA_LIMITS.maxModeNameChars} characters a mode header may have`;
    if (RESERVED_HEADERS.has(lower)) return `has a mode named ${q(m.name)}, a header the sheet reserves for its own column`;
    if (headers.has(lower)) return `has two modes named ${q(m.name)} (ignoring letter case), and each header may appear once`;
    headers.add(lower);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// One variable

/** A problem of the variable itself (type, name), before its values are looked at. */
function ownProblem(v: FileVariable, t: TabPlan, seen: Set<string>): LeftOut | undefined {
  if (!isKnownType(v.resolvedType)) {
    return { code: 'EXPORT_TYPE_UNSUPPORTED', message: `${q(v.name)} is a ${v.resolvedType} variable, a type the sheet has no values for, ${ROW_LEFT_OUT}` };
  }
  const name = v.name;
  const check = name.trim() === '' ? undefined : checkVariableName(name);
  if (!check || !check.ok || check.name !== name || name !== name.trim()) {
    const why = !check
      ? 'is empty'
      : !check.ok
        ? check.message.split(';')[0]!
        : 'has spaces around it or around a "/", which the sheet drops';
    return { code: 'EXPORT_NAME_UNSUPPORTED', message: `The name ${q(name)} ${why}; the sheet cannot carry it unchanged, ${ROW_LEFT_OUT}. Rename it in Figma (e.g. with "/" for groups and "-" within a name) and export again` };
  }
  if (seen.has(name)) return { code: 'EXPORT_NAME_UNSUPPORTED', message: `Two variables of ${q(t.collection.name)} are named ${q(name)}; a row name must be unique, ${ROW_LEFT_OUT}` };
  return undefined;
}

/**
 * Makes the cells of the variable's plain values, read back with the mapper's own reader: each must
 * read as the variable's type and value, by itself or with the row typed in the Type column.
 */
function valueCells(v: FileVariable, t: TabPlan, reader: CellReader, out: Map<string, Map<string, CellValue>>, typed: Set<string>): LeftOut | undefined {
  const type = v.resolvedType as VariableType;
  const cells = new Map<string, CellValue>();
  for (const m of t.modes) {
    const value = v.valuesByMode[m.modeId];
    if (value === undefined || isUnknownValue(value)) {
      return { code: 'EXPORT_VALUE_UNSUPPORTED', message: `${q(v.name)} has a value in ${q(m.name)} that the sync cannot read (${value === undefined ? 'none' : 'a kind of value it does not know'}), ${ROW_LEFT_OUT}` };
    }
    if (isFileAlias(value)) continue;
    const cell = cellOf(type, value);
    if (cell === undefined) return { code: 'EXPORT_VALUE_UNSUPPORTED', message: `${q(v.name)} holds in ${q(m.name)} a value that does not match its type ${type}, ${ROW_LEFT_OUT}` };
    if (typeof cell === 'string' && cell.length > LIMITS.maxCellChars) {
      return { code: 'EXPORT_VALUE_UNSUPPORTED', message: `${q(v.name)} holds ${cell.length} characters in ${q(m.name)}, more than a sheet cell holds (${LIMITS.maxCellChars}), ${ROW_LEFT_OUT}` };
    }
    if (typeof cell === 'string' && cell.trim() === '') {
      return {
        code: 'EXPORT_VALUE_UNSUPPORTED',
        message: `${q(v.name)} is ${cell === '' ? 'empty text' : 'only spaces'} in ${q(m.name)}; an empty cell in the sheet means "no value" (or "the default mode's value"), so it cannot hold empty text, ${ROW_LEFT_OUT}`,
      };
    }
    cells.set(m.modeId, cell);
  }
  // Colours (hex or color(srgb …)), number cells and boolean cells always read as their own type;
  // only text can read as something else, so only string rows are read back here.
  let needsType = false;
  if (type === 'STRING') {
    for (const [modeId, cell] of cells) {
      if (!readsAs(reader.infer(cell), type, v.valuesByMode[modeId]!)) needsType = true;
    }
  }
  if (needsType) {
    for (const [modeId, cell] of cells) {
      if (!readsAs(reader.readAs(cell, type), type, v.valuesByMode[modeId]!)) {
        const mode = t.modes.find((m) => m.modeId === modeId)!.name;
        const why = typeof cell === 'string' && (cell.trim().startsWith('{') || cell.trim().endsWith('}')) ? 'text starting with "{" or ending with "}" reads as an alias' : 'no cell reads back as it';
        return { code: 'EXPORT_VALUE_UNSUPPORTED', message: `${q(v.name)} holds ${q(String(cell))} in ${q(mode)}, and ${why}, ${ROW_LEFT_OUT}` };
      }
    }
    typed.add(v.id);
  }
  out.set(v.id, cells);
  return undefined;
}

/** The cell for a plain value of a type, or undefined when the value is not of that type. */
function cellOf(type: VariableType, value: FileValue): CellValue | undefined {
  switch (type) {
    case 'COLOR':
      return isRgba(value) ? colorText(value) : undefined;
    case 'FLOAT':
      return typeof value === 'number' && Number.isFinite(value) ? shortestNumber(value) : undefined;
    case 'STRING':
      return typeof value === 'string' ? value : undefined;
    case 'BOOLEAN':
      return typeof value === 'boolean' ? value : undefined;
  }
}

/** Whether the mapper reads a cell, without a warning, as the value Figma holds (within float tolerance). */
function readsAs(reading: CellReading, type: VariableType, original: FileValue): boolean {
  if (reading.kind !== 'literal' || reading.type !== type || reading.clamped || reading.lookAlike) return false;
  const value = reading.value;
  switch (type) {
    case 'COLOR':
      return isRgba(value) && isRgba(original) && coloursEqual(value, original);
    case 'FLOAT':
      return typeof value === 'number' && typeof original === 'number' && numbersEqual(value, original);
    default:
      return value === original;
  }
}

/** Why a variable's aliases cannot be written as rows of the exported tabs, or undefined. */
function aliasProblem(v: FileVariable, t: TabPlan, variables: Map<string, FileVariable>, tabs: Map<string, TabPlan>, leftOut: Map<string, LeftOut>): LeftOut | undefined {
  for (const m of t.modes) {
    const value = v.valuesByMode[m.modeId];
    if (!isFileAlias(value)) continue;
    const target = variables.get(value.id);
    const where = `${q(v.name)} (${q(m.name)}) points at`;
    if (!target || target.remote) {
      return { code: 'EXPORT_ALIAS_OUTSIDE', message: `${where} a variable that is not one of this file's local variables (a library variable, or one Figma cannot read), which a sheet cannot point at, ${ROW_LEFT_OUT}` };
    }
    const tab = tabs.get(target.collectionId);
    if (!tab) {
      return { code: 'EXPORT_ALIAS_OUTSIDE', message: `${where} ${q(target.name)}, whose collection is not exported; export that collection too, or this row is left out: ${ROW_LEFT_OUT}` };
    }
    if (leftOut.has(target.id)) {
      return { code: 'EXPORT_ALIAS_OUTSIDE', message: `${where} ${q(target.name)} in ${q(tab.collection.name)}, which is itself left out (see its problem), ${ROW_LEFT_OUT}` };
    }
  }
  return undefined;
}

/** The shortest alias the mapper resolves, from `from`, to (tab, name): {name}, else {Tab::name}. */
function aliasText(index: AliasIndex<AliasTarget>, from: string, tab: string, name: string): string | undefined {
  for (const text of [`{${name}}`, `{${tab}::${name}}`]) {
    const parsed = parseAlias(text);
    if (!parsed.ok) continue;
    const found = index.resolve(from, parsed.ref);
    if (found.ok && found.target.collection === tab && found.target.name === name) return text;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The tab

function buildTab(
  t: TabPlan,
  kept: FileVariable[],
  plainCells: Map<string, Map<string, CellValue>>,
  aliasTexts: Map<string, Map<string, string>>,
  typed: Set<string>,
  problems: Problem[],
): ExportedTab {
  const tabName = t.collection.name;
  const hasType = kept.some((v) => typed.has(v.id));
  const hasDescription = kept.some((v) => v.description.trim() !== '');
  const hasHidden = kept.some((v) => v.hidden);
  const platforms = PLATFORMS.filter((p) => kept.some((v) => (v.codeSyntax[p.platform] ?? '').trim() !== ''));
  const scopes = scopeCells(t, kept, problems);

  const header: CellValue[] = ['Name'];
  if (hasType) header.push('Type');
  for (const m of t.modes) header.push(m.name);
  const descriptionCol = hasDescription ? header.push('Description') : 0;
  if (scopes) header.push('Scopes');
  if (hasHidden) header.push('Hidden');
  const firstPlatform = header.length;
  for (const p of platforms) header.push(p.header);

  const rows: CellValue[][] = [header];
  kept.forEach((v, i) => {
    const rowNumber = i + 2;
    const row: CellValue[] = [v.name];
    if (hasType) row.push(typed.has(v.id) ? typeWord(v.resolvedType as VariableType) : '');
    const plain = plainCells.get(v.id)!;
    const aliases = aliasTexts.get(v.id);
    for (const m of t.modes) row.push(aliases?.get(m.modeId) ?? plain.get(m.modeId)!);
    if (hasDescription) row.push(trimmed(v.description, tabName, a1(rowNumber, descriptionCol), `The description of ${q(v.name)}`, problems));
    if (scopes) row.push(scopes.get(v.id) ?? '');
    if (hasHidden) row.push(v.hidden ? true : '');
    platforms.forEach((p, j) => row.push(trimmed(v.codeSyntax[p.platform] ?? '', tabName, a1(rowNumber, firstPlatform + j + 1), `The ${p.header} code syntax of ${q(v.name)}`, problems)));
    rows.push(row);
  });
  return { collectionId: t.collection.id, name: tabName, modes: t.modes.map((m) => m.name), variables: kept.length, values: rows };
}

/** Text as the sheet keeps it (trimmed), with a warning when that drops something. */
function trimmed(text: string, tab: string, cell: string, what: string, problems: Problem[]): string {
  const kept = text.trim();
  if (kept !== text && kept !== '') problems.push(exportProblem('EXPORT_TEXT_TRIMMED', tab, cell, `${what} has spaces or line breaks around it, which the sheet drops; adopting the sheet trims it in Figma`));
  else if (kept !== text) problems.push(exportProblem('EXPORT_TEXT_TRIMMED', tab, cell, `${what} is only spaces, which the sheet reads as none; adopting the sheet clears it in Figma`));
  return kept;
}

/**
 * The Scopes cell of each variable, or undefined for no Scopes column: when every variable has
 * Figma's default (ALL_SCOPES), or when one has scopes the column cannot say (none at all, or a
 * combination the sheet refuses) — then the sync leaves every variable's scopes to Figma.
 */
function scopeCells(t: TabPlan, kept: FileVariable[], problems: Problem[]): Map<string, string> | undefined {
  const cells = new Map<string, string>();
  let narrowed = false;
  for (const v of kept) {
    const type = v.resolvedType as VariableType;
    if (type === 'BOOLEAN') continue;
    const set = [...new Set(v.scopes)];
    if (set.length === 1 && set[0] === 'ALL_SCOPES') continue;
    const check = set.length === 0 ? undefined : checkScopes(set, type);
    if (!check || !check.ok) {
      const why = !check ? 'has no scopes at all (Figma offers it nowhere), which an empty Scopes cell cannot say (it means all scopes)' : `has scopes the sheet refuses (${check.message})`;
      problems.push(
        exportProblem('EXPORT_SCOPES_KEPT', t.collection.name, '', `${q(v.name)} ${why}, so the tab has no Scopes column and the sync leaves every variable's scopes in ${q(t.collection.name)} as Figma has them`),
      );
      return undefined;
    }
    narrowed = true;
    cells.set(v.id, set.join(', '));
  }
  return narrowed ? cells : undefined;
}
