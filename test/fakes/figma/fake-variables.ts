// An in-memory figma.variables that enforces what Figma enforces: unique names per collection,
// forbidden characters, type-matched and acyclic aliases, a configurable mode limit, float32 colour
// channels, 5,000 variables per collection, removed objects throwing on use, library variables
// read-only; and what Figma does that plugins are not told of: zombies (makeZombies), edits in Figma
// (editInFigma) and undo (capture/restore). Every call is counted in a CallLog. Sources: SOURCES.md.
//
// Error texts: "in addMode: Limited to N modes only" is documented on VariableCollection.addMode in
// @figma/plugin-typings; "in createVariable: duplicate variable name" and "invalid variable name" were
// observed in Figma by public probes; "cannot modify modes beyond limit of N" is matched by a public
// plugin; "The … with id "…" does not exist" follows a live Figma message for removed styles. The
// remaining texts (alias cycle, variable limit, library writes, last mode) are this fake's wording.

import type { CodeSyntaxPlatform, VariableAlias, VariableResolvedDataType, VariableScope, VariableValue } from '@figma/plugin-typings/plugin-api-standalone';
import type { CallKind, CallLog } from './call-log';
import { DEV_PLUGIN_ID, FakePluginData, type PluginIdentity } from './fake-plugin-data';

export const FAKE_ERRORS = {
  modeLimit: (limit: number) => `in addMode: Limited to ${limit} modes only`,
  modesBeyondLimit: (limit: number) => `in setValueForMode: cannot modify modes beyond limit of ${limit}`,
  duplicateName: (method: string) => `in ${method}: duplicate variable name`,
  invalidName: (method: string) => `in ${method}: invalid variable name`,
  gone: (method: string, what: 'variable' | 'variable collection', id: string) => `in ${method}: The ${what} with id "${id}" does not exist`,
  typeMismatch: (type: string, valueType: string) => `in setValueForMode: Mismatched variable resolved type (${type}) and value type (${valueType})`,
  aliasCycle: () => 'in setValueForMode: Cannot set alias: it would create an alias cycle',
  unknownMode: (method: string, modeId: string) => `in ${method}: Invalid mode id "${modeId}"`,
  variableLimit: (limit: number) => `in createVariable: Collection has reached the limit of ${limit} variables`,
  remote: (method: string) => `in ${method}: Cannot modify a remote variable from a library`,
  lastMode: () => 'in removeMode: Cannot remove the last mode of a collection',
  notCollection: () => 'in createVariable: Expected a VariableCollection',
} as const;

/** Characters Figma refuses in variable names. */
export const FORBIDDEN_NAME_CHARACTERS = ['.', '{', '}'];
export const MAX_VARIABLES_PER_COLLECTION = 5000;

type Value = VariableValue;

function copyValue(value: Value): Value {
  return typeof value === 'object' && value !== null ? (JSON.parse(JSON.stringify(value)) as Value) : value;
}

interface CollectionState {
  name: string;
  modes: { modeId: string; name: string }[];
  defaultMode: string;
}

interface VariableState {
  name: string;
  values: [string, Value][];
  description: string;
  hidden: boolean;
  scopes: VariableScope[];
  syntax: { [platform in CodeSyntaxPlatform]?: string };
}

/** The visible state of a file at one moment (FakeFile.capture), for undo. */
export interface FileSnapshot {
  collections: Map<string, CollectionState>;
  variables: Map<string, VariableState>;
}

/**
 * A twin: a local collection made (or renamed) to the name of another local collection of the file.
 * Figma allows it, but for this product it is the bug of issue 10 (the sheet's values go to the twin
 * while every layer stays bound to the original), so every fake file reports its twins and the test
 * setup fails any test that made one (test/helpers/no-twins.ts; the demo page throws).
 */
export interface Twin {
  name: string;
  /** How it came about: created by createVariableCollection, or by setting a collection's name. */
  by: 'create' | 'rename';
}

/** Every fake file made since the last takeTwins(), so the test setup can check them all. */
const liveFiles = new Set<FakeFile>();

/** The twins every fake file made since the last call, and forgets the files. */
export function takeTwins(): Twin[] {
  const twins = [...liveFiles].flatMap((f) => f.twins);
  liveFiles.clear();
  return twins;
}

