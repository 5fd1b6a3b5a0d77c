// The order of a plan's renames and alias writes, so that Figma never refuses one for a reason the
// next op would have removed: a name another variable still holds, or an alias cycle that exists
// only halfway through the plan.

import type { CellRef, PlanOp, Ref } from '../sheet/model';

export type RenameVariableOp = Extract<PlanOp, { op: 'renameVariable' }>;
export type SetAliasOp = Extract<PlanOp, { op: 'setAlias' }>;

export interface PlannedRename {
  variable: Ref;
  /** The variable's name in Figma now. */
  from: string;
  to: string;
  cell: CellRef;
}

/** Prefix of the name a variable holds for a moment while renames that swap names run. */
export const TEMPORARY_NAME_PREFIX = '~sync-renaming/';

/**
 * Orders the renames of one collection so that none takes a name another variable still holds
 * (Figma names are unique in a collection): for a → b while b → c, b → c runs first; a cycle
 * (a → b, b → a) moves one variable through a temporary name. `holders` maps each name in the
 * collection to the variable holding it. A name held by a variable that is not renamed stays a
 * conflict Figma reports on that rename's cell. Linear in the number of renames.
 */
export function orderRenames(renames: PlannedRename[], holders: ReadonlyMap<string, Ref>): RenameVariableOp[] {
  const holder = new Map(holders);
  const pending = new Map<Ref, PlannedRename>();
  for (const r of renames) pending.set(r.variable, { ...r });
  const out: RenameVariableOp[] = [];
  let temporary = 0;
  const emit = (r: PlannedRename, name: string): void => {
    out.push({ op: 'renameVariable', variable: r.variable, name, cell: r.cell });
    if (holder.get(r.from) === r.variable) holder.delete(r.from);
    holder.set(name, r.variable);
    r.from = name;
  };
  for (const first of renames) {
    let current = pending.get(first.variable);
    if (!current) continue;
    // Follow "my target is held by a variable that is itself renamed" until a free name.
    const chain: PlannedRename[] = [];
    const onChain = new Set<Ref>();
    for (;;) {
      chain.push(current);
      onChain.add(current.variable);
      const held = holder.get(current.to);
      if (held === undefined || held === current.variable) break;
      const next = pending.get(held);
      if (!next) break;
      if (onChain.has(held)) {
        // A cycle (targets are unique, so it closes at the chain's start): step aside once.
        let name = `${TEMPORARY_NAME_PREFIX}${++temporary}`;
        while (holder.has(name)) name = `${TEMPORARY_NAME_PREFIX}${++temporary}`;
        emit(next, name);
        break;
      }
      current = next;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const r = chain[i]!;
      emit(r, r.to);
      pending.delete(r.variable);
    }
  }
  return out;
}

/**
 * Orders alias writes so that a variable's alias is set only after the aliases of everything it
 * will point at (deepest targets first). Figma refuses an alias that closes a cycle, and a cycle can
 * exist halfway through a plan when an old alias is replaced later than a new one that reaches back
 * to it. `edges` holds every alias the sheet wants (variable ref → target refs, any mode, unchanged
 * ones included), since an unchanged alias carries the chain too. Stable within one depth.
 */
export function orderAliasOps(ops: SetAliasOp[], edges: ReadonlyMap<Ref, readonly Ref[]>): SetAliasOp[] {
  if (ops.length < 2) return ops;
  const depth = aliasDepths(edges);
  return ops
    .map((op, i) => ({ op, i, d: depth.get(op.variable) ?? 0 }))
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .map((x) => x.op);
}

/**
 * Longest alias chain below each variable (0 for one that aliases nothing), by an iterative
 * depth-first walk (no recursion, so long chains cannot overflow the stack). A cycle through
 * different modes is cut where the walk meets a variable it is still inside.
 */
export function aliasDepths(edges: ReadonlyMap<Ref, readonly Ref[]>): Map<Ref, number> {
  const depth = new Map<Ref, number>();
  const inside = new Set<Ref>();
  for (const start of edges.keys()) {
    if (depth.has(start)) continue;
    const stack: { node: Ref; next: number }[] = [{ node: start, next: 0 }];
    inside.add(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = edges.get(top.node) ?? [];
      if (top.next < targets.length) {
        const target = targets[top.next++]!;
        if (!depth.has(target) && !inside.has(target)) {
          inside.add(target);
          stack.push({ node: target, next: 0 });
        }
        continue;
      }
      let d = 0;
      for (const t of targets) if (!inside.has(t)) d = Math.max(d, (depth.get(t) ?? 0) + 1);
      depth.set(top.node, d);
      inside.delete(top.node);
      stack.pop();
    }
  }
  return depth;
}
