// The plan: the smallest list of operations that makes a Figma file hold what the mapped sheet says,
// touching only what the sync created. Pure: the plugin adapter only executes it.

import { a1 } from '../sheet/a1';
import type {
  Adoption,
  AliasValue,
  CellRef,
  CodeSyntaxPlatform,
  FileCollection,
  FileState,
  FileValue,
  FileVariable,
  MappedCollection,
  MappedMode,
  MappedVariable,
  Orphan,
  Plan,
  PlanOp,
  Ref,
  VariableOrigin,
} from '../sheet/model';
import type { Problem } from '../protocol/messages';
import { isManaged, matchCollections, matchModes, matchVariables, type CollectionMatch, type ManagedVariable } from './plan-match';
import { orderAliasOps, orderRenames, type PlannedRename, type SetAliasOp } from './plan-order';
import {
  adoptionAmbiguousProblem,
  adoptionPendingProblem,
  aliasUnresolvedProblem,
  collectionNameTakenProblem,
  nameTakenProblem,
  tabClaimedTwiceProblem,
  typeChangedProblem,
  typeDiffersProblem,
} from './plan-problems';
import { isAliasValue, isFileAlias, isUnknownValue, plainValueEquals } from '../sheet/value-equality';

/** Refs of objects this plan creates; the executor maps them to the ids Figma gives. */
export const newRef = {
  collection: (tabId: number): Ref => `new:collection:${tabId}`,
  mode: (tabId: number, column: number): Ref => `new:mode:${tabId}:${column}`,
  variable: (tabId: number, name: string): Ref => `new:variable:${tabId}:${name}`,
};

/** What a variable holds right after figma.variables.createVariable, before the plan writes to it. */
export const NEW_VARIABLE_DEFAULTS = {
  description: '',
  hidden: false,
  scopes: ['ALL_SCOPES'] as readonly string[],
  codeSyntax: {} as Readonly<Partial<Record<CodeSyntaxPlatform, string>>>,
};

const PLATFORMS: readonly CodeSyntaxPlatform[] = ['WEB', 'ANDROID', 'iOS'];

/** One row the plan keeps in step: an existing variable (matched) or one it creates. */
interface RowWork {
  row: MappedVariable;
  ref: Ref;
  existing?: FileVariable;
  /** The existing variable is adopted by this plan (it carries no mark yet). */
  adoptedNow?: boolean;
  /** Ops that change the variable; setOrigin (plugin data only) is not counted. */
  writes: number;
  /** Of `writes`, the value and alias writes. */
  valueWrites: number;
}

interface TabWork {
  index: number;
  tab: MappedCollection;
  modes: { mode: MappedMode; ref: Ref }[];
  rows: RowWork[];
  /** Variables of the collection no row claims. */
  orphans: ManagedVariable[];
  /** When the collection is being adopted: what adopting it means. */
  adoption?: { collection: FileCollection; variables: FileVariable[]; typeDiffers: FileVariable[]; conflicts: FileVariable[]; modesAdded: string[]; modesKept: string[] };
}

interface PlacedProblem {
  tabIndex: number;
  row: number;
  col: number;
  problem: Problem;
}

export interface PlanOptions {
  /**
   * Local collections the sync did not create (by Figma id) that this plan may adopt: those the designer
   * agreed to adopt, and those the file exported to the sheet. Other candidates wait (see Plan.adoptions).
   */
  adopt?: ReadonlySet<string>;
}

/** What one planning pass found; planSync runs a second pass, adopting every candidate, only to preview them. */
interface Pass {
  ops: PlanOp[];
  orphans: Orphan[];
  problems: PlacedProblem[];
  works: TabWork[];
}