/** The file the fake variables live in. */
export class FakeFile {
  readonly collections = new Map<string, FakeCollection>();
  readonly variables = new Map<string, FakeVariable>();
  /** Modes allowed per collection (Figma: 1 on Starter, 10 on Professional, 20 on Organization). */
  modeLimit: number;
  /** The running plugin's id: private plugin data and clientStorage belong to it. */
  readonly plugin: PluginIdentity = { id: DEV_PLUGIN_ID };
  private seq = 0;

  /** Twins made in this file (see Twin), in order. */
  readonly twins: Twin[] = [];
  /** Names a test sets up twins of on purpose (the plugin must cope with them), which are not reported. */
  readonly twinsAllowed = new Set<string>();
  /** Called at each twin (the demo page throws, so a browser test fails on it). */
  onTwin: ((twin: Twin) => void) | undefined;
  /** Local collections by name: how many of each (the count that makes a twin visible). */
  private readonly localNames = new Map<string, number>();

  constructor(
    readonly log: CallLog,
    modeLimit: number,
  ) {
    this.modeLimit = modeLimit;
    liveFiles.add(this);
  }

  /** A local collection takes a name (made or renamed): a second of that name is a twin. */
  nameTaken(name: string, by: Twin['by']): void {
    const count = (this.localNames.get(name) ?? 0) + 1;
    this.localNames.set(name, count);
    if (count > 1 && !this.twinsAllowed.has(name)) {
      const twin = { name, by };
      this.twins.push(twin);
      this.onTwin?.(twin);
    }
  }

  /** A local collection gives up a name (renamed or removed). */
  nameFreed(name: string): void {
    const count = (this.localNames.get(name) ?? 0) - 1;
    if (count > 0) this.localNames.set(name, count);
    else this.localNames.delete(name);
  }

  /** How many local collections have this name now. */
  collectionsNamed(name: string): number {
    return this.localNames.get(name) ?? 0;
  }

  nextId(prefix: string): string {
    this.seq++;
    return prefix ? `${prefix}:1:${this.seq}` : `1:${this.seq}`;
  }

  record(name: string, kind: CallKind): void {
    this.log.record(name, kind);
  }

  /** Variables per collection id, and each collection's names, so checks stay O(1) at 5,000 variables. */
  private readonly members = new Map<string, Set<FakeVariable>>();
  private readonly names = new Map<string, Map<string, FakeVariable>>();

  membersOf(collectionId: string): FakeVariable[] {
    return [...(this.members.get(collectionId) ?? [])];
  }

  memberCount(collectionId: string): number {
    return this.members.get(collectionId)?.size ?? 0;
  }

  holderOf(collectionId: string, name: string): FakeVariable | undefined {
    return this.names.get(collectionId)?.get(name);
  }

  join(v: FakeVariable, collectionId: string, name: string): void {
    this.variables.set(v.id, v);
    let set = this.members.get(collectionId);
    if (!set) this.members.set(collectionId, (set = new Set()));
    set.add(v);
    let names = this.names.get(collectionId);
    if (!names) this.names.set(collectionId, (names = new Map()));
    names.set(name, v);
  }

  renamed(v: FakeVariable, collectionId: string, from: string, to: string): void {
    const names = this.names.get(collectionId);
    if (names?.get(from) === v) names.delete(from);
    names?.set(to, v);
  }

  /**
   * Zombies (Tokens Studio issues #3140 and #3045): a deleted collection whose variables Figma still
   * lists in getLocalVariablesAsync. `listed` keeps the dead collection in getLocalVariableCollectionsAsync
   * too, where every use of it throws that it "does not exist" (#3045: "in get_modes: The variable
   * collection with id … does not exist"); otherwise it is simply missing there (#3140: 0 collections,
   * 747 variables). `variableReads` says whether the variables' own properties still read ('work', as
   * #3140's plugin read them) or throw like their collection ('throw'); writes to them always throw.
   * Which of these Figma does is not documented: the plugin must survive each.
   */
  makeZombies(collection: FakeCollection, options: { listed: boolean; variableReads: 'work' | 'throw' }): FakeVariable[] {
    collection.removed = true;
    // The collection is deleted (it only lingers in Figma's lists): its name is free again.
    if (!collection.remoteValue) this.nameFreed(collection.nameRaw);
    if (!options.listed) this.collections.delete(collection.id);
    const members = this.membersOf(collection.id);
    for (const v of members) v.zombie = { collectionId: collection.id, reads: options.variableReads };
    return members;
  }

