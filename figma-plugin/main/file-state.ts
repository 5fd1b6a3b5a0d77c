// The mirror of what the file holds: read once through the …Async getters into maps, then kept up to
// date as the executor's operations succeed, so a patch never rescans the file.

import type { CodeSyntax, CodeSyntaxPlatform, CollectionOrigin, FileCollection, FileState, FileValue, FileVariable, VariableOrigin } from '../../shared/sheet/model';
import type { Variable } from '@figma/plugin-typings/plugin-api-standalone';
import type { Stretch } from './chunked';
import type { HostCollection, HostVariable, VariablesHost } from './host';
import { readCollectionMark, readVariableMark } from './marks';
import { coloursEqual, isFileAlias, isRgba, isUnknownValue } from '../../shared/sheet/value-equality';
import { fromFigmaValue } from './value-convert';

const PLATFORMS: readonly CodeSyntaxPlatform[] = ['WEB', 'ANDROID', 'iOS'];

/** A record and whether its mark was read from where an earlier build kept it. */
interface Read<T> {
  record: T;
  legacyMark: boolean;
}

function readCollection(c: HostCollection): Read<FileCollection> {
  const collection: FileCollection = {
    id: c.id,
    name: c.name,
    remote: c.remote,
    modes: c.modes.map((m) => ({ modeId: m.modeId, name: m.name })),
    defaultModeId: c.defaultModeId,
  };
  const mark = c.remote ? undefined : readCollectionMark(c);
  if (mark?.origin) collection.origin = mark.origin;
  return { record: collection, legacyMark: mark?.legacy === true };
}

function readVariable(v: HostVariable): Read<FileVariable> {
  const resolvedType = v.resolvedType;
  const valuesByMode: Record<string, FileValue> = {};
  const raw = v.valuesByMode;
  for (const modeId of Object.keys(raw)) valuesByMode[modeId] = fromFigmaValue(resolvedType, raw[modeId]!);
  const rawSyntax = v.codeSyntax;
  const codeSyntax: CodeSyntax = {};
  for (const platform of PLATFORMS) {
    const value = rawSyntax[platform];
    if (typeof value === 'string') codeSyntax[platform] = value;
  }
  const variable: FileVariable = {
    id: v.id,
    name: v.name,
    collectionId: v.variableCollectionId,
    resolvedType,
    valuesByMode,
    description: v.description,
    hidden: v.hiddenFromPublishing,
    scopes: [...v.scopes],
    codeSyntax,
    remote: v.remote,
  };
  const mark = v.remote ? undefined : readVariableMark(v);
  if (mark?.origin) variable.origin = mark.origin;
  return { record: variable, legacyMark: mark?.legacy === true };
}

/**
 * An object Figma lists that the sync cannot use: a collection whose reads throw, or a variable whose
 * collection no longer exists or whose reads throw (zombies: Tokens Studio issues #3140, #3045).
 */
export interface Unreadable {
  kind: 'collection' | 'variable';
  id: string;
  /** The collection it belongs to (the dead one, for a zombie variable), when that could be read. */
  collectionId?: string;
  /** Its name and mark, when they could still be read. */
  name?: string;
  origin?: VariableOrigin;
  /** Figma's words, or why it was skipped. */
  reason: string;
}

/** Two values as Figma holds them, read at different times: the same? */
function sameFileValue(a: FileValue | undefined, b: FileValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === undefined || b === undefined) return false;
  if (isUnknownValue(a) || isUnknownValue(b)) return isUnknownValue(a) && isUnknownValue(b);
  if (isFileAlias(a) || isFileAlias(b)) return isFileAlias(a) && isFileAlias(b) && a.id === b.id;
  return isRgba(a) && isRgba(b) && coloursEqual(a, b);
}

/** What a fresh read of an object found against the mirror's record (which it then matches). */
export type Refreshed = 'same' | 'changed' | 'gone';

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 300);

/** What can still be read of a variable that cannot be used, without letting a read throw. */
function describeUnreadable(v: HostVariable, reason: string): Unreadable {
  const entry: Unreadable = { kind: 'variable', id: v.id, reason };
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch {
      return undefined;
    }
  };
  const collectionId = attempt(() => v.variableCollectionId);
  const name = attempt(() => v.name);
  const origin = attempt(() => readVariableMark(v).origin);
  if (collectionId !== undefined) entry.collectionId = collectionId;
  if (name !== undefined) entry.name = name;
  if (origin !== undefined) entry.origin = origin;
  return entry;
}

