// Executes a Plan through figma.variables in chunks that yield to the editor, resolving "new:…" refs
// to the ids Figma gives and keeping the mirror in step. Figma's refusals become Problems against the
// sheet cell they came from; nothing is thrown.

import { a1 } from '../../shared/sheet/a1';
import type { CellRef, CollectionOrigin, FileValue, Plan, PlanOp, Ref } from '../../shared/sheet/model';
import type { Problem } from '../../shared/protocol/messages';
import { isFileAlias, plainValueEquals } from '../../shared/sheet/value-equality';
import { runInChunks, type Stretch } from './chunked';
import type { FileMirror } from './file-state';
import { REFUSAL_CODES, classifyRefusal, modeLimitMessage, problem, type Refusal } from './figma-refusals';
import type { HostCollection, HostVariable, Scheduler, VariablesHost } from './host';
import { encodeCollectionOrigin, encodeVariableOrigin, writeCollectionMark, writeVariableMark } from './marks';
import { fromFigmaValue, storedValue, toFigmaValue, toVariableScopes } from './value-convert';

export interface ExecuteOptions {
  scheduler: Scheduler;
  chunkBudgetMs?: number;
  /** The main-thread stretch the writes continue (mapping and planning came first); a new one by default. */
  stretch?: Stretch;
  /** Called between chunks (before each yield) with how many ops are done. */
  onChunk?: (done: number, total: number) => void;
  /** The file's mode limit if Figma already stated it: modes past it are reported without asking again. */
  modeLimit?: number;
}

export interface ExecuteResult {
  /** Figma's refusals, one per cell (or header cell for modes). */
  problems: Problem[];
  /** Ops that changed the file. */
  applied: number;
  /** Ops not needed (the file already had it) or not possible (they depend on a refused op). */
  skipped: number;
  /** Ops Figma refused. */
  refused: number;
  /** createVariable ops that did not create a variable. */
  notCreated: number;
  /**
   * The file changed underneath the mirror (something the plan used is gone, or a name is taken by a
   * variable the mirror did not know): read the file again before planning again.
   */
  stale: boolean;
  /**
   * A variable the plan writes to held other names or values than the mirror believed (changed in
   * Figma since it was read; re-read before its first write here): the mirror now matches the file, and
   * planning again shows what else to put back.
   */
  drifted: boolean;
  /** Busy time of each chunk (ms). */
  chunkMs: number[];
  /** The mode limit Figma stated (in this run or before), if any. */
  modeLimit?: number;
}

const isNew = (ref: Ref) => ref.startsWith('new:');

/** One run of one plan: the refs it resolved, what failed, and what it reported. */
class Execution {
  readonly problems: Problem[] = [];
  applied = 0;
  skipped = 0;
  refused = 0;
  notCreated = 0;
  stale = false;
  drifted = false;
  private readonly ids = new Map<Ref, string>();
  /** Existing variables re-read in this run (each once, before the first op that uses it). */
  private readonly reread = new Set<string>();
  /** Refs that never came to exist (refused or gone): ops on them are skipped without another report. */
  private readonly failed = new Set<Ref>();
  private readonly reported = new Set<string>();
  /** The sheet cell each variable was last seen at, for refusals of ops that carry none. */
  private readonly cells = new Map<Ref, CellRef>();
  /** Names and header columns of modes and collections this plan introduces, for refusals. */
  private readonly modeInfo = new Map<Ref, { collection: Ref; name: string; column: number }>();
  private readonly collectionNames = new Map<Ref, string>();

  constructor(
    private readonly mirror: FileMirror,
    private readonly api: VariablesHost,
    public modeLimit: number | undefined,
  ) {}

  run(op: PlanOp): void {
    try {
      if (this.execute(op)) this.applied++;
      else this.skipped++;
    } catch (err) {
      // Figma refused the write (or something unexpected broke): report it, never throw.
      this.refused++;
      this.refuse(op, classifyRefusal(err));
    }
  }

  // ------------------------------------------------------------------------------------------
  // Resolving refs