  /** What undo would bring back: every collection's and variable's visible state now (not counted). */
  capture(): FileSnapshot {
    return {
      collections: new Map([...this.collections.values()].filter((c) => !c.removed).map((c) => [c.id, c.captureState()])),
      variables: new Map([...this.variables.values()].filter((v) => !v.removed).map((v) => [v.id, v.captureState()])),
    };
  }

  /**
   * Puts the file back to a snapshot, as Figma's undo does for a step: what was made since is removed,
   * what was changed gets its old names and values back. Plugin data is left as it is (the docs do not
   * say whether undo restores it), and an object deleted since is not brought back (this fake cannot).
   */
  restore(snapshot: FileSnapshot): void {
    for (const v of [...this.variables.values()]) {
      const state = snapshot.variables.get(v.id);
      if (!state) v.kill();
      else v.restoreState(state);
    }
    for (const c of [...this.collections.values()]) {
      const state = snapshot.collections.get(c.id);
      if (!state) {
        c.removed = true;
        this.collections.delete(c.id);
        if (!c.remoteValue) this.nameFreed(c.nameRaw);
      } else c.restoreState(state);
    }
  }

  leave(v: FakeVariable, collectionId: string, name: string): void {
    this.variables.delete(v.id);
    this.members.get(collectionId)?.delete(v);
    const names = this.names.get(collectionId);
    if (names?.get(name) === v) names.delete(name);
  }
}

function checkName(method: string, name: string, file: FakeFile, collectionId: string, self?: FakeVariable): void {
  if (name.trim() === '' || FORBIDDEN_NAME_CHARACTERS.some((ch) => name.includes(ch))) throw new Error(FAKE_ERRORS.invalidName(method));
  const holder = file.holderOf(collectionId, name);
  if (holder && holder !== self) throw new Error(FAKE_ERRORS.duplicateName(method));
}

const NOUNS = { Variable: 'variable', VariableCollection: 'variable collection' } as const;

/**
 * Counts a use of a collection's or variable's member (`name=` for a setter) and throws what Figma
 * throws: any use of a removed object, and a write to a library object (its plugin data stays writable).
 */
function useMember(
  file: FakeFile,
  object: { id: string; removed: boolean; remoteValue: boolean; zombie?: { collectionId: string; reads: 'work' | 'throw' } | undefined },
  type: keyof typeof NOUNS,
  member: string,
  kind: CallKind,
  setter: boolean,
): void {
  file.record(`${type}.${member}${setter ? '=' : ''}`, kind);
  const method = setter ? `set_${member}` : kind === 'read' && !member.includes('PluginData') ? `get_${member}` : member;
  if (object.removed) throw new Error(FAKE_ERRORS.gone(method, NOUNS[type], object.id));
  // A zombie's collection is gone: a write always fails on it, a read when the fake says so.
  if (object.zombie && (kind === 'write' || object.zombie.reads === 'throw')) throw new Error(FAKE_ERRORS.gone(method, 'variable collection', object.zombie.collectionId));
  if (kind === 'write' && object.remoteValue && !member.includes('PluginData')) throw new Error(FAKE_ERRORS.remote(method));
}

function defaultValue(type: VariableResolvedDataType): Value {
  switch (type) {
    case 'COLOR':
      return { r: 1, g: 1, b: 1, a: 1 };
    case 'FLOAT':
      return 0;
    case 'STRING':
      return '';
    case 'BOOLEAN':
      return false;
    default:
      return { type: 'LINEAR' } as unknown as Value;
  }
}

/**
 * The plugin-data members a collection and a variable share (PluginDataMixin in the typings): each
 * call counted and timed through the holder's `use`, the data kept by FakePluginData.
 */
abstract class FakePluginDataHolder {
  protected abstract readonly data: FakePluginData;
  protected abstract use(member: string, kind: CallKind, setter?: boolean): void;

