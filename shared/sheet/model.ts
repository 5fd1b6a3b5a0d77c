// The variable model: what the mapper makes of a grid (MapResult), the plain description of what a
// Figma file holds (FileState), and the operations that turn one into the other (Plan).
// Figma's own names are used for types and values so the plugin adapter only translates calls.

import type { Problem } from '../protocol/messages';

export type VariableType = 'COLOR' | 'FLOAT' | 'STRING' | 'BOOLEAN';

/** A colour with channels in 0..1, alpha kept. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** A reference to another variable: `collection` is the collection's (tab's) name. */
export interface AliasValue {
  alias: { collection: string; name: string };
}

export type MappedValue = Rgba | number | string | boolean | AliasValue;

export type CodeSyntaxPlatform = 'WEB' | 'ANDROID' | 'iOS';
export type CodeSyntax = Partial<Record<CodeSyntaxPlatform, string>>;

// ---------------------------------------------------------------------------------------------
// Mapper output

export interface MappedVariable {
  /** Full name with `/` groups, e.g. "color/brand/primary". Unique in its collection. */
  name: string;
  type: VariableType;
  /** One value per mode of the collection, keyed by mode name. */
  valuesByMode: Record<string, MappedValue>;
  description: string;
  /** Figma VariableScope names; undefined leaves Figma's default (ALL_SCOPES). */
  scopes?: string[];
  hidden: boolean;
  codeSyntax: CodeSyntax;
  /** The 1-based sheet row it came from (for problems and rename detection). */
  row: number;
  /** The 1-based column of each mode's cell, keyed by mode name (for problems). */
  valueColumns: Record<string, number>;
  /**
   * "px" when some number cell of the row was written with px ("16px"), so token export can make
   * it a DTCG dimension. Set only when mapGrid is asked for units (MapOptions), so the plugin's
   * model is the same as ever.
   */
  unit?: 'px';
}

export interface MappedMode {
  name: string;
  /** The 1-based column of the mode's header; identity of a mode across header renames. */
  column: number;
}

export interface MappedCollection {
  /** The tab's gid: identity of the collection across tab renames. */
  tabId: number;
  /** The tab's name. */
  name: string;
  /** The first mode is the default mode. */
  modes: MappedMode[];
  variables: MappedVariable[];
  /** The 1-based column of the `Name` header, so the plan can point at a Name cell (column A when absent). */
  nameColumn?: number;
  /** The 1-based column of the `Type` header when the tab has one (the plan points at the first value cell otherwise). */
  typeColumn?: number;
  /**
   * Rows that name a variable but are left out of `variables` because they have errors (the
   * problems say which). Their variables in Figma are to be left as they are, not listed as
   * orphans: a typo in one cell must not look like a deleted row. Absent means none.
   */
  skippedRows?: { row: number; name: string }[];
}

export interface MapResult {
  collections: MappedCollection[];
  problems: Problem[];
}

// ---------------------------------------------------------------------------------------------
// What the Figma file holds (built by the plugin adapter from figma.variables)

/** Kept in a variable's plugin data when the sync creates it. */
export interface VariableOrigin {
  tabId: number;
  /** The sheet row's name when last synced. */
  rowName: string;
  /** The 1-based row when last synced. */
  row: number;
  /**
   * Set (by a setOrigin op) once no row claims the variable and it is listed as an orphan. Such a
   * variable comes back only by its row name, its name or its exact row, never by row order, so a
   * new row added later cannot take over an old orphan's bindings. Keep it in plugin data as given.
   */
  orphaned?: boolean;
}

/** Kept in a collection's plugin data when the sync creates (or adopts) it. */
export interface CollectionOrigin {
  tabId: number;
  /** Sheet column of each mode, keyed by modeId. */
  modeColumns: Record<string, number>;
  /**
   * The sync adopted the collection (it existed before, made by hand or by another tool) rather than
   * creating it: a row naming one of its unmarked variables of the row's type adopts that variable.
   */
  adopted?: true;
  /**
   * Modes (by modeId) the collection had when it was adopted and the sheet has no column for: the sync
   * never removes or renames them. A later column of the same name takes one over.
   */
  keepModes?: string[];
}

/** A value as Figma holds it. Values of kinds this sync does not know are `{ unknown: true }`. */
export type FileValue = Rgba | number | string | boolean | { type: 'VARIABLE_ALIAS'; id: string } | { unknown: true };

export interface FileVariable {
  id: string;
  name: string;
  collectionId: string;
  /** Figma's resolvedType; may be one this sync does not handle (e.g. EASING), which it leaves alone. */
  resolvedType: string;
  /** Keyed by modeId. */
  valuesByMode: Record<string, FileValue>;
  description: string;
  hidden: boolean;
  scopes: string[];
  codeSyntax: CodeSyntax;
  remote: boolean;
  /** Present only on variables the sync created. */
  origin?: VariableOrigin;
}

