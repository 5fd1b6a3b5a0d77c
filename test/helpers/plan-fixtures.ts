// Builders for planner tests: mapped tabs written by hand (Name in column A, modes from column B,
// rows from row 2) and Figma files made by planning into an empty file and applying the plan.

import type { FileState, MappedCollection, MappedValue, MappedVariable, Rgba, VariableType } from '../../shared/sheet/model';
import { planSync } from '../../shared/plan/plan';
import { applyPlanToFileState } from '../../shared/plan/plan-apply';

export const EMPTY_FILE: FileState = { collections: [], variables: [] };

export function rgba(r: number, g: number, b: number, a = 1): Rgba {
  return { r, g, b, a };
}

export function alias(collection: string, name: string): MappedValue {
  return { alias: { collection, name } };
}

export interface RowSpec {
  name: string;
  type: VariableType;
  /** One value per mode, in mode order. */
  values: MappedValue[];
  /** The sheet row; rows are numbered from 2 in order when absent. */
  row?: number;
  description?: string;
  scopes?: string[];
  hidden?: boolean;
  codeSyntax?: MappedVariable['codeSyntax'];
}

/** A mapped tab: modes in columns B, C, … unless columns are given; rows from row 2 unless given. */
export function tab(tabId: number, name: string, modes: (string | { name: string; column: number })[], rows: RowSpec[]): MappedCollection {
  const mappedModes = modes.map((m, i) => (typeof m === 'string' ? { name: m, column: i + 2 } : m));
  return {
    tabId,
    name,
    modes: mappedModes,
    nameColumn: 1,
    variables: rows.map((spec, i) => {
      const valuesByMode: Record<string, MappedValue> = {};
      const valueColumns: Record<string, number> = {};
      mappedModes.forEach((m, j) => {
        const value = spec.values[j];
        if (value !== undefined) valuesByMode[m.name] = value;
        valueColumns[m.name] = m.column;
      });
      return {
        name: spec.name,
        type: spec.type,
        valuesByMode,
        description: spec.description ?? '',
        ...(spec.scopes ? { scopes: spec.scopes } : {}),
        hidden: spec.hidden ?? false,
        codeSyntax: spec.codeSyntax ?? {},
        row: spec.row ?? i + 2,
        valueColumns,
      };
    }),
  };
}

let lastId = 0;

/**
 * Gives Figma-like ids to the refs of one plan: "VariableCollectionId:1:n", "n:0" for modes,
 * "VariableID:1:n". Refs are unique only within one plan (a later plan may use "new:mode:4:3" for
 * another mode), so use one of these per plan; the counter is shared, so ids never repeat.
 */
export function figmaIds(): (ref: string) => string {
  const ids = new Map<string, string>();
  return (ref) => {
    let id = ids.get(ref);
    if (id === undefined) {
      const n = ++lastId;
      id = ref.startsWith('new:collection:') ? `VariableCollectionId:1:${n}` : ref.startsWith('new:mode:') ? `${n}:0` : `VariableID:1:${n}`;
      ids.set(ref, id);
    }
    return id;
  };
}

/** The file the sync would have made for these tabs: planned into an empty file and applied. */
export function syncedFile(collections: MappedCollection[], ids = figmaIds()): FileState {
  return applyPlanToFileState(EMPTY_FILE, planSync(collections, EMPTY_FILE), ids);
}

/** The Figma variable of a collection (by tab id origin) and name; throws when missing. */
export function variableIn(file: FileState, tabId: number, name: string) {
  const collection = file.collections.find((c) => c.origin?.tabId === tabId);
  const variable = file.variables.find((v) => v.collectionId === collection?.id && v.name === name);
  if (!collection || !variable) throw new Error(`no variable ${name} in tab ${tabId}`);
  return variable;
}

/** The Figma collection made for a tab; throws when missing. */
export function collectionOf(file: FileState, tabId: number) {
  const collection = file.collections.find((c) => c.origin?.tabId === tabId);
  if (!collection) throw new Error(`no collection for tab ${tabId}`);
  return collection;
}

/** The file after planning these tabs against it and applying the plan. */
export function settle(collections: MappedCollection[], file: FileState): FileState {
  return applyPlanToFileState(file, planSync(collections, file), figmaIds());
}