  getPluginData(key: string): string {
    this.use('getPluginData', 'read');
    return this.data.get(key);
  }
  setPluginData(key: string, value: string): void {
    this.use('setPluginData', 'write');
    this.data.set(key, value);
  }
  getPluginDataKeys(): string[] {
    this.use('getPluginDataKeys', 'read');
    return this.data.keys();
  }
  getSharedPluginData(namespace: string, key: string): string {
    this.use('getSharedPluginData', 'read');
    return this.data.getShared(namespace, key);
  }
  setSharedPluginData(namespace: string, key: string, value: string): void {
    this.use('setSharedPluginData', 'write');
    this.data.setShared(namespace, key, value);
  }
  getSharedPluginDataKeys(namespace: string): string[] {
    this.use('getSharedPluginDataKeys', 'read');
    return this.data.sharedKeys(namespace);
  }
}

export class FakeCollection extends FakePluginDataHolder {
  readonly id: string;
  private nameValue: string;
  private modesValue: { modeId: string; name: string }[];
  private defaultMode: string;
  protected readonly data: FakePluginData;
  removed = false;

  constructor(
    private readonly file: FakeFile,
    name: string,
    readonly remoteValue = false,
  ) {
    super();
    this.id = file.nextId('VariableCollectionId');
    this.data = new FakePluginData(file.plugin);
    this.nameValue = name;
    this.defaultMode = file.nextId('');
    this.modesValue = [{ modeId: this.defaultMode, name: 'Mode 1' }];
  }

  protected use(member: string, kind: CallKind, setter = false): void {
    useMember(this.file, this, 'VariableCollection', member, kind, setter);
  }

  get name(): string {
    this.use('name', 'read');
    return this.nameValue;
  }
  set name(name: string) {
    this.use('name', 'write', true);
    if (name === this.nameValue) return;
    if (!this.remoteValue) {
      this.file.nameFreed(this.nameValue);
      this.file.nameTaken(name, 'rename');
    }
    this.nameValue = name;
  }
  get remote(): boolean {
    this.use('remote', 'read');
    return this.remoteValue;
  }
  get modes(): { modeId: string; name: string }[] {
    this.use('modes', 'read');
    return this.modesValue.map((m) => ({ ...m }));
  }
  get defaultModeId(): string {
    this.use('defaultModeId', 'read');
    return this.defaultMode;
  }
  get variableIds(): string[] {
    this.use('variableIds', 'read');
    return this.file.membersOf(this.id).map((v) => v.id);
  }

  addMode(name: string): string {
    this.use('addMode', 'write');
    if (this.modesValue.length >= this.file.modeLimit) throw new Error(FAKE_ERRORS.modeLimit(this.file.modeLimit));
    const modeId = this.file.nextId('');
    this.modesValue.push({ modeId, name });
    // The new mode starts with each variable's default-mode value.
    for (const v of this.file.membersOf(this.id)) v.copyMode(this.defaultMode, modeId);
    return modeId;
  }

  renameMode(modeId: string, name: string): void {
    this.use('renameMode', 'write');
    const mode = this.modesValue.find((m) => m.modeId === modeId);
    if (!mode) throw new Error(FAKE_ERRORS.unknownMode('renameMode', modeId));
    mode.name = name;
  }

  removeMode(modeId: string): void {
    this.use('removeMode', 'write');
    if (!this.modesValue.some((m) => m.modeId === modeId)) throw new Error(FAKE_ERRORS.unknownMode('removeMode', modeId));
    if (this.modesValue.length === 1) throw new Error(FAKE_ERRORS.lastMode());
    this.modesValue = this.modesValue.filter((m) => m.modeId !== modeId);
    if (this.defaultMode === modeId) this.defaultMode = this.modesValue[0]!.modeId;
    for (const v of this.file.membersOf(this.id)) v.dropMode(modeId);
  }

  /** Removes the collection and its variables; objects held elsewhere then throw on use. */
  remove(): void {
    this.use('remove', 'write');
    this.removed = true;
    for (const v of this.file.membersOf(this.id)) v.kill();
    this.file.collections.delete(this.id);
    if (!this.remoteValue) this.file.nameFreed(this.nameValue);
  }


  captureState(): CollectionState {
    return { name: this.nameValue, modes: this.modesValue.map((m) => ({ ...m })), defaultMode: this.defaultMode };
  }
  restoreState(state: CollectionState): void {
    if (state.name !== this.nameValue && !this.remoteValue) {
      this.file.nameFreed(this.nameValue);
      this.file.nameTaken(state.name, 'rename');
    }
    this.nameValue = state.name;
    this.modesValue = state.modes.map((m) => ({ ...m }));
    this.defaultMode = state.defaultMode;
  }