export interface FileCollection {
  id: string;
  name: string;
  remote: boolean;
  modes: { modeId: string; name: string }[];
  defaultModeId: string;
  /** Present only on collections the sync created. */
  origin?: CollectionOrigin;
}

export interface FileState {
  collections: FileCollection[];
  variables: FileVariable[];
}

// ---------------------------------------------------------------------------------------------
// The plan

/**
 * A Figma id of an existing object, or "new:…" for one this plan creates; the executor keeps a map
 * from "new:…" refs to the ids Figma gives. Mode refs are modeIds or "new:…".
 */
export type Ref = string;

/** The sheet cell a value op comes from, so a refusal by Figma can be reported against it. */
export interface CellRef {
  tab: string;
  cell: string;
}

export type PlanOp =
  | { op: 'createCollection'; ref: Ref; tabId: number; name: string; defaultMode: { ref: Ref; name: string; column: number } }
  | { op: 'renameCollection'; collection: Ref; name: string }
  | { op: 'addMode'; collection: Ref; ref: Ref; name: string; column: number }
  | { op: 'renameMode'; collection: Ref; mode: Ref; name: string }
  | { op: 'removeMode'; collection: Ref; mode: Ref }
  /** Records the collection's origin in plugin data (mode refs resolved by the executor). */
  | { op: 'setCollectionOrigin'; collection: Ref; tabId: number; modeColumns: Record<Ref, number>; adopted?: true; keepModes?: string[] }
  | { op: 'createVariable'; ref: Ref; collection: Ref; name: string; type: VariableType; origin: VariableOrigin; cell: CellRef }
  | { op: 'renameVariable'; variable: Ref; name: string; cell: CellRef }
  /** Plugin data only: the row moved or was renamed. Not a write to the variable's values. */
  | { op: 'setOrigin'; variable: Ref; origin: VariableOrigin }
  | { op: 'setValue'; variable: Ref; mode: Ref; value: Rgba | number | string | boolean; cell: CellRef }
  | { op: 'setAlias'; variable: Ref; mode: Ref; target: Ref; cell: CellRef }
  | { op: 'setDescription'; variable: Ref; description: string }
  | { op: 'setScopes'; variable: Ref; scopes: string[] }
  | { op: 'setHidden'; variable: Ref; hidden: boolean }
  | { op: 'setCodeSyntax'; variable: Ref; platform: CodeSyntaxPlatform; value: string | null };

export type PlanOpName = PlanOp['op'];

/** A variable the sync created whose row is gone from the sheet: listed, removed only on request. */
export interface Orphan {
  variableId: string;
  name: string;
  collectionId: string;
  collectionName: string;
}

/**
 * A synced tab that matches, by name, exactly one local collection the sync did not create: adopting it
 * makes that collection and its variables (same ids, so every binding stays) the sheet's, rather than
 * making a twin. What adopting means, counted; `approved` when the plan adopts it (the designer agreed,
 * or the file exported that collection), otherwise the plan leaves the tab alone and `ops` is what
 * adopting would do.
 */
export interface Adoption {
  tabId: number;
  tab: string;
  collectionId: string;
  approved: boolean;
  /** Rows whose variable already exists in the collection: adopted as they are, ids kept. */
  adopted: number;
  /** Rows without a variable of their name: created. */
  created: number;
  /** Values (one per variable and mode) that change to the sheet's. */
  valuesChanged: number;
  /** Other details of adopted variables that change (description, scopes, hidden, code syntax). */
  detailsChanged: number;
  /** Variables of the collection no row names: left untouched (names, in Figma's order). */
  figmaOnly: string[];
  /** Rows whose Figma variable has another type: refused (TYPE_DIFFERS), the variable left untouched. */
  typeDiffers: number;
  /** Sheet modes the collection does not have: added. */
  modesAdded: string[];
  /** Collection modes the sheet has no column for: kept, untouched. */
  modesKept: string[];
  /** For a candidate not approved: the ops adopting it would run (summarised for the designer). */
  ops?: PlanOp[];
  /** For a candidate not approved: the problems adopting it would report (TYPE_DIFFERS, …). */
  problems?: Problem[];
}

export interface Plan {
  ops: PlanOp[];
  orphans: Orphan[];
  /** Conflicts the plan found (e.g. a name taken by a variable the sync did not create), per cell. */
  problems: Problem[];
  counts: { created: number; updated: number; unchanged: number };
  /** Tabs that match a collection the sync did not create, adopted by this plan or waiting for the designer. */
  adoptions: Adoption[];
}
