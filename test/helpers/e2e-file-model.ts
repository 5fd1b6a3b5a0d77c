// The end-to-end oracle: reads the Figma fake's file into the shape of the mapper's output
// (collections → modes → variables with values by mode name), and turns a MapResult into the same
// shape, so "Figma holds what the sheet means" is one deep equality. Pure: runs in Node and in
// the demo page. Colours are compared as Figma stores them (float32 channels); aliases by the
// target's collection and name; a variable Figma gave no scopes of its own has ALL_SCOPES.

import type { CodeSyntax, MapResult, MappedValue, Rgba } from '../../shared/sheet/model';
import { numbersEqual } from '../../shared/sheet/value-equality';
import { NAMESPACE, SHARED_KEYS } from '../../figma-plugin/main/plugin-data';
import type { FakeCollection, FakeFile, FakeVariable } from '../fakes/figma/fake-variables';

export type ModelValue = Rgba | number | string | boolean | { alias: { collection: string; name: string } };

export interface ModelVariable {
  name: string;
  type: string;
  valuesByMode: Record<string, ModelValue>;
  description: string;
  hidden: boolean;
  scopes: string[];
  codeSyntax: CodeSyntax;
}

export interface ModelCollection {
  /** The tab id from the collection's plugin data (−1 for a collection the sync did not create). */
  tabId: number;
  name: string;
  /** Mode names, default mode first. */
  modes: string[];
  /** Sorted by name. */
  variables: ModelVariable[];
}

/** Sorted by tab id. */
export interface FileModel {
  collections: ModelCollection[];
}

