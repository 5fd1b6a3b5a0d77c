import fc from 'fast-check';
import type { FileState, MappedCollection, MappedValue, Plan, PlanOp, Rgba, VariableType } from '../../../shared/sheet/model';
import { planSync } from '../../../shared/plan/plan';
import { applyPlanToFileState } from '../../../shared/plan/plan-apply';
import { isAliasValue } from '../../../shared/sheet/value-equality';
import { EMPTY_FILE, figmaIds, syncedFile, variableIn } from '../../helpers/plan-fixtures';

// ---------------------------------------------------------------------------------------------
// Random sheets, shaped like the mapper's output: unique tab ids and names, unique row names per
// tab, every mode filled, aliases only to rows of the same type defined earlier (so never a cycle).

const TYPES: VariableType[] = ['COLOR', 'FLOAT', 'STRING', 'BOOLEAN'];
/** A small pool, so two random sheets share names and rows often. */
const NAMES = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9'];
const MODES = ['Light', 'Dark', 'Hi', 'Lo'];

const channel = fc.integer({ min: 0, max: 255 }).map((n) => n / 255);
const slot = fc.record({
  color: fc.record({ r: channel, g: channel, b: channel, a: channel }),
  float: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ min: -1000, max: 1000, noNaN: true })),
  str: fc.string({ maxLength: 4 }),
  bool: fc.boolean(),
  alias: fc.option(fc.nat(), { freq: 3 }),
});
const rowDraft = fc.record({ name: fc.constantFrom(...NAMES), type: fc.constantFrom(...TYPES), gap: fc.nat(2), slots: fc.array(slot, { minLength: 3, maxLength: 3 }) });
const tabDraft = fc.record({
  tabId: fc.integer({ min: 1, max: 4 }),
  renamed: fc.boolean(),
  modes: fc.uniqueArray(fc.constantFrom(...MODES), { minLength: 1, maxLength: 3 }),
  columnShift: fc.nat(2),
  rows: fc.uniqueArray(rowDraft, { selector: (r) => r.name, maxLength: 8 }),
});
interface TabDraft {
  tabId: number;
  renamed: boolean;
  modes: string[];
  columnShift: number;
  rows: { name: string; type: VariableType; gap: number; slots: { color: Rgba; float: number; str: string; bool: boolean; alias: number | null }[] }[];
}

function sheetFrom(drafts: TabDraft[]): MappedCollection[] {
  const earlier: Record<VariableType, { tab: string; name: string }[]> = { COLOR: [], FLOAT: [], STRING: [], BOOLEAN: [] };
  return drafts.map((d) => {
    const name = `Tab ${d.tabId}${d.renamed ? ' (renamed)' : ''}`;
    const modes = d.modes.map((m, i) => ({ name: m, column: 2 + d.columnShift + i }));
    let row = 1;
    const variables = d.rows.map((r) => {
      row += 1 + r.gap;
      const valuesByMode: Record<string, MappedValue> = {};
      const valueColumns: Record<string, number> = {};
      modes.forEach((m, i) => {
        const s = r.slots[i]!;
        const targets = earlier[r.type];
        const plain = r.type === 'COLOR' ? s.color : r.type === 'FLOAT' ? s.float : r.type === 'STRING' ? s.str : s.bool;
        valuesByMode[m.name] = s.alias !== null && targets.length > 0 ? { alias: { collection: targets[s.alias % targets.length]!.tab, name: targets[s.alias % targets.length]!.name } } : plain;
        valueColumns[m.name] = m.column;
      });
      return { name: r.name, type: r.type, valuesByMode, description: '', hidden: false, codeSyntax: {}, row, valueColumns };
    });
    for (const v of variables) earlier[v.type].push({ tab: name, name: v.name });
    return { tabId: d.tabId, name, modes, variables, nameColumn: 1 };
  });
}

const sheetArb: fc.Arbitrary<MappedCollection[]> = fc.uniqueArray(tabDraft, { selector: (t) => t.tabId, minLength: 1, maxLength: 3 }).map(sheetFrom);

// ---------------------------------------------------------------------------------------------
// What Figma enforces, checked after every single op of a plan.

function refsOf(op: PlanOp): string[] {
  switch (op.op) {
    case 'createCollection':
      return [];
    case 'renameCollection':
    case 'addMode':
      return [op.collection];
    case 'renameMode':
    case 'removeMode':
      return [op.collection, op.mode];
    case 'setCollectionOrigin':
      return [op.collection, ...Object.keys(op.modeColumns)];
    case 'createVariable':
      return [op.collection];
    case 'setValue':
      return [op.variable, op.mode];
    case 'setAlias':
      return [op.variable, op.mode, op.target];
    default:
      return [op.variable];
  }
}