export class FileMirror {
  private readonly collections = new Map<string, FileCollection>();
  private readonly variables = new Map<string, FileVariable>();
  private readonly collectionObjects = new Map<string, HostCollection>();
  private readonly variableObjects = new Map<string, HostVariable>();
  /** Variable ids per collection id, so a removed mode touches only its collection's variables. */
  private readonly members = new Map<string, Set<string>>();
  /** Ids of collections and variables whose mark was read from an earlier build's private plugin data. */
  private readonly legacy = new Set<string>();
  /** What Figma listed that could not be read: left out of the mirror, so the plan never touches it. */
  readonly unreadable: Unreadable[] = [];

  /**
   * Reads every local collection and variable once (two calls to Figma, then property reads). An object
   * that cannot be read (a zombie) is left out and listed in `unreadable`, never fails the whole read.
   * With a `stretch`, the reads give the editor a turn whenever it has used its budget (a file of 5,000
   * variables takes some 60,000 property reads).
   */
  static async load(api: VariablesHost, stretch?: Stretch): Promise<FileMirror> {
    const [collections, variables] = await Promise.all([api.getLocalVariableCollectionsAsync(), api.getLocalVariablesAsync()]);
    const mirror = new FileMirror();
    for (const c of collections) {
      let read: Read<FileCollection>;
      try {
        read = readCollection(c);
      } catch (err) {
        mirror.unreadable.push({ kind: 'collection', id: c.id, reason: errorText(err) });
        continue;
      }
      mirror.addCollection(c, read.record);
      if (read.legacyMark) mirror.legacy.add(read.record.id);
    }
    for (const v of variables) {
      if (stretch) await stretch.yieldIfDue();
      let read: Read<FileVariable>;
      try {
        read = readVariable(v);
      } catch (err) {
        mirror.unreadable.push(describeUnreadable(v, errorText(err)));
        continue;
      }
      if (!mirror.collections.has(read.record.collectionId)) {
        // Figma lists it, but its collection is not among the collections it lists.
        mirror.unreadable.push(describeUnreadable(v, `its collection ${read.record.collectionId} is not in the file`));
        continue;
      }
      mirror.addVariable(v, read.record);
      if (read.legacyMark) mirror.legacy.add(read.record.id);
    }
    return mirror;
  }

  /** Ids whose mark is still only where an earlier build kept it (see marks.ts). */
  legacyMarked(): string[] {
    return [...this.legacy];
  }

  /** The mark of this id is now in shared plugin data. */
  markMigrated(id: string): void {
    this.legacy.delete(id);
  }

  /** The planner's input: fresh arrays over the mirror's records (the planner is pure and does not change them). */
  state(): FileState {
    return { collections: [...this.collections.values()], variables: [...this.variables.values()] };
  }

  collection(id: string): FileCollection | undefined {
    return this.collections.get(id);
  }

  variable(id: string): FileVariable | undefined {
    return this.variables.get(id);
  }

  collectionObject(id: string): HostCollection | undefined {
    return this.collectionObjects.get(id);
  }

  variableObject(id: string): HostVariable | undefined {
    return this.variableObjects.get(id);
  }

  get variableCount(): number {
    return this.variables.size;
  }

  /** Ids of the variables the mirror knows in a collection. */
  variableIdsIn(collectionId: string): string[] {
    return [...(this.members.get(collectionId) ?? [])];
  }

  /** Whether the mirror knows a variable of this name in the collection. */
  hasVariableNamed(collectionId: string, name: string): boolean {
    for (const id of this.members.get(collectionId) ?? []) if (this.variables.get(id)?.name === name) return true;
    return false;
  }

  // ------------------------------------------------------------------------------------------
  // Fresh reads: what Figma holds now may differ from what the mirror last saw (an undo, a hand edit or a
  // collaborator's change; Figma tells plugins nothing). Each reads two properties of one object.

  /** Reads a variable's name and values again; the record follows. A variable that throws is forgotten ('gone'). */
  refreshVariable(id: string): Refreshed {
    const object = this.variableObjects.get(id);
    const record = this.variables.get(id);
    if (!object || !record) return 'gone';
    let name: string;
    let raw: Variable['valuesByMode'];
    try {
      name = object.name;
      raw = object.valuesByMode;
    } catch {
      this.removeVariable(id);
      return 'gone';
    }
    let changed = name !== record.name;
    record.name = name;
    const values: Record<string, FileValue> = {};
    for (const modeId of Object.keys(raw)) values[modeId] = fromFigmaValue(record.resolvedType, raw[modeId]!);
    const before = record.valuesByMode;
    if (Object.keys(before).length !== Object.keys(values).length || Object.keys(values).some((m) => !sameFileValue(before[m], values[m]))) changed = true;
    record.valuesByMode = values;
    return changed ? 'changed' : 'same';
  }