  // Test access without counting.
  hasMode(modeId: string): boolean {
    return this.modesValue.some((m) => m.modeId === modeId);
  }
  get modeCount(): number {
    return this.modesValue.length;
  }
  get defaultModeRaw(): string {
    return this.defaultMode;
  }
  get nameRaw(): string {
    return this.nameValue;
  }
  modesRaw(): { modeId: string; name: string }[] {
    return this.modesValue.map((m) => ({ ...m }));
  }
  /** The running plugin's private entry. */
  pluginDataRaw(key: string): string {
    return this.data.get(key);
  }
  sharedPluginDataRaw(namespace: string, key: string): string {
    return this.data.sharedEntries(namespace).get(key) ?? '';
  }
  /** Private and shared entries, for tests that set up what an older build wrote. */
  get pluginDataStore(): FakePluginData {
    return this.data;
  }
}

export class FakeVariable extends FakePluginDataHolder {
  readonly id: string;
  private nameValue: string;
  private descriptionValue = '';
  private hidden = false;
  private scopesValue: VariableScope[] = ['ALL_SCOPES'];
  private readonly syntax: { [platform in CodeSyntaxPlatform]?: string } = {};
  private readonly values = new Map<string, Value>();
  protected readonly data: FakePluginData;
  removed = false;
  /** Set on a variable whose collection is gone but which Figma still lists (see FakeFile.makeZombies). */
  zombie: { collectionId: string; reads: 'work' | 'throw' } | undefined;

  constructor(
    private readonly file: FakeFile,
    private readonly collection: FakeCollection,
    name: string,
    readonly type: VariableResolvedDataType,
    readonly remoteValue = false,
  ) {
    super();
    this.id = file.nextId('VariableID');
    this.data = new FakePluginData(file.plugin);
    this.nameValue = name;
    for (const m of collection.modesRaw()) this.values.set(m.modeId, defaultValue(type));
  }

  protected use(member: string, kind: CallKind, setter = false): void {
    useMember(this.file, this, 'Variable', member, kind, setter);
  }

  get name(): string {
    this.use('name', 'read');
    return this.nameValue;
  }
  set name(name: string) {
    this.use('name', 'write', true);
    checkName('set_name', name, this.file, this.collection.id, this);
    this.file.renamed(this, this.collection.id, this.nameValue, name);
    this.nameValue = name;
  }
  get description(): string {
    this.use('description', 'read');
    return this.descriptionValue;
  }
  set description(text: string) {
    this.use('description', 'write', true);
    this.descriptionValue = text;
  }
  get hiddenFromPublishing(): boolean {
    this.use('hiddenFromPublishing', 'read');
    return this.hidden;
  }
  set hiddenFromPublishing(hidden: boolean) {
    this.use('hiddenFromPublishing', 'write', true);
    this.hidden = hidden;
  }
  get remote(): boolean {
    this.use('remote', 'read');
    return this.remoteValue;
  }
  get variableCollectionId(): string {
    this.use('variableCollectionId', 'read');
    return this.collection.id;
  }
  get resolvedType(): VariableResolvedDataType {
    this.use('resolvedType', 'read');
    return this.type;
  }
  get scopes(): VariableScope[] {
    this.use('scopes', 'read');
    return [...this.scopesValue];
  }
  set scopes(scopes: VariableScope[]) {
    this.use('scopes', 'write', true);
    this.scopesValue = [...scopes];
  }
  get codeSyntax(): { [platform in CodeSyntaxPlatform]?: string } {
    this.use('codeSyntax', 'read');
    return { ...this.syntax };
  }
  get valuesByMode(): { [modeId: string]: Value } {
    this.use('valuesByMode', 'read');
    const out: { [modeId: string]: Value } = {};
    for (const [modeId, value] of this.values) out[modeId] = copyValue(value);
    return out;
  }

  setValueForMode(modeId: string, value: Value): void {
    this.use('setValueForMode', 'write');
    if (!this.collection.hasMode(modeId)) throw new Error(FAKE_ERRORS.unknownMode('setValueForMode', modeId));
    if (this.collection.modeCount > this.file.modeLimit) throw new Error(FAKE_ERRORS.modesBeyondLimit(this.file.modeLimit));
    this.values.set(modeId, this.checkValue(value));
  }