  private id(ref: Ref): string | undefined {
    if (this.failed.has(ref)) return undefined;
    return isNew(ref) ? this.ids.get(ref) : ref;
  }

  /** The collection object, or undefined (already reported, or reported now). */
  private collection(ref: Ref): { id: string; object: HostCollection } | undefined {
    const id = this.id(ref);
    if (id === undefined) return undefined;
    const object = this.mirror.collectionObject(id);
    const record = this.mirror.collection(id);
    if (!object || !record) {
      this.gone('collection', ref, id);
      return undefined;
    }
    if (record.remote) {
      this.once(`remote:${id}`, problem(record.name, '', REFUSAL_CODES.library, `The collection "${record.name}" comes from a library and is read-only here; edit it in its library file.`));
      this.failed.add(ref);
      return undefined;
    }
    return { id, object };
  }

  private variable(ref: Ref): { id: string; object: HostVariable } | undefined {
    const id = this.id(ref);
    if (id === undefined) return undefined;
    const known = this.mirror.variable(id);
    if (!isNew(ref) && !this.reread.has(id) && known && !known.remote) {
      // What the plan relies on may have changed in Figma since the file was read: read it again first.
      this.reread.add(id);
      const reread = this.mirror.refreshVariable(id);
      if (reread === 'changed') this.drifted = true;
      if (reread === 'gone') {
        this.gone('variable', ref, id, known.name);
        return undefined;
      }
    }
    const object = this.mirror.variableObject(id);
    const record = this.mirror.variable(id);
    if (!object || !record) {
      this.gone('variable', ref, id);
      return undefined;
    }
    if (record.remote) {
      const cell = this.cellOf(ref);
      this.once(
        `remote:${id}`,
        problem(cell.tab, cell.cell, REFUSAL_CODES.library, `"${record.name}" is a library variable and read-only here; edit it in its library file.`),
      );
      this.failed.add(ref);
      return undefined;
    }
    return { id, object };
  }

  private mode(ref: Ref): string | undefined {
    return this.id(ref);
  }

  // ------------------------------------------------------------------------------------------
  // The ops. Each returns true when it wrote to the file, false when there was nothing to write.