/** A variable as found in the fake, with its id (for bindings and orphans). */
export interface FoundVariable {
  id: string;
  collection: string;
  name: string;
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function tabIdOf(collection: FakeCollection): number {
  try {
    const origin = JSON.parse(collection.sharedPluginDataRaw(NAMESPACE, SHARED_KEYS.origin) || 'null') as { tabId?: unknown } | null;
    return typeof origin?.tabId === 'number' ? origin.tabId : -1;
  } catch {
    return -1;
  }
}

/**
 * What the fake file holds, read without counting calls. `except` leaves out variables by id
 * (orphans). Variables are sorted by name unless `creationOrder` keeps the order Figma lists them in.
 */
export function readFileModel(file: FakeFile, except: ReadonlySet<string> = new Set(), creationOrder = false): FileModel {
  const collectionNames = new Map<string, string>();
  for (const c of file.collections.values()) collectionNames.set(c.id, c.nameRaw);
  const collections: ModelCollection[] = [];
  for (const c of file.collections.values()) {
    if (c.remoteValue) continue;
    const modes = c.modesRaw();
    // The default mode first, as the mapper lists it.
    modes.sort((a, b) => Number(b.modeId === c.defaultModeRaw) - Number(a.modeId === c.defaultModeRaw));
    const variables = file
      .membersOf(c.id)
      .filter((v) => !except.has(v.id))
      .map((v) => readVariable(v, modes, file, collectionNames));
    collections.push({ tabId: tabIdOf(c), name: c.nameRaw, modes: modes.map((m) => m.name), variables: creationOrder ? variables : variables.sort(byName) });
  }
  return { collections: collections.sort((a, b) => a.tabId - b.tabId) };
}

function readVariable(v: FakeVariable, modes: { modeId: string; name: string }[], file: FakeFile, collectionNames: Map<string, string>): ModelVariable {
  const valuesByMode: Record<string, ModelValue> = {};
  for (const mode of modes) {
    const raw = v.valueRaw(mode.modeId) as unknown;
    const o = raw as { type?: string; id?: string; r?: number; g?: number; b?: number; a?: number };
    if (typeof raw === 'object' && raw !== null && o.type === 'VARIABLE_ALIAS') {
      const target = file.variables.get(o.id!);
      valuesByMode[mode.name] = { alias: { collection: target ? collectionNames.get(target.collectionIdRaw) ?? '?' : '?', name: target ? target.nameRaw : `missing ${o.id}` } };
    } else if (typeof raw === 'object' && raw !== null) {
      valuesByMode[mode.name] = { r: o.r!, g: o.g!, b: o.b!, a: o.a ?? 1 };
    } else {
      valuesByMode[mode.name] = raw as number | string | boolean;
    }
  }
  return {
    name: v.nameRaw,
    type: v.type,
    valuesByMode,
    description: v.descriptionRaw,
    hidden: v.hiddenRaw,
    scopes: [...v.scopesRaw],
    codeSyntax: { ...v.codeSyntaxRaw },
  };
}

/** Every variable of the fake with its id, collection and name. */
export function listVariables(file: FakeFile): FoundVariable[] {
  const out: FoundVariable[] = [];
  for (const v of file.variables.values()) {
    if (v.remoteValue) continue;
    out.push({ id: v.id, collection: file.collections.get(v.collectionIdRaw)?.nameRaw ?? '?', name: v.nameRaw });
  }
  return out;
}

function expectedValue(value: MappedValue): ModelValue {
  if (typeof value !== 'object') return value;
  if ('alias' in value) return { alias: { collection: value.alias.collection, name: value.alias.name } };
  return { r: Math.fround(value.r), g: Math.fround(value.g), b: Math.fround(value.b), a: Math.fround(value.a) };
}

/** What the file should hold for a mapped sheet: every collection the mapper made, every good row. */
export function expectedModel(mapped: MapResult): FileModel {
  const collections = mapped.collections.map((c) => ({
    tabId: c.tabId,
    name: c.name,
    modes: c.modes.map((m) => m.name),
    variables: c.variables
      .map((v) => {
        const valuesByMode: Record<string, ModelValue> = {};
        for (const mode of c.modes) valuesByMode[mode.name] = expectedValue(v.valuesByMode[mode.name]!);
        return {
          name: v.name,
          type: v.type,
          valuesByMode,
          description: v.description,
          hidden: v.hidden,
          scopes: v.scopes ? [...v.scopes] : ['ALL_SCOPES'],
          codeSyntax: { ...v.codeSyntax },
        };
      })
      .sort(byName),
  }));
  return { collections: collections.sort((a, b) => a.tabId - b.tabId) };
}

/**
 * The model without the variables of rows the mapper skipped (rows with an error in some cell):
 * the sync leaves those variables as they are, so they are no part of what the sheet says now.
 */
export function withoutSkippedRows(model: FileModel, mapped: MapResult): FileModel {
  return {
    collections: model.collections.map((c) => {
      const skipped = new Set((mapped.collections.find((m) => m.tabId === c.tabId)?.skippedRows ?? []).map((r) => r.name));
      return skipped.size === 0 ? c : { ...c, variables: c.variables.filter((v) => !skipped.has(v.name)) };
    }),
  };
}

/**
 * `actual` with every number that equals its counterpart in `expected` within float32 drift (the
 * planner's own equality, shared/sheet/value-equality.ts) replaced by that counterpart, so a deep equality
 * then reports only real differences: Figma keeps numbers as float32, and the sync rightly skips a
 * write that would change nothing a designer can see (1e-90 where 0 is).
 */
export function withinFloatDrift<T>(actual: T, expected: unknown): T {
  if (typeof actual === 'number' && typeof expected === 'number') return (numbersEqual(actual, expected) ? expected : actual) as T;
  if (Array.isArray(actual) && Array.isArray(expected)) return actual.map((v, i) => withinFloatDrift(v, expected[i])) as T;
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object' && !Array.isArray(actual)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(actual)) out[k] = withinFloatDrift(v, (expected as Record<string, unknown>)[k]);
    return out as T;
  }
  return actual;
}

/** Counts for messages: collections, variables and values in a model. */
export function modelSize(model: FileModel): { collections: number; variables: number; values: number } {
  let variables = 0;
  let values = 0;
  for (const c of model.collections) {
    variables += c.variables.length;
    values += c.variables.length * c.modes.length;
  }
  return { collections: model.collections.length, variables, values };
}
