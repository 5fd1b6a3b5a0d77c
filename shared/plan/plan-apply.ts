// What a file holds after a plan's ops ran, computed without Figma: for tests (plan, apply, plan
// again gives nothing) and for the plugin adapter's in-memory mirror of the file.

import type { FileCollection, FileState, FileVariable, PlanOp, Ref } from '../sheet/model';
import { NEW_VARIABLE_DEFAULTS } from './plan';

/**
 * Applies `plan.ops` to a copy of `file` (the input is not changed; objects no op touches are
 * shared). `idFor` maps a "new:…" ref to the id Figma gave the object (the ref itself when absent).
 * An op whose collection, mode or variable is missing changes nothing, as when Figma refused the op
 * that would have created it, so an adapter can pass only the ops that succeeded or all of them.
 */
export function applyPlanToFileState(file: FileState, plan: { ops: readonly PlanOp[] }, idFor?: (ref: Ref) => string): FileState {
  const id = (ref: Ref): string => (idFor && ref.startsWith('new:') ? idFor(ref) : ref);
  const collections = new Map(file.collections.map((c) => [c.id, c]));
  const variables = new Map(file.variables.map((v) => [v.id, v]));
  const ownCollections = new Set<string>();
  const ownVariables = new Set<string>();

  const collection = (ref: Ref): FileCollection | undefined => {
    const key = id(ref);
    const c = collections.get(key);
    if (!c || ownCollections.has(key)) return c;
    const copy: FileCollection = { ...c, modes: c.modes.map((m) => ({ ...m })) };
    collections.set(key, copy);
    ownCollections.add(key);
    return copy;
  };
  const variable = (ref: Ref): FileVariable | undefined => {
    const key = id(ref);
    const v = variables.get(key);
    if (!v || ownVariables.has(key)) return v;
    const copy: FileVariable = { ...v, valuesByMode: { ...v.valuesByMode }, scopes: [...v.scopes], codeSyntax: { ...v.codeSyntax } };
    variables.set(key, copy);
    ownVariables.add(key);
    return copy;
  };
  const hasMode = (v: FileVariable, modeRef: Ref): boolean => collections.get(v.collectionId)?.modes.some((m) => m.modeId === id(modeRef)) ?? false;

  for (const op of plan.ops) {
    switch (op.op) {
      case 'createCollection': {
        const key = id(op.ref);
        const modeId = id(op.defaultMode.ref);
        collections.set(key, { id: key, name: op.name, remote: false, modes: [{ modeId, name: op.defaultMode.name }], defaultModeId: modeId });
        ownCollections.add(key);
        break;
      }
      case 'renameCollection': {
        const c = collection(op.collection);
        if (c) c.name = op.name;
        break;
      }
      case 'addMode': {
        const c = collection(op.collection);
        if (c) c.modes.push({ modeId: id(op.ref), name: op.name });
        break;
      }
      case 'renameMode': {
        const mode = collection(op.collection)?.modes.find((m) => m.modeId === id(op.mode));
        if (mode) mode.name = op.name;
        break;
      }
      case 'removeMode': {
        const c = collection(op.collection);
        const modeId = id(op.mode);
        if (!c || !c.modes.some((m) => m.modeId === modeId)) break;
        c.modes = c.modes.filter((m) => m.modeId !== modeId);
        if (c.defaultModeId === modeId && c.modes[0]) c.defaultModeId = c.modes[0].modeId;
        for (const v of [...variables.values()]) {
          if (v.collectionId === c.id && modeId in v.valuesByMode) delete variable(v.id)!.valuesByMode[modeId];
        }
        break;
      }
      case 'setCollectionOrigin': {
        const c = collection(op.collection);
        if (!c) break;
        const modeColumns: Record<string, number> = {};
        for (const [ref, column] of Object.entries(op.modeColumns)) modeColumns[id(ref)] = column;
        c.origin = { tabId: op.tabId, modeColumns, ...(op.adopted ? { adopted: true as const } : {}), ...(op.keepModes?.length ? { keepModes: [...op.keepModes] } : {}) };
        break;
      }
      case 'createVariable': {
        const collectionId = id(op.collection);
        if (!collections.has(collectionId)) break;
        const key = id(op.ref);
        variables.set(key, {
          id: key,
          name: op.name,
          collectionId,
          resolvedType: op.type,
          valuesByMode: {},
          description: NEW_VARIABLE_DEFAULTS.description,
          hidden: NEW_VARIABLE_DEFAULTS.hidden,
          scopes: [...NEW_VARIABLE_DEFAULTS.scopes],
          codeSyntax: { ...NEW_VARIABLE_DEFAULTS.codeSyntax },
          remote: false,
          origin: { ...op.origin },
        });
        ownVariables.add(key);
        break;
      }
      case 'renameVariable': {
        const v = variable(op.variable);
        if (v) v.name = op.name;
        break;
      }
      case 'setOrigin': {
        const v = variable(op.variable);
        if (v) v.origin = { ...op.origin };
        break;
      }
      case 'setValue': {
        const v = variable(op.variable);
        if (v && hasMode(v, op.mode)) v.valuesByMode[id(op.mode)] = typeof op.value === 'object' ? { ...op.value } : op.value;
        break;
      }
      case 'setAlias': {
        const v = variable(op.variable);
        if (v && hasMode(v, op.mode) && variables.has(id(op.target))) v.valuesByMode[id(op.mode)] = { type: 'VARIABLE_ALIAS', id: id(op.target) };
        break;
      }
      case 'setDescription': {
        const v = variable(op.variable);
        if (v) v.description = op.description;
        break;
      }
      case 'setScopes': {
        const v = variable(op.variable);
        if (v) v.scopes = [...op.scopes];
        break;
      }
      case 'setHidden': {
        const v = variable(op.variable);
        if (v) v.hidden = op.hidden;
        break;
      }
      case 'setCodeSyntax': {
        const v = variable(op.variable);
        if (!v) break;
        if (op.value === null) delete v.codeSyntax[op.platform];
        else v.codeSyntax[op.platform] = op.value;
        break;
      }
    }
  }
  return { collections: [...collections.values()], variables: [...variables.values()] };
}
