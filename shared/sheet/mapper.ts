// Synced tabs → variable collections (the sheet format of docs/sheet-format.md): each tab is read
// on its own, then aliases are resolved across all tabs at once. Never throws: whatever goes wrong
// becomes a problem at a cell, and every row without errors still maps.

import { AliasIndex } from './alias';
import { resolveAliases } from './alias-graph';
import { CellReader } from './cell-value';
import type { Grid, TabGrid } from '../protocol/grid';
import { describe, ProblemLog, quote } from './mapper-problems';
import type { MapResult, MappedCollection, MappedValue, MappedVariable } from './model';
import { AliasSlot, type DraftValue, type DraftVariable } from './row';
import { readTab, type TabDraft } from './tab';

export { MAPPER_PROBLEMS, MAPPER_PROBLEM_CODES, type MapperProblemCode } from './mapper-problems';

export interface MapOptions {
  /**
   * Record `unit: "px"` on number variables whose cells were written with px, for token export
   * (shared/tokens/). Off by default: Figma numbers have no unit, and the plugin needs none.
   */
  units?: boolean;
}

/** Maps every synced tab of a grid to a collection, with every problem found on the way. */
export function mapGrid(grid: Grid, options: MapOptions = {}): MapResult {
  const units = options.units === true;
  const log = new ProblemLog();
  const collections: MappedCollection[] = [];
  try {
    const reader = new CellReader();
    const index = new AliasIndex<DraftVariable>();
    const tabs: TabDraft[] = [];
    const tabNames = new Map<string, number>();
    const gridTabs: readonly unknown[] = grid && Array.isArray(grid.tabs) ? grid.tabs : [];
    for (let i = 0; i < gridTabs.length; i++) {
      const tab = gridTabs[i] as TabGrid | undefined;
      if (!tab || typeof tab !== 'object') continue;
      const name = typeof tab.name === 'string' ? tab.name : '';
      try {
        const key = name.trim();
        if (key === '') {
          log.add(i, name, 1, 1, 'TAB_NAME_EMPTY', `The tab with id ${String(tab.tabId)} has no name; a collection needs one, so give the tab a name`);
          continue;
        }
        const first = tabNames.get(key);
        if (first !== undefined) {
          log.add(i, name, 1, 1, 'TAB_NAME_DUPLICATE', `Another synced tab is also named ${quote(key)}; collections are found by tab name (e.g. in {${key}::name}), so this tab is left out until one of them is renamed`);
          continue;
        }
        tabNames.set(key, i);
        const read = readTab(tab, i, reader, log);
        if (!read) {
          index.addBrokenTab(name);
          continue;
        }
        index.addTab(name, read.drafts);
        tabs.push(read);
      } catch (err) {
        log.add(i, name, 1, 1, 'MAPPER_INTERNAL', `The mapper failed on this tab (${describe(err)}); the other tabs still map. Please report this with the tab's header row`);
      }
    }
    resolveAliases(tabs, index, log);
    for (const tab of tabs) collections.push(toCollection(tab, log, units));
  } catch (err) {
    log.add(0, firstTabName(grid), 1, 1, 'MAPPER_INTERNAL', `The mapper failed (${describe(err)}); please report this with the sheet`);
  }
  return { collections, problems: log.sorted() };
}

function toCollection(tab: TabDraft, log: ProblemLog, units: boolean): MappedCollection {
  const variables: MappedVariable[] = [];
  const skippedRows: { row: number; name: string }[] = [];
  // The columns are the same for every variable of a tab, so they share one record (read-only).
  const valueColumns: Record<string, number> = {};
  for (const mode of tab.modes) setOwn(valueColumns, mode.name, mode.column);
  for (const draft of tab.drafts) {
    if (!draft.bad) {
      try {
        const variable = toVariable(tab, draft, valueColumns);
        if (units && draft.px && variable.type === 'FLOAT') variable.unit = 'px';
        variables.push(variable);
        continue;
      } catch (err) {
        log.add(tab.tabIndex, tab.name, draft.row, draft.nameCol, 'MAPPER_INTERNAL', `The mapper failed on this row (${describe(err)}); the row is left out. Please report this with the row's contents`);
      }
    }
    skippedRows.push({ row: draft.row, name: draft.name });
  }
  const collection: MappedCollection = { tabId: tab.tabId, name: tab.name, modes: tab.modes, variables, nameColumn: tab.nameColumn };
  if (tab.typeColumn !== undefined) collection.typeColumn = tab.typeColumn;
  if (skippedRows.length > 0) collection.skippedRows = skippedRows;
  return collection;
}

function toVariable(tab: TabDraft, draft: DraftVariable, valueColumns: Record<string, number>): MappedVariable {
  const valuesByMode: Record<string, MappedValue> = {};
  const fallback = draft.values[0];
  for (let m = 0; m < tab.modes.length; m++) {
    const value = draft.values[m];
    setOwn(valuesByMode, tab.modes[m]!.name, toValue(value === null || value === undefined ? fallback : value));
  }
  const variable: MappedVariable = {
    name: draft.name,
    type: draft.finalType!,
    valuesByMode,
    description: draft.description,
    hidden: draft.hidden,
    codeSyntax: draft.codeSyntax,
    row: draft.row,
    valueColumns,
  };
  if (draft.finalScopes !== undefined) variable.scopes = draft.finalScopes;
  return variable;
}

/** A fresh value object per mode, so no two variables share (and could change) one colour. */
function toValue(value: DraftValue | undefined): MappedValue {
  if (value instanceof AliasSlot) return { alias: { collection: value.target!.collection, name: value.target!.name } };
  if (value === null || value === undefined) throw new Error('a row without a default value cannot map');
  return typeof value === 'object' ? { r: value.r, g: value.g, b: value.b, a: value.a } : value;
}

/** Sets a key even when a mode is named "__proto__" (plain assignment would replace the prototype). */
function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

function firstTabName(grid: Grid): string {
  try {
    const name = grid?.tabs?.[0]?.name;
    return typeof name === 'string' ? name : '';
  } catch {
    return '';
  }
}