  setVariableCodeSyntax(platform: CodeSyntaxPlatform, value: string): void {
    this.use('setVariableCodeSyntax', 'write');
    this.syntax[platform] = value;
  }
  removeVariableCodeSyntax(platform: CodeSyntaxPlatform): void {
    this.use('removeVariableCodeSyntax', 'write');
    delete this.syntax[platform];
  }

  remove(): void {
    this.use('remove', 'write');
    this.kill();
  }


  /** What Figma stores: colour channels as float32, aliases checked for type and cycles. */
  private checkValue(value: Value): Value {
    if (typeof value === 'object' && value !== null && 'type' in value && value.type === 'VARIABLE_ALIAS') {
      const target = this.file.variables.get(value.id);
      if (!target || target.removed) throw new Error(FAKE_ERRORS.gone('setValueForMode', 'variable', value.id));
      if (target.type !== this.type) throw new Error(FAKE_ERRORS.typeMismatch(this.type, target.type));
      if (target === this || target.reaches(this, new Set())) throw new Error(FAKE_ERRORS.aliasCycle());
      return { type: 'VARIABLE_ALIAS', id: target.id };
    }
    const valueType =
      typeof value === 'number' ? 'FLOAT' : typeof value === 'string' ? 'STRING' : typeof value === 'boolean' ? 'BOOLEAN' : 'COLOR';
    if (this.type === 'EASING' || this.type === 'TIMING') return copyValue(value);
    if (valueType !== this.type) throw new Error(FAKE_ERRORS.typeMismatch(this.type, valueType));
    if (valueType === 'COLOR') {
      const c = value as Record<string, unknown>;
      if ('color' in c) return copyValue(value); // a composed colour: kept as given
      const channel = (x: unknown, name: string) => {
        if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > 1) throw new Error(`in setValueForMode: Property "${name}" must be a number between 0 and 1`);
        return Math.fround(x);
      };
      return { r: channel(c.r, 'r'), g: channel(c.g, 'g'), b: channel(c.b, 'b'), a: c.a === undefined ? 1 : channel(c.a, 'a') };
    }
    return value;
  }

  /** Whether following aliases (in any mode) from this variable reaches `target`. */
  reaches(target: FakeVariable, seen: Set<FakeVariable>): boolean {
    if (seen.has(this)) return false;
    seen.add(this);
    for (const value of this.values.values()) {
      if (typeof value === 'object' && value !== null && 'type' in value && value.type === 'VARIABLE_ALIAS') {
        const next = this.file.variables.get(value.id);
        if (next === target || next?.reaches(target, seen)) return true;
      }
    }
    return false;
  }

  captureState(): VariableState {
    return {
      name: this.nameValue,
      values: [...this.values].map(([modeId, value]) => [modeId, copyValue(value)]),
      description: this.descriptionValue,
      hidden: this.hidden,
      scopes: [...this.scopesValue],
      syntax: { ...this.syntax },
    };
  }
  restoreState(state: VariableState): void {
    if (state.name !== this.nameValue) {
      this.file.renamed(this, this.collection.id, this.nameValue, state.name);
      this.nameValue = state.name;
    }
    this.values.clear();
    for (const [modeId, value] of state.values) this.values.set(modeId, copyValue(value));
    this.descriptionValue = state.description;
    this.hidden = state.hidden;
    this.scopesValue = [...state.scopes];
    for (const platform of Object.keys(this.syntax) as CodeSyntaxPlatform[]) delete this.syntax[platform];
    Object.assign(this.syntax, state.syntax);
  }

  /**
   * A designer's (or a collaborator's) edit in Figma, which the plugin is not told about: Figma has no
   * variable-change event for plugins. Not counted (it is not the plugin's call); checked like the API.
   */
  editInFigma(change: { name?: string; values?: Record<string, Value>; description?: string }): void {
    if (this.removed) throw new Error('editInFigma: the variable was removed');
    if (change.name !== undefined) {
      checkName('set_name', change.name, this.file, this.collection.id, this);
      this.file.renamed(this, this.collection.id, this.nameValue, change.name);
      this.nameValue = change.name;
    }
    for (const [modeId, value] of Object.entries(change.values ?? {})) this.values.set(modeId, this.checkValue(value));
    if (change.description !== undefined) this.descriptionValue = change.description;
  }

  // Called by the collection, not counted.
  copyMode(from: string, to: string): void {
    const value = this.values.get(from);
    if (value !== undefined) this.values.set(to, copyValue(value));
  }
  dropMode(modeId: string): void {
    this.values.delete(modeId);
  }
  kill(): void {
    this.removed = true;
    this.file.leave(this, this.collection.id, this.nameValue);
  }

  // Test access without counting.
  get nameRaw(): string {
    return this.nameValue;
  }
  get collectionIdRaw(): string {
    return this.collection.id;
  }
  valueRaw(modeId: string): Value | undefined {
    const value = this.values.get(modeId);
    return value === undefined ? undefined : copyValue(value);
  }
  /** The running plugin's private entry. */
  pluginDataRaw(key: string): string {
    return this.data.get(key);
  }
  sharedPluginDataRaw(namespace: string, key: string): string {
    return this.data.sharedEntries(namespace).get(key) ?? '';
  }
  /** Private and shared entries, for tests that set up what an older build wrote. */
  get pluginDataStore(): FakePluginData {
    return this.data;
  }
  get descriptionRaw(): string {
    return this.descriptionValue;
  }
  get scopesRaw(): VariableScope[] {
    return [...this.scopesValue];
  }
  get hiddenRaw(): boolean {
    return this.hidden;
  }
  get codeSyntaxRaw(): { [platform in CodeSyntaxPlatform]?: string } {
    return { ...this.syntax };
  }
}