/**
 * Plans what makes `file` hold what `collections` (the mapper's output) say. Ops come in three
 * phases, each in tab order then row order: structure (per tab: collection, modes, recorded mode
 * columns, variable renames, creates), then per row (origin, values that differ beyond float32
 * drift, description, scopes, hidden, code syntax, and orphan marks), then alias writes, deepest
 * target first. So every "new:…" ref is created before it is used. Refs are unique within one plan
 * only: a later plan may use the same "new:…" text for another object.
 *
 * A tab without a collection of the sync's own whose name is exactly one local collection the sync did
 * not create is an adoption candidate: adopted when `options.adopt` has that collection, else left alone
 * (no twin is ever created) with its preview in `adoptions`. Several such collections: none is touched.
 */
export function planSync(collections: MappedCollection[], file: FileState, options: PlanOptions = {}): Plan {
  const approved = options.adopt ?? new Set<string>();
  const match = matchCollections(collections, file);
  const candidates = new Map<number, FileCollection>();
  for (const [tabId, list] of match.namesakes) if (list.length === 1) candidates.set(tabId, list[0]!);
  const pending = new Set<number>();
  for (const [tabId, c] of candidates) if (!approved.has(c.id)) pending.add(tabId);

  const pass = planPass(collections, file, match, candidates, pending);
  const adoptions: Adoption[] = pass.works.filter((w) => w.adoption).map((w) => adoptionOf(w, true));
  if (pending.size > 0) {
    // What adopting each waiting candidate would do: the same plan with every candidate adopted.
    const preview = planPass(collections, file, match, candidates, new Set());
    for (const w of preview.works) {
      if (!w.adoption || !pending.has(w.tab.tabId)) continue;
      const refs = new Set<Ref>([w.adoption.collection.id, ...w.modes.map((m) => m.ref), ...w.rows.map((r) => r.ref)]);
      adoptions.push({
        ...adoptionOf(w, false),
        ops: preview.ops.filter((op) => refs.has(subjectOf(op))),
        problems: preview.problems.filter((p) => p.tabIndex === w.index).map((p) => p.problem),
      });
    }
    adoptions.sort((x, y) => collections.findIndex((c) => c.tabId === x.tabId) - collections.findIndex((c) => c.tabId === y.tabId));
  }

  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (const w of pass.works) {
    for (const r of w.rows) {
      if (!r.existing) created++;
      else if (r.writes > 0) updated++;
      else unchanged++;
    }
  }
  pass.problems.sort((x, y) => x.tabIndex - y.tabIndex || x.row - y.row || x.col - y.col);
  return { ops: pass.ops, orphans: pass.orphans, problems: pass.problems.map((p) => p.problem), counts: { created, updated, unchanged }, adoptions };
}