function exists(state: FileState, id: string): boolean {
  return state.collections.some((c) => c.id === id || c.modes.some((m) => m.modeId === id)) || state.variables.some((v) => v.id === id);
}

function aliasCycle(state: FileState): boolean {
  const edges = new Map<string, string[]>();
  for (const v of state.variables) {
    edges.set(
      v.id,
      Object.values(v.valuesByMode).flatMap((x) => (typeof x === 'object' && 'type' in x ? [x.id] : [])),
    );
  }
  const done = new Set<string>();
  const inside = new Set<string>();
  const visit = (id: string): boolean => {
    if (inside.has(id)) return true;
    if (done.has(id)) return false;
    inside.add(id);
    const cyclic = (edges.get(id) ?? []).some(visit);
    inside.delete(id);
    done.add(id);
    return cyclic;
  };
  return [...edges.keys()].some(visit);
}

/** Runs the plan one op at a time, failing on anything Figma would refuse; returns the end state. */
function runLikeFigma(file: FileState, plan: Plan, ids: (ref: string) => string): FileState {
  let state = file;
  for (const op of plan.ops) {
    for (const ref of refsOf(op)) {
      const id = ref.startsWith('new:') ? ids(ref) : ref;
      if (!exists(state, id)) throw new Error(`${op.op} uses ${ref} before it exists`);
    }
    state = applyPlanToFileState(state, { ops: [op] }, ids);
    if (op.op === 'renameVariable' || op.op === 'createVariable') {
      const seen = new Set<string>();
      for (const v of state.variables) {
        const key = `${v.collectionId}\u0000${v.name}`;
        if (seen.has(key)) throw new Error(`${op.op} makes two variables named ${v.name}`);
        seen.add(key);
      }
    }
    if (op.op === 'setAlias') {
      const source = state.variables.find((v) => v.id === ids(op.variable) || v.id === op.variable)!;
      const target = state.variables.find((v) => v.id === ids(op.target) || v.id === op.target)!;
      if (source.resolvedType !== target.resolvedType) throw new Error(`setAlias from ${source.resolvedType} to ${target.resolvedType}`);
      if (aliasCycle(state)) throw new Error(`setAlias ${source.name} → ${target.name} closes an alias cycle`);
    }
  }
  return state;
}

const rowCount = (sheet: MappedCollection[]) => sheet.reduce((n, t) => n + t.variables.length, 0);

// ---------------------------------------------------------------------------------------------