/** figma.variables over a FakeFile. */
export class FakeVariablesApi {
  constructor(private readonly file: FakeFile) {}

  async getLocalVariableCollectionsAsync(): Promise<FakeCollection[]> {
    this.file.record('variables.getLocalVariableCollectionsAsync', 'read');
    return [...this.file.collections.values()].filter((c) => !c.remoteValue);
  }

  async getLocalVariablesAsync(): Promise<FakeVariable[]> {
    this.file.record('variables.getLocalVariablesAsync', 'read');
    return [...this.file.variables.values()].filter((v) => !v.remoteValue);
  }

  async getVariableByIdAsync(id: string): Promise<FakeVariable | null> {
    this.file.record('variables.getVariableByIdAsync', 'read');
    return this.file.variables.get(id) ?? null;
  }

  createVariableCollection(name: string): FakeCollection {
    this.file.record('variables.createVariableCollection', 'write');
    const collection = new FakeCollection(this.file, name);
    this.file.collections.set(collection.id, collection);
    this.file.nameTaken(name, 'create');
    return collection;
  }

  createVariable(name: string, collection: unknown, resolvedType: VariableResolvedDataType): FakeVariable {
    this.file.record('variables.createVariable', 'write');
    if (!(collection instanceof FakeCollection)) throw new Error(FAKE_ERRORS.notCollection());
    if (collection.removed || !this.file.collections.has(collection.id)) throw new Error(FAKE_ERRORS.gone('createVariable', 'variable collection', collection.id));
    if (collection.remoteValue) throw new Error(FAKE_ERRORS.remote('createVariable'));
    checkName('createVariable', name, this.file, collection.id);
    if (this.file.memberCount(collection.id) >= MAX_VARIABLES_PER_COLLECTION) throw new Error(FAKE_ERRORS.variableLimit(MAX_VARIABLES_PER_COLLECTION));
    const variable = new FakeVariable(this.file, collection, name, resolvedType);
    this.file.join(variable, collection.id, name);
    return variable;
  }

  createVariableAlias(variable: { id: string }): VariableAlias {
    this.file.record('variables.createVariableAlias', 'read');
    const target = this.file.variables.get(variable.id);
    if (!target || target.removed) throw new Error(FAKE_ERRORS.gone('createVariableAlias', 'variable', variable.id));
    return { type: 'VARIABLE_ALIAS', id: variable.id };
  }

  /** A library variable imported into the file: readable by id, not listed as local, read-only. */
  importLibraryVariable(collectionName: string, name: string, type: VariableResolvedDataType): FakeVariable {
    const collection = new FakeCollection(this.file, collectionName, true);
    this.file.collections.set(collection.id, collection);
    const variable = new FakeVariable(this.file, collection, name, type, true);
    this.file.join(variable, collection.id, name);
    return variable;
  }
}