function planPass(
  collections: MappedCollection[],
  file: FileState,
  match: CollectionMatch,
  candidates: ReadonlyMap<number, FileCollection>,
  pending: ReadonlySet<number>,
): Pass {
  const variablesByCollection = new Map<string, FileVariable[]>();
  for (const v of file.variables) {
    if (v.remote) continue;
    const list = variablesByCollection.get(v.collectionId);
    if (list) list.push(v);
    else variablesByCollection.set(v.collectionId, [v]);
  }
  const structure: PlanOp[] = [];
  const problems: PlacedProblem[] = [];
  const orphans: Orphan[] = [];
  const works: TabWork[] = [];
  /** Tabs left alone because they wait for adoption (or cannot be adopted): aliases into them say so. */
  const waiting = new Set<string>();

  const seenTabs = new Set<number>();
  let index = 0;
  for (const tab of collections) {
    // A tab without modes cannot become a collection (the mapper reports why); a repeated tab id is ignored.
    if (seenTabs.has(tab.tabId) || tab.modes.length === 0) continue;
    seenTabs.add(tab.tabId);
    const tabIndex = index++;
    for (const d of match.duplicates) {
      if (d.tabId === tab.tabId) {
        problems.push({ tabIndex, row: 0, col: 0, problem: tabClaimedTwiceProblem(tab.name, tab.tabId, d.kept.name, d.ignored.name) });
      }
    }
    const existing = match.byTab.get(tab.tabId);
    const namesakes = match.namesakes.get(tab.tabId) ?? [];
    const candidate = candidates.get(tab.tabId);
    if (existing) {
      // A rename onto the name of another local collection would make a twin: the collection keeps its name.
      const taken = existing.name !== tab.name && file.collections.some((c) => !c.remote && c.id !== existing.id && c.name === tab.name);
      if (taken) problems.push({ tabIndex, row: 0, col: 0, problem: collectionNameTakenProblem(tab.name, existing.name) });
      works.push(planExistingTab(tabIndex, tab, existing, variablesByCollection.get(existing.id) ?? [], structure, problems, orphans, false, !taken));
    } else if (candidate && !pending.has(tab.tabId)) {
      // Adopting: as if the sync had made the collection with no column for any of its modes yet, so its
      // modes match by name only and none is renamed or removed, and its variables are adopted by name.
      const adopting: FileCollection = { ...candidate, origin: { tabId: tab.tabId, modeColumns: {}, adopted: true, keepModes: candidate.modes.map((m) => m.modeId) } };
      works.push(planExistingTab(tabIndex, tab, adopting, variablesByCollection.get(candidate.id) ?? [], structure, problems, orphans, true));
    } else if (candidate) {
      waiting.add(tab.name);
      problems.push({ tabIndex, row: 0, col: 0, problem: adoptionPendingProblem(tab.name) });
    } else if (namesakes.length > 1) {
      waiting.add(tab.name);
      problems.push({ tabIndex, row: 0, col: 0, problem: adoptionAmbiguousProblem(tab.name, namesakes.length) });
    } else {
      works.push(planNewTab(tabIndex, tab, structure));
    }
  }
  const unmappedOrphans: ManagedVariable[] = [];
  for (const collection of match.unmapped) {
    const list = (variablesByCollection.get(collection.id) ?? []).filter(isManaged).sort((x, y) => x.origin.row - y.origin.row);
    for (const v of list) orphans.push(orphanOf(v, collection.name));
    unmappedOrphans.push(...list);
  }

  // Every planned row by tab name and row name, for aliases (within and across tabs).
  const refsByTab = new Map<string, Map<string, Ref>>();
  for (const w of works) refsByTab.set(w.tab.name, new Map(w.rows.map((r) => [r.row.name, r.ref])));
  const resolve = (alias: AliasValue): Ref | undefined => refsByTab.get(alias.alias.collection)?.get(alias.alias.name);

  const values: PlanOp[] = [];
  const aliasOps: SetAliasOp[] = [];
  const aliasEdges = new Map<Ref, Ref[]>();
  for (const w of works) {
    for (const r of w.rows) planRow(w, r, resolve, waiting, values, aliasOps, aliasEdges, problems);
    markOrphans(w.orphans, values);
  }
  markOrphans(unmappedOrphans, values);
  return { ops: [...structure, ...values, ...orderAliasOps(aliasOps, aliasEdges)], orphans, problems, works };
}

/** The object an op acts on (a collection, mode or variable ref), to tell which tab's it is. */
function subjectOf(op: PlanOp): Ref {
  switch (op.op) {
    case 'createCollection':
    case 'createVariable':
      return op.ref;
    case 'renameCollection':
    case 'addMode':
    case 'renameMode':
    case 'removeMode':
    case 'setCollectionOrigin':
      return op.collection;
    default:
      return op.variable;
  }
}

/** What adopting a tab's collection means, counted from its planned rows. */
function adoptionOf(w: TabWork, approved: boolean): Adoption {
  const a = w.adoption!;
  const claimed = new Set<string>(w.rows.filter((r) => r.existing).map((r) => r.existing!.id));
  for (const v of [...a.typeDiffers, ...a.conflicts]) claimed.add(v.id);
  let adopted = 0;
  let created = 0;
  let valuesChanged = 0;
  let detailsChanged = 0;
  for (const r of w.rows) {
    if (!r.existing) created++;
    else if (r.adoptedNow) {
      adopted++;
      valuesChanged += r.valueWrites;
      detailsChanged += r.writes - r.valueWrites;
    }
  }
  return {
    tabId: w.tab.tabId,
    tab: w.tab.name,
    collectionId: a.collection.id,
    approved,
    adopted,
    created,
    valuesChanged,
    detailsChanged,
    figmaOnly: a.variables.filter((v) => !claimed.has(v.id)).map((v) => v.name),
    typeDiffers: a.typeDiffers.length,
    modesAdded: a.modesAdded,
    modesKept: a.modesKept,
  };
}