describe('plan properties', () => {
  test('a sheet planned into an empty file, applied and planned again gives no ops', () => {
    fc.assert(
      fc.property(sheetArb, (sheet) => {
        const ids = figmaIds();
        const first = planSync(sheet, EMPTY_FILE);
        expect(first.counts).toEqual({ created: rowCount(sheet), updated: 0, unchanged: 0 });
        const file = runLikeFigma(EMPTY_FILE, first, ids);
        expect(planSync(sheet, file)).toEqual({ ops: [], orphans: [], problems: [], counts: { created: 0, updated: 0, unchanged: rowCount(sheet) }, adoptions: [] });
      }),
    );
  });

  test('from any synced sheet to any other, one plan runs without a Figma refusal, deletes nothing and converges', () => {
    fc.assert(
      fc.property(sheetArb, sheetArb, (before, after) => {
        const file = syncedFile(before);
        const plan = planSync(after, file);
        const applied = runLikeFigma(file, plan, figmaIds());
        const again = planSync(after, applied);
        expect(again.ops).toEqual([]);
        expect(again.orphans).toEqual(plan.orphans);
        // Only a row whose type changed is refused, and aliases to such a row with it.
        const codes = new Set(plan.problems.map((p) => p.code));
        expect([...codes].filter((c) => c !== 'TYPE_CHANGED' && c !== 'ALIAS_UNRESOLVED')).toEqual([]);
        if (codes.has('ALIAS_UNRESOLVED')) expect(codes.has('TYPE_CHANGED')).toBe(true);
        const kept = new Set(applied.variables.map((v) => v.id));
        expect(file.variables.filter((v) => !kept.has(v.id))).toEqual([]);
      }),
    );
  });

  test('renaming rows in place renames their variables (same ids) instead of creating new ones and orphaning the old', () => {
    fc.assert(
      fc.property(sheetArb, fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), (sheet, pick) => {
        const file = syncedFile(sheet);
        let k = 0;
        const renamedNames = new Map<string, string>(); // "tab\0old" → new
        for (const t of sheet) for (const v of t.variables) if (pick[k++ % pick.length]) renamedNames.set(`${t.name}\u0000${v.name}`, `renamed/${v.name}`);
        const rename = (tab: string, name: string) => renamedNames.get(`${tab}\u0000${name}`) ?? name;
        const renamed: MappedCollection[] = sheet.map((t) => ({
          ...t,
          variables: t.variables.map((v) => ({
            ...v,
            name: rename(t.name, v.name),
            valuesByMode: Object.fromEntries(
              Object.entries(v.valuesByMode).map(([m, x]) => [m, isAliasValue(x) ? { alias: { collection: x.alias.collection, name: rename(x.alias.collection, x.alias.name) } } : x]),
            ),
          })),
        }));
        const plan = planSync(renamed, file);
        expect(plan.ops.filter((o) => o.op === 'renameVariable')).toHaveLength(renamedNames.size);
        expect(plan.ops.filter((o) => o.op === 'createVariable')).toEqual([]);
        expect(plan.orphans).toEqual([]);
        const applied = runLikeFigma(file, plan, figmaIds());
        for (const t of sheet) {
          for (const v of t.variables) expect(variableIn(applied, t.tabId, rename(t.name, v.name)).id).toBe(variableIn(file, t.tabId, v.name).id);
        }
        expect(planSync(renamed, applied).ops).toEqual([]);
      }),
    );
  });

  test('names shuffled among variables in Figma are put back by renames alone, through chains and cycles, without a clash', () => {
    fc.assert(
      fc.property(sheetArb, fc.array(fc.nat(), { minLength: 10, maxLength: 10 }), (sheet, order) => {
        const file = syncedFile(sheet);
        // Figma-side renames: within each collection the variables trade names (a permutation).
        const byCollection = new Map<string, string[]>();
        for (const v of file.variables) byCollection.set(v.collectionId, [...(byCollection.get(v.collectionId) ?? []), v.id]);
        const newName = new Map<string, string>();
        for (const ids of byCollection.values()) {
          const names = ids.map((id) => file.variables.find((v) => v.id === id)!.name);
          const shuffled = names.map((n, i) => ({ n, k: order[i % order.length]! + i / 100 })).sort((x, y) => x.k - y.k);
          ids.forEach((id, i) => newName.set(id, shuffled[i]!.n));
        }
        const drifted: FileState = { ...file, variables: file.variables.map((v) => ({ ...v, name: newName.get(v.id)! })) };
        const moved = drifted.variables.filter((v, i) => v.name !== file.variables[i]!.name).length;
        const plan = planSync(sheet, drifted);
        expect(plan.ops.every((o) => o.op === 'renameVariable')).toBe(true);
        expect(plan.ops.length).toBeGreaterThanOrEqual(moved);
        expect(plan.counts).toEqual({ created: 0, updated: moved, unchanged: rowCount(sheet) - moved });
        const applied = runLikeFigma(drifted, plan, figmaIds());
        expect(applied).toEqual(file);
      }),
    );
  });

  test('changing one value cell gives exactly one write, at that cell', () => {
    const withRows = sheetArb.filter((s) => rowCount(s) > 0);
    fc.assert(
      fc.property(withRows, fc.nat(), fc.nat(), (sheet, rowPick, modePick) => {
        const file = syncedFile(sheet);
        const rows = sheet.flatMap((t) => t.variables.map((v) => ({ t, v })));
        const { t, v } = rows[rowPick % rows.length]!;
        const mode = t.modes[modePick % t.modes.length]!;
        const old = v.valuesByMode[mode.name]!;
        const changed: Rgba | number | string | boolean =
          v.type === 'COLOR'
            ? isAliasValue(old)
              ? { r: 0.5, g: 0.5, b: 0.5, a: 1 }
              : { ...(old as Rgba), r: (old as Rgba).r > 0.5 ? (old as Rgba).r - 0.25 : (old as Rgba).r + 0.25 }
            : v.type === 'FLOAT'
              ? isAliasValue(old)
                ? 42
                : (old as number) + 1
              : v.type === 'STRING'
                ? isAliasValue(old)
                  ? 'x'
                  : `${old as string}x`
                : isAliasValue(old)
                  ? true
                  : !(old as boolean);
        const edited = sheet.map((tab) =>
          tab !== t ? tab : { ...tab, variables: tab.variables.map((x) => (x !== v ? x : { ...x, valuesByMode: { ...x.valuesByMode, [mode.name]: changed } })) },
        );
        const plan = planSync(edited, file);
        const id = variableIn(file, t.tabId, v.name).id;
        const modeId = file.collections.find((c) => c.origin?.tabId === t.tabId)!.modes.find((m) => m.name === mode.name)!.modeId;
        expect(plan.ops).toEqual([{ op: 'setValue', variable: id, mode: modeId, value: changed, cell: { tab: t.name, cell: `${String.fromCharCode(64 + mode.column)}${v.row}` } }]);
        expect(plan.counts).toEqual({ created: 0, updated: 1, unchanged: rowCount(sheet) - 1 });
      }),
    );
  });
});