  private execute(op: PlanOp): boolean {
    switch (op.op) {
      case 'createCollection': {
        this.collectionNames.set(op.ref, op.name);
        this.modeInfo.set(op.defaultMode.ref, { collection: op.ref, name: op.defaultMode.name, column: op.defaultMode.column });
        const c = this.api.createVariableCollection(op.name);
        const defaultModeId = c.defaultModeId;
        const firstName = c.modes[0]?.name;
        this.ids.set(op.ref, c.id);
        this.ids.set(op.defaultMode.ref, defaultModeId);
        this.mirror.addCollection(c, { id: c.id, name: op.name, remote: false, modes: [{ modeId: defaultModeId, name: firstName ?? '' }], defaultModeId });
        // A new collection starts with one mode ("Mode 1"); it becomes the sheet's first mode.
        if (firstName !== op.defaultMode.name) this.run({ op: 'renameMode', collection: op.ref, mode: op.defaultMode.ref, name: op.defaultMode.name });
        return true;
      }
      case 'renameCollection': {
        const c = this.collection(op.collection);
        if (!c || this.mirror.collection(c.id)?.name === op.name) return false;
        c.object.name = op.name;
        this.mirror.renameCollection(c.id, op.name);
        return true;
      }
      case 'addMode': {
        this.modeInfo.set(op.ref, { collection: op.collection, name: op.name, column: op.column });
        const c = this.collection(op.collection);
        if (!c) return this.skip(op.ref);
        const modes = this.mirror.collection(c.id)?.modes.length ?? 0;
        if (this.modeLimit !== undefined && modes >= this.modeLimit) {
          // Figma already said no to this many modes: report it again without another refused call.
          this.refuse(op, { kind: 'mode-limit', limit: this.modeLimit, text: '' });
          return this.skip(op.ref);
        }
        const modeId = c.object.addMode(op.name);
        this.ids.set(op.ref, modeId);
        this.mirror.addMode(c.id, modeId, op.name);
        // Figma gives the collection's variables a value in the new mode: read it once per variable
        // (adding a mode is rare) so the mirror holds what the file does.
        for (const id of this.mirror.variableIdsIn(c.id)) {
          try {
            const value = this.mirror.variableObject(id)?.valuesByMode[modeId];
            const type = this.mirror.variable(id)?.resolvedType;
            if (value !== undefined && type !== undefined) this.mirror.setValue(id, modeId, fromFigmaValue(type, value));
          } catch {
            // Deleted underneath: forget it, and read the file again before the next plan.
            this.mirror.removeVariable(id);
            this.stale = true;
          }
        }
        return true;
      }
      case 'renameMode': {
        const c = this.collection(op.collection);
        const modeId = this.mode(op.mode);
        if (!c || modeId === undefined) return false;
        if (this.mirror.collection(c.id)?.modes.find((m) => m.modeId === modeId)?.name === op.name) return false;
        c.object.renameMode(modeId, op.name);
        this.mirror.renameMode(c.id, modeId, op.name);
        return true;
      }
      case 'removeMode': {
        const c = this.collection(op.collection);
        const modeId = this.mode(op.mode);
        if (!c || modeId === undefined) return false;
        c.object.removeMode(modeId);
        this.mirror.removeMode(c.id, modeId, c.object.defaultModeId);
        return true;
      }
      case 'setCollectionOrigin': {
        const c = this.collection(op.collection);
        if (!c) return false;
        const modeColumns: Record<string, number> = {};
        for (const [ref, column] of Object.entries(op.modeColumns)) {
          const modeId = this.mode(ref);
          if (modeId !== undefined) modeColumns[modeId] = column;
        }
        const origin: CollectionOrigin = { tabId: op.tabId, modeColumns, ...(op.adopted ? { adopted: true as const } : {}), ...(op.keepModes?.length ? { keepModes: [...op.keepModes] } : {}) };
        const text = encodeCollectionOrigin(origin);
        const current = this.mirror.collection(c.id)?.origin;
        if (current && encodeCollectionOrigin(current) === text) return false;
        writeCollectionMark(c.object, origin);
        this.mirror.setCollectionOrigin(c.id, origin);
        this.mirror.markMigrated(c.id);
        return true;
      }
      case 'createVariable': {
        this.cells.set(op.ref, op.cell);
        const c = this.collection(op.collection);
        if (!c) {
          this.notCreated++;
          return this.skip(op.ref);
        }
        let v: HostVariable;
        try {
          v = this.api.createVariable(op.name, c.object, op.type);
        } catch (err) {
          this.notCreated++;
          this.failed.add(op.ref);
          throw err;
        }
        try {
          writeVariableMark(v, op.origin);
        } catch (err) {
          // Without its origin the variable would look hand-made and never be synced again: take it back.
          v.remove();
          this.notCreated++;
          this.failed.add(op.ref);
          throw err;
        }
        this.ids.set(op.ref, v.id);
        // Figma gives a new variable default values; read them once so the mirror holds what the file does.
        const defaults = v.valuesByMode;
        const valuesByMode: Record<string, FileValue> = {};
        for (const modeId of Object.keys(defaults)) valuesByMode[modeId] = fromFigmaValue(op.type, defaults[modeId]!);
        this.mirror.addVariable(v, {
          id: v.id,
          name: op.name,
          collectionId: c.id,
          resolvedType: op.type,
          valuesByMode,
          description: '',
          hidden: false,
          scopes: ['ALL_SCOPES'],
          codeSyntax: {},
          remote: false,
          origin: op.origin,
        });
        return true;
      }
      case 'renameVariable': {
        this.cells.set(op.variable, op.cell);
        const v = this.variable(op.variable);
        if (!v || this.mirror.variable(v.id)?.name === op.name) return false;
        v.object.name = op.name;
        this.mirror.renameVariable(v.id, op.name);
        return true;
      }
      case 'setOrigin': {
        const v = this.variable(op.variable);
        if (!v) return false;
        const text = encodeVariableOrigin(op.origin);
        const current = this.mirror.variable(v.id)?.origin;
        if (current && encodeVariableOrigin(current) === text) return false;
        writeVariableMark(v.object, op.origin);
        this.mirror.setOrigin(v.id, op.origin);
        this.mirror.markMigrated(v.id);
        return true;
      }
      case 'setValue': {
        this.cells.set(op.variable, op.cell);
        const v = this.variable(op.variable);
        const modeId = this.mode(op.mode);
        if (!v || modeId === undefined) return false;
        if (plainValueEquals(op.value, this.mirror.variable(v.id)?.valuesByMode[modeId])) return false;
        v.object.setValueForMode(modeId, toFigmaValue(op.value));
        this.mirror.setValue(v.id, modeId, storedValue(op.value));
        return true;
      }
      case 'setAlias': {
        this.cells.set(op.variable, op.cell);
        const v = this.variable(op.variable);
        const modeId = this.mode(op.mode);
        const target = this.variable(op.target);
        if (!v || modeId === undefined || !target) return false;
        const current = this.mirror.variable(v.id)?.valuesByMode[modeId];
        if (isFileAlias(current) && current.id === target.id) return false;
        v.object.setValueForMode(modeId, this.api.createVariableAlias(target.object));
        this.mirror.setValue(v.id, modeId, { type: 'VARIABLE_ALIAS', id: target.id });
        return true;
      }
      case 'setDescription': {
        const v = this.variable(op.variable);
        if (!v || this.mirror.variable(v.id)?.description === op.description) return false;
        v.object.description = op.description;
        this.mirror.setDescription(v.id, op.description);
        return true;
      }
      case 'setScopes': {
        const v = this.variable(op.variable);
        const scopes = toVariableScopes(op.scopes);
        if (!v || sameList(this.mirror.variable(v.id)?.scopes, scopes)) return false;
        v.object.scopes = scopes;
        this.mirror.setScopes(v.id, scopes);
        return true;
      }
      case 'setHidden': {
        const v = this.variable(op.variable);
        if (!v || this.mirror.variable(v.id)?.hidden === op.hidden) return false;
        v.object.hiddenFromPublishing = op.hidden;
        this.mirror.setHidden(v.id, op.hidden);
        return true;
      }
      case 'setCodeSyntax': {
        const v = this.variable(op.variable);
        if (!v || (this.mirror.variable(v.id)?.codeSyntax[op.platform] ?? null) === op.value) return false;
        if (op.value === null) v.object.removeVariableCodeSyntax(op.platform);
        else v.object.setVariableCodeSyntax(op.platform, op.value);
        this.mirror.setCodeSyntax(v.id, op.platform, op.value);
        return true;
      }
    }
  }