function nameCell(tab: MappedCollection, row: MappedVariable): CellRef {
  return { tab: tab.name, cell: a1(row.row, tab.nameColumn ?? 1) };
}

function valueColumn(row: MappedVariable, mode: MappedMode): number {
  return row.valueColumns[mode.name] ?? mode.column;
}

/** Records in plugin data that these variables are orphans now (see VariableOrigin.orphaned). */
function markOrphans(list: ManagedVariable[], values: PlanOp[]): void {
  for (const v of list) if (!v.origin.orphaned) values.push({ op: 'setOrigin', variable: v.id, origin: { ...v.origin, orphaned: true } });
}

function orphanOf(v: FileVariable, collectionName: string): Orphan {
  return { variableId: v.id, name: v.name, collectionId: v.collectionId, collectionName };
}

/** A tab with no collection yet: create it, its modes, and every row. */
function planNewTab(index: number, tab: MappedCollection, structure: PlanOp[]): TabWork {
  const collection = newRef.collection(tab.tabId);
  const modes = tab.modes.map((mode) => ({ mode, ref: newRef.mode(tab.tabId, mode.column) }));
  const [first, ...others] = modes;
  structure.push({
    op: 'createCollection',
    ref: collection,
    tabId: tab.tabId,
    name: tab.name,
    defaultMode: { ref: first!.ref, name: first!.mode.name, column: first!.mode.column },
  });
  for (const m of others) structure.push({ op: 'addMode', collection, ref: m.ref, name: m.mode.name, column: m.mode.column });
  structure.push({ op: 'setCollectionOrigin', collection, tabId: tab.tabId, modeColumns: modeColumnsOf(modes) });
  const rows = tab.variables
    .slice()
    .sort((x, y) => x.row - y.row)
    .map((row): RowWork => ({ row, ref: newRef.variable(tab.tabId, row.name), writes: 0, valueWrites: 0 }));
  for (const r of rows) structure.push(createOp(tab, collection, r));
  return { index, tab, modes, rows, orphans: [] };
}

/**
 * A tab whose collection the sync made (or adopted) earlier, or is adopting now (`adoptingNow`):
 * rename, reshape modes, rename, adopt and create variables.
 */
