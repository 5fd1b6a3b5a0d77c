// Review mode: a plan waiting for the designer's approval, and the short summary the UI shows of it
// ("color/brand/primary (Light): #0055ff → #0066ff").

import type { Grid } from '../../shared/protocol/grid';
import type { MapResult, Plan, PlanOp, Ref } from '../../shared/sheet/model';
import type { PlanSummary } from '../../shared/plan/plugin-messages';
import type { Position } from '../../shared/protocol/messages';
import type { FileMirror } from './file-state';
import { describeValue } from './value-convert';

/** Lines beyond this are counted in `total`, not listed. */
export const MAX_SUMMARY_LINES = 300;

/** A planned sync held back until the designer approves or discards it. */
export interface PendingSync {
  position: Position;
  at?: number;
  /** The spreadsheet's title, kept in the link hint. */
  title?: string;
  /** The grid behind the plan, with the relay's hash for it: cached once applied. */
  grid: Grid;
  hash?: string;
  /** A snapshot replaced the window's grid since its previous apply. */
  snapshot?: boolean;
  mapped: MapResult;
  plan: Plan;
}

/** Names of what the plan itself creates ("new:…" refs), so lines can name them before they exist. */
function newNames(plan: Plan): { variables: Map<Ref, string>; modes: Map<Ref, string>; collections: Map<Ref, string>; collectionOf: Map<Ref, Ref> } {
  const variables = new Map<Ref, string>();
  const modes = new Map<Ref, string>();
  const collections = new Map<Ref, string>();
  /** The collection each new variable goes into, so its lines can name the modes. */
  const collectionOf = new Map<Ref, Ref>();
  for (const op of plan.ops) {
    if (op.op === 'createVariable') {
      variables.set(op.ref, op.name);
      collectionOf.set(op.ref, op.collection);
    }
    else if (op.op === 'addMode') modes.set(op.ref, op.name);
    else if (op.op === 'createCollection') {
      collections.set(op.ref, op.name);
      modes.set(op.defaultMode.ref, op.defaultMode.name);
    }
  }
  return { variables, modes, collections, collectionOf };
}

export function summarizePlan(plan: Plan, mirror: FileMirror, maxLines = MAX_SUMMARY_LINES): PlanSummary {
  const names = newNames(plan);
  const variableName = (ref: Ref) => names.variables.get(ref) ?? mirror.variable(ref)?.name ?? ref;
  const collectionName = (ref: Ref) => names.collections.get(ref) ?? mirror.collection(ref)?.name ?? ref;
  const modeName = (variableRef: Ref, modeRef: Ref) => {
    const named = names.modes.get(modeRef);
    if (named !== undefined) return named;
    const collectionId = mirror.variable(variableRef)?.collectionId ?? names.collectionOf.get(variableRef);
    const modes = collectionId !== undefined ? mirror.collection(collectionId)?.modes : undefined;
    return modes?.find((m) => m.modeId === modeRef)?.name ?? modeRef;
  };
  const collectionModeName = (collectionRef: Ref, modeRef: Ref) =>
    names.modes.get(modeRef) ?? mirror.collection(collectionRef)?.modes.find((m) => m.modeId === modeRef)?.name ?? modeRef;
  const current = (variableRef: Ref, modeRef: Ref) => mirror.variable(variableRef)?.valuesByMode[modeRef];
  const aliasName = (id: string) => mirror.variable(id)?.name ?? id;

  const line = (op: PlanOp): string | undefined => {
    switch (op.op) {
      case 'createCollection':
        return `New collection "${op.name}" (first mode "${op.defaultMode.name}")`;
      case 'renameCollection':
        return `Collection "${collectionName(op.collection)}" → "${op.name}"`;
      case 'addMode':
        return `${collectionName(op.collection)}: new mode "${op.name}"`;
      case 'renameMode':
        return `${collectionName(op.collection)}: mode "${collectionModeName(op.collection, op.mode)}" → "${op.name}"`;
      case 'removeMode':
        return `${collectionName(op.collection)}: remove mode "${collectionModeName(op.collection, op.mode)}" and its values`;
      case 'createVariable':
        return `${collectionName(op.collection)}: new ${op.type.toLowerCase()} variable "${op.name}"`;
      case 'renameVariable':
        return `"${variableName(op.variable)}" → "${op.name}"`;
      case 'setValue':
        return `${variableName(op.variable)} (${modeName(op.variable, op.mode)}): ${describeValue(current(op.variable, op.mode), aliasName)} → ${describeValue(op.value)}`;
      case 'setAlias':
        return `${variableName(op.variable)} (${modeName(op.variable, op.mode)}): ${describeValue(current(op.variable, op.mode), aliasName)} → {${variableName(op.target)}}`;
      case 'setDescription':
        return `${variableName(op.variable)}: description ${JSON.stringify(op.description)}`;
      case 'setScopes':
        return `${variableName(op.variable)}: scopes ${op.scopes.join(', ')}`;
      case 'setHidden':
        return `${variableName(op.variable)}: ${op.hidden ? 'hidden from publishing' : 'published'}`;
      case 'setCodeSyntax':
        return `${variableName(op.variable)}: ${op.platform} code syntax ${op.value === null ? 'removed' : JSON.stringify(op.value)}`;
      case 'setOrigin':
      case 'setCollectionOrigin':
        // Bookkeeping in plugin data: nothing a designer sees.
        return undefined;
    }
  };

  const byOp: PlanSummary['byOp'] = {};
  const lines: string[] = [];
  for (const op of plan.ops) {
    byOp[op.op] = (byOp[op.op] ?? 0) + 1;
    if (lines.length < maxLines) {
      const text = line(op);
      if (text !== undefined) lines.push(text);
    }
  }
  return { total: plan.ops.length, byOp, lines };
}
