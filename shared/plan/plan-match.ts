// Which Figma collection, mode and variable each tab, mode column and row of the sheet is, including
// renames: collections by the tab id the sync recorded, modes by name then column, variables by the
// row name the sync recorded, then current name, then row position, then row order.

import { isKnownType } from '../sheet/figma-rules';
import type { FileCollection, FileState, FileVariable, MappedCollection, MappedMode, MappedVariable, VariableOrigin } from '../sheet/model';


/** A variable the sync created and may change: it carries an origin, is local and of a known type. */
export type ManagedVariable = FileVariable & { origin: VariableOrigin };

export function isManaged(variable: FileVariable): variable is ManagedVariable {
  return variable.origin !== undefined && !variable.remote && isKnownType(variable.resolvedType);
}

// ---------------------------------------------------------------------------------------------
// Collections

export interface CollectionMatch {
  /** The sync-created collection of each mapped tab, by tab id. */
  byTab: Map<number, FileCollection>;
  /** Sync-created collections whose tab is not among the mapped tabs (their variables are orphans). */
  unmapped: FileCollection[];
  /** A collection that claims a tab an earlier one (in file order) already claimed: left alone. */
  duplicates: { tabId: number; kept: FileCollection; ignored: FileCollection }[];
  /**
   * Tabs without a sync-created collection whose name is the name of local collections the sync did
   * not create: exactly one is an adoption candidate; several are ambiguous. A twin is never made.
   */
  namesakes: Map<number, FileCollection[]>;
}

/**
 * Pairs each mapped tab with the local collection whose recorded origin names its tab id, else with the
 * one collection of its exact name the sync made for a tab no longer mapped (the tab was made anew). A
 * collection without origin was not made by the sync: it is never matched by tab id; a tab still
 * without a collection lists the unmarked local collections of its exact name (`namesakes`) so the plan
 * can offer to adopt one rather than create a second collection of that name.
 */
export function matchCollections(collections: MappedCollection[], file: FileState): CollectionMatch {
  const claimed = new Map<number, FileCollection>();
  const duplicates: CollectionMatch['duplicates'] = [];
  const unmarkedByName = new Map<string, FileCollection[]>();
  for (const collection of file.collections) {
    if (collection.remote) continue;
    if (collection.origin === undefined) {
      const list = unmarkedByName.get(collection.name);
      if (list) list.push(collection);
      else unmarkedByName.set(collection.name, [collection]);
      continue;
    }
    const tabId = collection.origin.tabId;
    const kept = claimed.get(tabId);
    if (kept) duplicates.push({ tabId, kept, ignored: collection });
    else claimed.set(tabId, collection);
  }
  const mappedTabs = new Set(collections.map((c) => c.tabId));
  const byTab = new Map<number, FileCollection>();
  let unmapped: FileCollection[] = [];
  for (const [tabId, collection] of claimed) {
    if (mappedTabs.has(tabId)) byTab.set(tabId, collection);
    else unmapped.push(collection);
  }
  // A tab made anew under the name of a tab that went (a CSV imported into a new tab, say): the sync's
  // collection of that name, claimed by no mapped tab, is this tab's; making a second one would be a twin.
  for (const tab of collections) {
    if (byTab.has(tab.tabId)) continue;
    const same = unmapped.filter((c) => c.name === tab.name);
    if (same.length !== 1) continue;
    byTab.set(tab.tabId, same[0]!);
    unmapped = unmapped.filter((c) => c !== same[0]);
  }
  const namesakes = new Map<number, FileCollection[]>();
  for (const tab of collections) {
    if (byTab.has(tab.tabId)) continue;
    const list = unmarkedByName.get(tab.name);
    if (list) namesakes.set(tab.tabId, list);
  }
  return { byTab, unmapped, duplicates: duplicates.filter((d) => mappedTabs.has(d.tabId)), namesakes };
}

// ---------------------------------------------------------------------------------------------
// Modes

export interface ModeMatch {
  /** Sheet modes that already exist, in sheet order; `renamed` when Figma's name differs. */
  kept: { mode: MappedMode; modeId: string; renamed: boolean }[];
  /** Sheet modes to add, in sheet order. */
  added: MappedMode[];
  /** Figma modes no longer in the sheet, in Figma's order. */
  removed: { modeId: string; name: string }[];
  /** Modes an adopted collection keeps although the sheet has no column for them, in Figma's order. */
  untouched: { modeId: string; name: string }[];
}