function planExistingTab(
  index: number,
  tab: MappedCollection,
  collection: FileCollection,
  variables: FileVariable[],
  structure: PlanOp[],
  problems: PlacedProblem[],
  orphans: Orphan[],
  adoptingNow: boolean,
  rename = true,
): TabWork {
  const id = collection.id;
  if (rename && collection.name !== tab.name) structure.push({ op: 'renameCollection', collection: id, name: tab.name });

  const modeMatch = matchModes(tab.modes, collection);
  const refOf = new Map<MappedMode, Ref>();
  for (const k of modeMatch.kept) {
    refOf.set(k.mode, k.modeId);
    if (k.renamed) structure.push({ op: 'renameMode', collection: id, mode: k.modeId, name: k.mode.name });
  }
  // Removing before adding keeps the collection under Figma's mode limit when modes are swapped.
  for (const m of modeMatch.removed) structure.push({ op: 'removeMode', collection: id, mode: m.modeId });
  for (const mode of modeMatch.added) {
    const ref = newRef.mode(tab.tabId, mode.column);
    refOf.set(mode, ref);
    structure.push({ op: 'addMode', collection: id, ref, name: mode.name, column: mode.column });
  }
  const modes = tab.modes.map((mode) => ({ mode, ref: refOf.get(mode)! }));
  const modeColumns = modeColumnsOf(modes);
  const adopted = collection.origin?.adopted === true;
  const keepModes = modeMatch.untouched.map((m) => m.modeId);
  const before = collection.origin;
  if (
    !sameColumns(modeColumns, before?.modeColumns ?? {}) ||
    before?.tabId !== tab.tabId ||
    (before?.adopted === true) !== adopted ||
    !sameList(keepModes, before?.keepModes ?? []) ||
    adoptingNow
  ) {
    structure.push({
      op: 'setCollectionOrigin',
      collection: id,
      tabId: tab.tabId,
      modeColumns,
      ...(adopted ? { adopted: true as const } : {}),
      ...(keepModes.length > 0 ? { keepModes } : {}),
    });
  }

  const varMatch = matchVariables(tab, variables, { adopt: adopted });
  for (const c of varMatch.conflicts) {
    const col = tab.nameColumn ?? 1;
    problems.push({
      tabIndex: index,
      row: c.row.row,
      col,
      problem: nameTakenProblem(tab.name, a1(c.row.row, col), c.row.name, tab.name, c.holder.resolvedType, c.holder.origin === undefined),
    });
  }
  for (const t of varMatch.typeChanges) {
    const first = tab.modes[0]!;
    const col = tab.typeColumn ?? valueColumn(t.row, first);
    problems.push({ tabIndex: index, row: t.row.row, col, problem: typeChangedProblem(tab.name, a1(t.row.row, col), t.row.name, t.variable.resolvedType, t.row.type) });
  }
  for (const t of varMatch.typeDiffers) {
    const first = tab.modes[0]!;
    const col = tab.typeColumn ?? valueColumn(t.row, first);
    problems.push({ tabIndex: index, row: t.row.row, col, problem: typeDiffersProblem(tab.name, a1(t.row.row, col), t.row.name, collection.name, t.variable.resolvedType, t.row.type) });
  }
  for (const v of varMatch.orphans) orphans.push(orphanOf(v, tab.name));

  const skipped = new Set<MappedVariable>([...varMatch.conflicts.map((c) => c.row), ...varMatch.typeChanges.map((t) => t.row), ...varMatch.typeDiffers.map((t) => t.row)]);
  const rows: RowWork[] = [];
  const renames: PlannedRename[] = [];
  const byRef = new Map<Ref, RowWork>();
  for (const row of tab.variables.slice().sort((x, y) => x.row - y.row)) {
    if (skipped.has(row)) continue;
    const found = varMatch.matched.get(row);
    const r: RowWork = found
      ? { row, ref: found.variable.id, existing: found.variable, writes: 0, valueWrites: 0, ...(found.by === 'adopted' ? { adoptedNow: true } : {}) }
      : { row, ref: newRef.variable(tab.tabId, row.name), writes: 0, valueWrites: 0 };
    rows.push(r);
    byRef.set(r.ref, r);
    if (found && found.variable.name !== row.name) renames.push({ variable: found.variable.id, from: found.variable.name, to: row.name, cell: nameCell(tab, row) });
  }
  if (renames.length > 0) {
    const holders = new Map<string, Ref>();
    for (const v of variables) holders.set(v.name, v.id);
    for (const op of orderRenames(renames, holders)) {
      structure.push(op);
      byRef.get(op.variable)!.writes++;
    }
  }
  for (const r of rows) if (!r.existing) structure.push(createOp(tab, id, r));
  const work: TabWork = { index, tab, modes, rows, orphans: varMatch.orphans };
  if (adoptingNow) {
    work.adoption = {
      collection,
      variables,
      typeDiffers: varMatch.typeDiffers.map((t) => t.variable),
      conflicts: varMatch.conflicts.map((c) => c.holder),
      modesAdded: modeMatch.added.map((m) => m.name),
      modesKept: modeMatch.untouched.map((m) => m.name),
    };
  }
  return work;
}