  private skip(ref: Ref): false {
    this.failed.add(ref);
    return false;
  }

  // ------------------------------------------------------------------------------------------
  // Reporting

  private once(key: string, p: Problem): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.problems.push(p);
  }

  private tabOfCollection(ref: Ref): string {
    const id = this.id(ref) ?? (isNew(ref) ? undefined : ref);
    return (id !== undefined ? this.mirror.collection(id)?.name : undefined) ?? this.collectionNames.get(ref) ?? '';
  }

  private cellOf(variableRef: Ref): CellRef {
    const known = this.cells.get(variableRef);
    if (known) return known;
    const id = this.id(variableRef);
    const record = id !== undefined ? this.mirror.variable(id) : undefined;
    const tab = record ? (this.mirror.collection(record.collectionId)?.name ?? '') : '';
    return { tab, cell: '' };
  }

  /** The header cell of a mode: from this plan's ops, or the collection's recorded columns. */
  private modeCell(collectionRef: Ref, modeRef: Ref): { tab: string; cell: string; name: string } {
    const tab = this.tabOfCollection(collectionRef);
    const info = this.modeInfo.get(modeRef);
    if (info) return { tab, cell: a1(1, info.column), name: info.name };
    const collectionId = this.id(collectionRef);
    const record = collectionId !== undefined ? this.mirror.collection(collectionId) : undefined;
    const modeId = this.mode(modeRef) ?? modeRef;
    const column = record?.origin?.modeColumns[modeId];
    const name = record?.modes.find((m) => m.modeId === modeId)?.name ?? modeId;
    return { tab, cell: column ? a1(1, column) : '', name };
  }

  private gone(kind: 'collection' | 'variable', ref: Ref, id: string, knownName?: string): void {
    this.stale = true;
    this.failed.add(ref);
    if (kind === 'collection') {
      const tab = this.tabOfCollection(ref);
      this.mirror.removeCollection(id);
      this.once(
        `gone:${id}`,
        problem(tab, '', REFUSAL_CODES.collectionGone, `The collection "${tab}" was deleted in Figma while syncing; the next sync creates it again.`),
      );
    } else {
      const cell = this.cellOf(ref);
      const name = this.mirror.variable(id)?.name ?? knownName ?? '';
      this.mirror.removeVariable(id);
      this.once(
        `gone:${id}`,
        problem(cell.tab, cell.cell, REFUSAL_CODES.variableGone, `The variable "${name}" was deleted in Figma while syncing; the next sync creates it again.`),
      );
    }
  }

  /** Reports a refusal against the cell the op came from. */
  private refuse(op: PlanOp, refusal: Refusal): void {
    if (refusal.kind === 'vanished') {
      this.vanishedBy(op);
      return;
    }
    if (refusal.kind === 'mode-limit') {
      this.modeLimit = refusal.limit;
      const modeRef = op.op === 'addMode' ? op.ref : op.op === 'setValue' || op.op === 'setAlias' ? op.mode : undefined;
      const collectionRef = op.op === 'addMode' ? op.collection : modeRef ? this.collectionOfMode(op, modeRef) : undefined;
      if (modeRef && collectionRef) {
        const where = this.modeCell(collectionRef, modeRef);
        this.failed.add(modeRef);
        this.once(`mode-limit:${modeRef}`, problem(where.tab, where.cell, REFUSAL_CODES.modeLimit, modeLimitMessage(refusal.limit, where.name)));
        return;
      }
    }
    if (refusal.kind === 'name-taken' && this.takenByUnknown(op)) this.stale = true;
    const where = this.whereOf(op);
    const code =
      refusal.kind === 'name-taken'
        ? REFUSAL_CODES.nameTaken
        : refusal.kind === 'name-invalid'
          ? REFUSAL_CODES.nameInvalid
          : refusal.kind === 'variable-limit'
            ? REFUSAL_CODES.variableLimit
            : refusal.kind === 'remote'
              ? REFUSAL_CODES.library
              : REFUSAL_CODES.refused;
    this.problems.push(problem(where.tab, where.cell, code, `${where.what}: Figma refused (${refusal.text}).${hint(refusal)}`));
  }

  /** Whether a name Figma says is taken belongs to no variable the mirror knows (made after it was read). */
  private takenByUnknown(op: PlanOp): boolean {
    if (op.op === 'createVariable') {
      const collectionId = this.id(op.collection);
      return collectionId !== undefined && !this.mirror.hasVariableNamed(collectionId, op.name);
    }
    if (op.op === 'renameVariable') {
      const id = this.id(op.variable);
      const collectionId = id !== undefined ? this.mirror.variable(id)?.collectionId : undefined;
      return collectionId !== undefined && !this.mirror.hasVariableNamed(collectionId, op.name);
    }
    return false;
  }

  private collectionOfMode(op: PlanOp, modeRef: Ref): Ref | undefined {
    const info = this.modeInfo.get(modeRef);
    if (info) return info.collection;
    if (op.op === 'setValue' || op.op === 'setAlias') {
      const id = this.id(op.variable);
      return id !== undefined ? this.mirror.variable(id)?.collectionId : undefined;
    }
    return undefined;
  }

  /** An op failed because an object it uses is gone: find which, and forget it. */
  private vanishedBy(op: PlanOp): void {
    const variableRefs: Ref[] = [];
    if ('variable' in op) variableRefs.push(op.variable);
    if (op.op === 'setAlias') variableRefs.push(op.target);
    for (const ref of variableRefs) {
      const id = this.id(ref);
      if (id !== undefined && this.mirror.variableObject(id) && !alive(this.mirror.variableObject(id)!)) {
        this.gone('variable', ref, id);
        return;
      }
    }
    const collectionRef = 'collection' in op ? op.collection : undefined;
    if (collectionRef) {
      const id = this.id(collectionRef);
      if (id !== undefined) this.gone('collection', collectionRef, id);
      return;
    }
    const ref = variableRefs[0];
    const id = ref !== undefined ? this.id(ref) : undefined;
    if (ref !== undefined && id !== undefined) this.gone('variable', ref, id);
  }

  private whereOf(op: PlanOp): { tab: string; cell: string; what: string } {
    switch (op.op) {
      case 'createCollection':
        return { tab: op.name, cell: '', what: `Creating the collection "${op.name}"` };
      case 'renameCollection':
        return { tab: op.name, cell: '', what: `Renaming the collection to "${op.name}"` };
      case 'addMode':
      case 'renameMode':
      case 'removeMode': {
        const where = this.modeCell(op.collection, op.op === 'addMode' ? op.ref : op.mode);
        const what = op.op === 'addMode' ? `Adding the mode "${op.name}"` : op.op === 'renameMode' ? `Renaming the mode to "${op.name}"` : `Removing the mode "${where.name}"`;
        return { tab: where.tab, cell: where.cell, what };
      }
      case 'setCollectionOrigin':
        return { tab: this.tabOfCollection(op.collection), cell: '', what: 'Recording the collection\'s origin' };
      case 'createVariable':
        return { ...op.cell, what: `Creating "${op.name}"` };
      case 'renameVariable':
        return { ...op.cell, what: `Renaming to "${op.name}"` };
      default: {
        const cell = this.cellOf(op.variable);
        return { ...cell, what: `Updating "${this.nameOf(op.variable)}" (${op.op})` };
      }
    }
  }

  private nameOf(variableRef: Ref): string {
    const id = this.id(variableRef) ?? variableRef;
    return this.mirror.variable(id)?.name ?? variableRef;
  }
}