/**
 * Matches by name first; then an unmatched Figma mode recorded at the column of an unmatched sheet mode
 * is that mode renamed. A collection must keep a mode, so when nothing matched, the default mode
 * becomes the first sheet mode by a rename rather than every mode being removed. Modes an adopted
 * collection keeps (`origin.keepModes`) match by name only and are never renamed or removed: while no
 * column names them they are `untouched`.
 */
export function matchModes(modes: MappedMode[], collection: FileCollection): ModeMatch {
  const keep = new Set(collection.origin?.keepModes ?? []);
  const byName = new Map<string, string>();
  for (const m of collection.modes) if (!byName.has(m.name)) byName.set(m.name, m.modeId);
  const used = new Set<string>();
  const found = new Map<MappedMode, string>();
  for (const mode of modes) {
    const modeId = byName.get(mode.name);
    if (modeId !== undefined && !used.has(modeId)) {
      found.set(mode, modeId);
      used.add(modeId);
    }
  }
  const byColumn = new Map<number, string>();
  const columns = collection.origin?.modeColumns ?? {};
  for (const m of collection.modes) {
    const column = columns[m.modeId];
    if (column !== undefined && !used.has(m.modeId) && !keep.has(m.modeId) && !byColumn.has(column)) byColumn.set(column, m.modeId);
  }
  for (const mode of modes) {
    if (found.has(mode)) continue;
    const modeId = byColumn.get(mode.column);
    if (modeId !== undefined && !used.has(modeId)) {
      found.set(mode, modeId);
      used.add(modeId);
    }
  }
  const first = modes[0];
  const managed = collection.modes.filter((m) => !keep.has(m.modeId));
  if (used.size === 0 && first !== undefined && managed.length > 0) {
    const renamed = managed.find((m) => m.modeId === collection.defaultModeId) ?? managed[0]!;
    found.set(first, renamed.modeId);
    used.add(renamed.modeId);
  }
  const nameOf = new Map(collection.modes.map((m) => [m.modeId, m.name]));
  const kept: ModeMatch['kept'] = [];
  const added: MappedMode[] = [];
  for (const mode of modes) {
    const modeId = found.get(mode);
    if (modeId === undefined) added.push(mode);
    else kept.push({ mode, modeId, renamed: nameOf.get(modeId) !== mode.name });
  }
  const removed = collection.modes.filter((m) => !used.has(m.modeId) && !keep.has(m.modeId)).map((m) => ({ modeId: m.modeId, name: m.name }));
  const untouched = collection.modes.filter((m) => !used.has(m.modeId) && keep.has(m.modeId)).map((m) => ({ modeId: m.modeId, name: m.name }));
  return { kept, added, removed, untouched };
}

// ---------------------------------------------------------------------------------------------
// Variables

/** How a row found its variable: recorded row name, current Figma name, row position, row order, or adopted by name. */
export type MatchedBy = 'origin' | 'name' | 'row' | 'order' | 'adopted';

export interface VariableMatch {
  /** Each row that has a Figma variable the sync may update, with how it was found. */
  matched: Map<MappedVariable, { variable: FileVariable; by: MatchedBy }>;
  /** Rows whose name a variable the sync does not manage holds (made by hand, or of a type it does not handle): left alone. */
  conflicts: { row: MappedVariable; holder: FileVariable }[];
  /** Rows whose variable has another type in Figma: left alone; the variable is listed as an orphan. */
  typeChanges: { row: MappedVariable; variable: ManagedVariable }[];
  /** Adopting: rows whose name an unmarked variable of another type holds: left alone, as is the variable. */
  typeDiffers: { row: MappedVariable; variable: FileVariable }[];
  /** Variables of rows the mapper left out for errors (`skippedRows`): left as they are, not orphans. */
  untouched: ManagedVariable[];
  /** Variables the sync created that no row claims, by recorded row: listed, never deleted. */
  orphans: ManagedVariable[];
}

interface Anchor {
  /** The row the sync recorded for a matched variable. */
  from: number;
  /** How far the row moved since (rows inserted or deleted above it). */
  shift: number;
}