  /** Reads a collection's name and modes again; the record follows. A collection that throws is forgotten with its variables. */
  refreshCollection(id: string): Refreshed {
    const object = this.collectionObjects.get(id);
    const record = this.collections.get(id);
    if (!object || !record) return 'gone';
    let name: string;
    let modes: { modeId: string; name: string }[];
    try {
      name = object.name;
      modes = object.modes.map((m) => ({ modeId: m.modeId, name: m.name }));
    } catch {
      this.removeCollection(id);
      return 'gone';
    }
    const changed = name !== record.name || JSON.stringify(modes) !== JSON.stringify(record.modes);
    record.name = name;
    record.modes = modes;
    // Figma makes the first mode the default when the default goes.
    if (!modes.some((m) => m.modeId === record.defaultModeId) && modes[0]) record.defaultModeId = modes[0].modeId;
    return changed ? 'changed' : 'same';
  }

  /** Ids of the collections and variables the sync made (they carry a mark), which drift checks re-read. */
  markedIds(): { collections: string[]; variables: string[] } {
    const collections: string[] = [];
    const variables: string[] = [];
    for (const c of this.collections.values()) if (c.origin && !c.remote) collections.push(c.id);
    for (const v of this.variables.values()) if (v.origin && !v.remote) variables.push(v.id);
    return { collections, variables };
  }

  /** How many collections and variables Figma listed when the mirror was read, readable or not. */
  listedCounts(): { collections: number; variables: number } {
    let collections = this.collections.size;
    let variables = this.variables.size;
    for (const u of this.unreadable) {
      if (u.kind === 'collection') collections++;
      else variables++;
    }
    return { collections, variables };
  }

  // ------------------------------------------------------------------------------------------
  // Updates, called after Figma accepted the matching write.

  addCollection(object: HostCollection, record: FileCollection): void {
    this.collections.set(record.id, record);
    this.collectionObjects.set(record.id, object);
    if (!this.members.has(record.id)) this.members.set(record.id, new Set());
  }

  addVariable(object: HostVariable, record: FileVariable): void {
    this.variables.set(record.id, record);
    this.variableObjects.set(record.id, object);
    let members = this.members.get(record.collectionId);
    if (!members) this.members.set(record.collectionId, (members = new Set()));
    members.add(record.id);
  }

  renameCollection(id: string, name: string): void {
    const c = this.collections.get(id);
    if (c) c.name = name;
  }

  addMode(collectionId: string, modeId: string, name: string): void {
    this.collections.get(collectionId)?.modes.push({ modeId, name });
  }

  renameMode(collectionId: string, modeId: string, name: string): void {
    const mode = this.collections.get(collectionId)?.modes.find((m) => m.modeId === modeId);
    if (mode) mode.name = name;
  }

  /** Drops the mode and its values; Figma makes the first remaining mode the default when the default goes. */
  removeMode(collectionId: string, modeId: string, defaultModeId: string): void {
    const c = this.collections.get(collectionId);
    if (!c) return;
    c.modes = c.modes.filter((m) => m.modeId !== modeId);
    c.defaultModeId = defaultModeId;
    // The origin in plugin data still lists the mode until the plan writes a new one.
    for (const variableId of this.members.get(collectionId) ?? []) delete this.variables.get(variableId)?.valuesByMode[modeId];
  }

  setCollectionOrigin(id: string, origin: CollectionOrigin): void {
    const c = this.collections.get(id);
    if (c) c.origin = origin;
  }

  renameVariable(id: string, name: string): void {
    const v = this.variables.get(id);
    if (v) v.name = name;
  }

  setOrigin(id: string, origin: VariableOrigin): void {
    const v = this.variables.get(id);
    if (v) v.origin = origin;
  }

  setValue(id: string, modeId: string, value: FileValue): void {
    const v = this.variables.get(id);
    if (v) v.valuesByMode[modeId] = value;
  }

  setDescription(id: string, description: string): void {
    const v = this.variables.get(id);
    if (v) v.description = description;
  }

  setScopes(id: string, scopes: string[]): void {
    const v = this.variables.get(id);
    if (v) v.scopes = [...scopes];
  }

  setHidden(id: string, hidden: boolean): void {
    const v = this.variables.get(id);
    if (v) v.hidden = hidden;
  }

  setCodeSyntax(id: string, platform: CodeSyntaxPlatform, value: string | null): void {
    const v = this.variables.get(id);
    if (!v) return;
    if (value === null) delete v.codeSyntax[platform];
    else v.codeSyntax[platform] = value;
  }

  removeVariable(id: string): void {
    const v = this.variables.get(id);
    if (!v) return;
    this.variables.delete(id);
    this.variableObjects.delete(id);
    this.members.get(v.collectionId)?.delete(id);
  }

  /** Forgets a collection Figma no longer has, with its variables (Figma removes them together). */
  removeCollection(id: string): void {
    for (const variableId of this.members.get(id) ?? []) {
      this.variables.delete(variableId);
      this.variableObjects.delete(variableId);
    }
    this.members.delete(id);
    this.collections.delete(id);
    this.collectionObjects.delete(id);
  }
}