/** Whether a Figma object still answers (a removed one throws on every read but id). */
function alive(object: HostVariable): boolean {
  try {
    void object.name;
    return true;
  } catch {
    return false;
  }
}

function hint(refusal: Refusal): string {
  switch (refusal.kind) {
    case 'name-taken':
      return ' Another variable in this collection already has the name: rename this row or the other variable.';
    case 'name-invalid':
      return ' Use "/" for groups and avoid ".", "{" and "}".';
    case 'variable-limit':
      return ' Split this tab: Figma allows 5,000 variables per collection.';
    default:
      return '';
  }
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Runs the plan's ops in order, in chunks that give the editor a turn between them. */
export async function executePlan(plan: Plan, mirror: FileMirror, api: VariablesHost, options: ExecuteOptions): Promise<ExecuteResult> {
  const execution = new Execution(mirror, api, options.modeLimit);
  const chunkMs = await runInChunks(plan.ops.length, (i) => execution.run(plan.ops[i]!), {
    scheduler: options.scheduler,
    ...(options.chunkBudgetMs !== undefined ? { budgetMs: options.chunkBudgetMs } : {}),
    ...(options.stretch ? { stretch: options.stretch } : {}),
    ...(options.onChunk ? { onChunk: options.onChunk } : {}),
  });
  return {
    problems: execution.problems,
    applied: execution.applied,
    skipped: execution.skipped,
    refused: execution.refused,
    notCreated: execution.notCreated,
    stale: execution.stale,
    drifted: execution.drifted,
    chunkMs,
    ...(execution.modeLimit !== undefined ? { modeLimit: execution.modeLimit } : {}),
  };
}