/** How many of the sorted numbers are below `value` (binary search). */
function countBelow(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The last anchor recorded above `row` and the first below it (anchors sorted by `from`). */
function neighbours(anchors: Anchor[], row: number): { above?: Anchor; below?: Anchor } {
  let lo = 0;
  let hi = anchors.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (anchors[mid]!.from < row) lo = mid + 1;
    else hi = mid;
  }
  let below = lo;
  while (below < anchors.length && anchors[below]!.from === row) below++;
  return { above: anchors[lo - 1], below: anchors[below] };
}

function groupBy<T>(items: T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Whether two lists pair one to one in order with the same types. */
function linesUp(old: ManagedVariable[], rows: MappedVariable[]): boolean {
  return old.length > 0 && old.length === rows.length && old.every((v, i) => v.resolvedType === rows[i]!.type);
}

/**
 * Finds the Figma variable of each row of one tab among the variables of its collection.
 *
 * 1. The row name the sync recorded (`origin.rowName`) equals the row's name.
 * 2. A variable the sync did not create (or of a type it does not handle) holding the row's name is a
 *    conflict: the row is left alone.
 * 3. An unclaimed sync-created variable whose current Figma name is the row's name (its name drifted
 *    from the recorded one, e.g. renamed in Figma): the row adopts it rather than failing to create a
 *    second variable of that name.
 * 4. Renames by position. Rows matched so far are fixed points; between two of them (a gap) the
 *    unclaimed variables and unclaimed rows are compared:
 *    a. when a gap holds as many of each and their types agree in row order, they pair in row order
 *       (a renamed row, or several, with rows inserted or deleted only elsewhere or empty ones);
 *    b. otherwise a variable pairs with the unclaimed row of the same type at its recorded row moved
 *       by as much as its matched neighbours above and below moved (the header row is a fixed point;
 *       with nothing moved this is "recorded row = row"). When the neighbours moved by different
 *       amounts, rows were inserted or deleted next to it, its new row is a guess, and it stays
 *       unpaired: a missed rename leaves an orphan to see, a wrong one would move bindings silently.
 * 5. Renames by order: when as many unclaimed variables remain as unclaimed rows in the whole tab, and
 *    their types agree in row order, they pair in row order.
 * A row the mapper left out for errors (`tab.skippedRows`) keeps its variable (by recorded row name or
 * current name) untouched rather than orphaned: a typo in one cell must not look like a deleted row.
 * Variables already listed as orphans by an earlier plan (`origin.orphaned`) take part in 1, 3 and 4b
 * only: a row added later must not take over an old orphan's bindings just because the counts agree.
 * A variable paired with a row of another type is a type change (both left alone, the variable listed
 * as an orphan so it can be removed). Variables still unclaimed are orphans.
 *
 * With `adopt` (a collection being adopted, or adopted earlier), step 2 changes for a row that no
 * variable of the sync claims by its recorded name: an unmarked local variable of a known type holding
 * the row's name is adopted (`by: 'adopted'`, same id, so every binding stays) when its type is the
 * row's, and is a type difference (both left alone) otherwise. Unmarked variables no row names stay
 * untouched: they are neither adopted nor orphans.
 */
export function matchVariables(tab: MappedCollection, variables: FileVariable[], options: { adopt?: boolean } = {}): VariableMatch {
  const rows = tab.variables.slice().sort((x, y) => x.row - y.row);
  const managed = variables.filter(isManaged).sort((x, y) => x.origin.row - y.origin.row || cmp(x.id, y.id));
  const unmanagedByName = new Map<string, FileVariable>();
  for (const v of variables) if (!isManaged(v) && !v.remote) unmanagedByName.set(v.name, v);

  const matched: VariableMatch['matched'] = new Map();
  const conflicts: VariableMatch['conflicts'] = [];
  const typeChanges: VariableMatch['typeChanges'] = [];
  const typeDiffers: VariableMatch['typeDiffers'] = [];
  const claimed = new Set<FileVariable>();
  const settled = new Set<MappedVariable>();
  const anchors: Anchor[] = [];

  const pair = (row: MappedVariable, variable: ManagedVariable, by: MatchedBy): void => {
    claimed.add(variable);
    settled.add(row);
    if (variable.resolvedType === row.type) matched.set(row, { variable, by });
    else typeChanges.push({ row, variable });
  };

  // 1. recorded row name
  const byRowName = new Map<string, ManagedVariable>();
  for (const v of managed) if (!byRowName.has(v.origin.rowName)) byRowName.set(v.origin.rowName, v);
  for (const row of rows) {
    const v = byRowName.get(row.name);
    // 2. a name held by a variable the sync does not manage: the row is left alone (its own variable, if any, is kept, not orphaned)
    const holder = unmanagedByName.get(row.name);
    if (holder && options.adopt && !v && holder.origin === undefined && isKnownType(holder.resolvedType)) {
      settled.add(row);
      claimed.add(holder);
      if (holder.resolvedType === row.type) matched.set(row, { variable: holder, by: 'adopted' });
      else typeDiffers.push({ row, variable: holder });
    } else if (holder) {
      conflicts.push({ row, holder });
      settled.add(row);
      if (v) claimed.add(v);
    } else if (v) pair(row, v, 'origin');
    if (v) anchors.push({ from: v.origin.row, shift: row.row - v.origin.row });
  }

  // rows with errors keep their variables as they are
  const untouched: ManagedVariable[] = [];
  const keep = (v: ManagedVariable, row: number): void => {
    claimed.add(v);
    untouched.push(v);
    anchors.push({ from: v.origin.row, shift: row - v.origin.row });
  };
  const skippedRows = tab.skippedRows ?? [];
  const skippedLeft: { row: number; name: string }[] = [];
  for (const skipped of skippedRows) {
    const v = byRowName.get(skipped.name);
    if (v && !claimed.has(v)) keep(v, skipped.row);
    else skippedLeft.push(skipped);
  }

  // 3. current Figma name
  const unclaimedByName = new Map<string, ManagedVariable>();
  for (const v of managed) if (!claimed.has(v) && !unclaimedByName.has(v.name)) unclaimedByName.set(v.name, v);
  for (const skipped of skippedLeft) {
    const v = unclaimedByName.get(skipped.name);
    if (v && !claimed.has(v)) keep(v, skipped.row);
  }
  for (const row of rows) {
    if (settled.has(row)) continue;
    const v = unclaimedByName.get(row.name);
    if (v && !claimed.has(v)) {
      pair(row, v, 'name');
      anchors.push({ from: v.origin.row, shift: row.row - v.origin.row });
    }
  }

  // 4a. row order within each gap between matched rows
  anchors.sort((x, y) => x.from - y.from || x.shift - y.shift);
  const froms = anchors.map((a) => a.from);
  const tos = anchors.map((a) => a.from + a.shift).sort((x, y) => x - y);
  const oldByGap = groupBy(
    managed.filter((v) => !claimed.has(v) && !v.origin.orphaned),
    (v) => countBelow(froms, v.origin.row),
  );
  const newByGap = groupBy(
    rows.filter((r) => !settled.has(r)),
    (r) => countBelow(tos, r.row),
  );
  for (const [gap, old] of oldByGap) {
    const open = newByGap.get(gap);
    if (open && linesUp(old, open)) old.forEach((v, i) => pair(open[i]!, v, 'order'));
  }

  // 4b. recorded row, moved like its neighbours
  const openByRow = new Map<number, MappedVariable>();
  for (const row of rows) if (!settled.has(row)) openByRow.set(row.row, row);
  for (const v of managed) {
    if (claimed.has(v)) continue;
    const { above, below } = neighbours(anchors, v.origin.row);
    const shiftAbove = above ? above.shift : 0;
    const shiftBelow = below ? below.shift : shiftAbove;
    if (shiftAbove !== shiftBelow) continue;
    const row = openByRow.get(v.origin.row + shiftAbove);
    if (row && !settled.has(row) && row.type === v.resolvedType) {
      openByRow.delete(row.row);
      pair(row, v, 'row');
    }
  }

  // 5. row order over the whole tab, when what is left lines up
  const oldLeft = managed.filter((v) => !claimed.has(v) && !v.origin.orphaned);
  const newLeft = rows.filter((r) => !settled.has(r));
  if (linesUp(oldLeft, newLeft)) oldLeft.forEach((v, i) => pair(newLeft[i]!, v, 'order'));

  const orphans = managed.filter((v) => !claimed.has(v));
  for (const t of typeChanges) orphans.push(t.variable);
  orphans.sort((x, y) => x.origin.row - y.origin.row || cmp(x.id, y.id));
  return { matched, conflicts, typeChanges, typeDiffers, untouched, orphans };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