function createOp(tab: MappedCollection, collection: Ref, r: RowWork): PlanOp {
  return {
    op: 'createVariable',
    ref: r.ref,
    collection,
    name: r.row.name,
    type: r.row.type,
    origin: { tabId: tab.tabId, rowName: r.row.name, row: r.row.row },
    cell: nameCell(tab, r.row),
  };
}

function modeColumnsOf(modes: { mode: MappedMode; ref: Ref }[]): Record<Ref, number> {
  const columns: Record<Ref, number> = {};
  for (const m of modes) columns[m.ref] = m.mode.column;
  return columns;
}

function sameColumns(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => b[k] === a[k]);
}

/** The value, metadata and origin writes of one row; alias writes are collected for the last phase. */
function planRow(
  w: TabWork,
  r: RowWork,
  resolve: (alias: AliasValue) => Ref | undefined,
  waiting: ReadonlySet<string>,
  values: PlanOp[],
  aliasOps: SetAliasOp[],
  aliasEdges: Map<Ref, Ref[]>,
  problems: PlacedProblem[],
): void {
  const { tab } = w;
  const { row, existing } = r;
  const writesBefore = values.length;
  if (existing) {
    const had = existing.origin;
    if (!had || had.tabId !== tab.tabId || had.rowName !== row.name || had.row !== row.row || had.orphaned) {
      const origin: VariableOrigin = { tabId: tab.tabId, rowName: row.name, row: row.row };
      values.push({ op: 'setOrigin', variable: r.ref, origin });
    }
  }
  // setOrigin is plugin data only: it does not make the variable "updated".
  const originOps = values.length - writesBefore;
  let targets: Ref[] | undefined;
  for (const { mode, ref: modeRef } of w.modes) {
    const value = row.valuesByMode[mode.name];
    if (value === undefined) continue;
    const held: FileValue | undefined = existing?.valuesByMode[modeRef];
    if (isUnknownValue(held)) continue; // a kind of value this sync does not know: left alone
    if (isAliasValue(value)) {
      const target = resolve(value);
      if (target === undefined) {
        const col = valueColumn(row, mode);
        const waits = waiting.has(value.alias.collection);
        problems.push({ tabIndex: w.index, row: row.row, col, problem: aliasUnresolvedProblem(tab.name, a1(row.row, col), value.alias.collection, value.alias.name, waits) });
        continue;
      }
      (targets ??= []).push(target);
      if (!(isFileAlias(held) && held.id === target)) {
        aliasOps.push({ op: 'setAlias', variable: r.ref, mode: modeRef, target, cell: valueCell(tab, row, mode) });
        r.writes++;
        r.valueWrites++;
      }
    } else if (!plainValueEquals(value, held)) {
      values.push({ op: 'setValue', variable: r.ref, mode: modeRef, value, cell: valueCell(tab, row, mode) });
      r.valueWrites++;
    }
  }
  if (targets) aliasEdges.set(r.ref, targets);

  const now = existing ?? NEW_VARIABLE_DEFAULTS;
  if (row.description !== now.description) values.push({ op: 'setDescription', variable: r.ref, description: row.description });
  if (row.scopes !== undefined && !sameSet(row.scopes, now.scopes)) values.push({ op: 'setScopes', variable: r.ref, scopes: row.scopes.slice() });
  if (row.hidden !== now.hidden) values.push({ op: 'setHidden', variable: r.ref, hidden: row.hidden });
  for (const platform of PLATFORMS) {
    const want = row.codeSyntax[platform] || undefined;
    const have = now.codeSyntax[platform] || undefined;
    if (want !== have) values.push({ op: 'setCodeSyntax', variable: r.ref, platform, value: want ?? null });
  }
  r.writes += values.length - writesBefore - originOps;
}

/** The sheet cell of one value; named only when an op needs it (most values of a re-plan need none). */
function valueCell(tab: MappedCollection, row: MappedVariable, mode: MappedMode): CellRef {
  return { tab: tab.name, cell: a1(row.row, valueColumn(row, mode)) };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const x of sa) if (!sb.has(x)) return false;
  return true;
}
