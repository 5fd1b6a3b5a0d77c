// Adoption in the planner: a synced tab whose name is a local collection the sync did not create
// never gets a twin; it waits for the designer (with a preview of what adopting means), and once
// approved the collection and its variables (same ids, so every binding) become the sheet's.

import type { FileCollection, FileState, FileVariable, PlanOp } from '../../../shared/sheet/model';
import { planSync } from '../../../shared/plan/plan';
import { applyPlanToFileState } from '../../../shared/plan/plan-apply';
import { alias, figmaIds, rgba, tab } from '../../helpers/plan-fixtures';

const BLUE = rgba(0, 0.4, 1);
const RED = rgba(1, 0, 0);

function handMadeCollection(id: string, name: string, modes: string[]): FileCollection {
  return { id, name, remote: false, modes: modes.map((m, i) => ({ modeId: `${id}/m${i}`, name: m })), defaultModeId: `${id}/m0` };
}

function variable(id: string, collection: FileCollection, name: string, type: string, values: unknown[]): FileVariable {
  const valuesByMode: FileVariable['valuesByMode'] = {};
  collection.modes.forEach((m, i) => (valuesByMode[m.modeId] = values[i] as never));
  return { id, name, collectionId: collection.id, resolvedType: type, valuesByMode, description: '', hidden: false, scopes: ['ALL_SCOPES'], codeSyntax: {}, remote: false };
}

/** "Colors" made by hand: Light and Dark (and a Figma-only mode, Print), three variables. */
function handMadeFile(): FileState {
  const c = handMadeCollection('C1', 'Colors', ['Light', 'Dark', 'Print']);
  return {
    collections: [c],
    variables: [
      variable('V1', c, 'color/bg', 'COLOR', [BLUE, RED, BLUE]),
      variable('V2', c, 'radius/md', 'FLOAT', [8, 8, 8]),
      variable('V3', c, 'legacy/only-in-figma', 'COLOR', [RED, RED, RED]),
    ],
  };
}

/** The sheet's Colors: Light and Dark and High contrast; bg changes in Dark, radius is a colour row, fg is new. */
const sheet = () =>
  tab(7, 'Colors', ['Light', 'Dark', 'High contrast'], [
    { name: 'color/bg', type: 'COLOR', values: [BLUE, BLUE, RED] },
    { name: 'radius/md', type: 'COLOR', values: [RED, RED, RED] },
    { name: 'color/fg', type: 'COLOR', values: [alias('Colors', 'color/bg'), RED, RED] },
  ]);

const opNames = (ops: readonly PlanOp[]) => ops.map((o) => o.op);

describe('a tab named like a collection the sync did not create', () => {
  test('waits for the designer: no op, a problem on the tab, and a preview that counts what adopting means', () => {
    const plan = planSync([sheet()], handMadeFile());
    expect(plan.ops).toEqual([]);
    expect(plan.problems.map((p) => p.code)).toEqual(['ADOPTION_PENDING']);
    const [adoption] = plan.adoptions;
    expect({ ...adoption, ops: undefined, problems: undefined }).toEqual({
      tabId: 7,
      tab: 'Colors',
      collectionId: 'C1',
      approved: false,
      adopted: 1,
      created: 1,
      // bg's Dark value, and its value in the new mode High contrast.
      valuesChanged: 2,
      detailsChanged: 0,
      figmaOnly: ['legacy/only-in-figma'],
      typeDiffers: 1,
      modesAdded: ['High contrast'],
      modesKept: ['Print'],
      ops: undefined,
      problems: undefined,
    });
    expect(adoption!.problems!.map((p) => [p.code, p.cell])).toEqual([['TYPE_DIFFERS', 'B3']]);
    expect(opNames(adoption!.ops!)).toEqual(['addMode', 'setCollectionOrigin', 'createVariable', 'setOrigin', 'setValue', 'setValue', 'setValue', 'setValue', 'setAlias']);
  });

  test('once approved, the collection and its variables are adopted with their ids: marks, changed values, new mode and row; no mode removed or renamed', () => {
    const file = handMadeFile();
    const plan = planSync([sheet()], file, { adopt: new Set(['C1']) });
    expect(plan.adoptions.map((a) => [a.approved, a.adopted, a.valuesChanged, a.ops])).toEqual([[true, 1, 2, undefined]]);
    expect(plan.problems.map((p) => p.code)).toEqual(['TYPE_DIFFERS']);
    expect(opNames(plan.ops).filter((o) => o === 'removeMode' || o === 'renameMode' || o === 'renameCollection' || o === 'createCollection')).toEqual([]);
    expect(plan.ops.find((o) => o.op === 'setCollectionOrigin')).toEqual({
      op: 'setCollectionOrigin',
      collection: 'C1',
      tabId: 7,
      modeColumns: { 'C1/m0': 2, 'C1/m1': 3, 'new:mode:7:4': 4 },
      adopted: true,
      keepModes: ['C1/m2'],
    });
    expect(plan.ops.find((o) => o.op === 'setOrigin')).toEqual({ op: 'setOrigin', variable: 'V1', origin: { tabId: 7, rowName: 'color/bg', row: 2 } });

    const after = applyPlanToFileState(file, plan, figmaIds());
    expect(after.collections.filter((c) => c.name === 'Colors')).toHaveLength(1);
    expect(after.collections[0]!.modes.map((m) => m.name)).toEqual(['Light', 'Dark', 'Print', 'High contrast']);
    // Planned again: nothing left to do, and the modes and variables adoption left alone stay so.
    const again = planSync([sheet()], after);
    expect(again.ops).toEqual([]);
    expect(again.adoptions).toEqual([]);
    expect(again.orphans).toEqual([]);
    expect(again.problems.map((p) => p.code)).toEqual(['TYPE_DIFFERS']);
    expect(after.variables.find((v) => v.id === 'V3')!.origin).toBeUndefined();
    expect(after.variables.find((v) => v.id === 'V2')!.origin).toBeUndefined();
  });

  test('after adoption a column named like a kept mode takes it over, and a row named like a variable left in Figma adopts it', () => {
    const file = handMadeFile();
    const adopted = applyPlanToFileState(file, planSync([sheet()], file, { adopt: new Set(['C1']) }), figmaIds());
    const later = tab(7, 'Colors', ['Light', 'Dark', 'High contrast', 'Print'], [
      { name: 'color/bg', type: 'COLOR', values: [BLUE, BLUE, RED, BLUE] },
      { name: 'color/fg', type: 'COLOR', values: [alias('Colors', 'color/bg'), RED, RED, RED] },
      { name: 'legacy/only-in-figma', type: 'COLOR', values: [RED, RED, RED, RED] },
    ]);
    const plan = planSync([later], adopted);
    expect(plan.problems).toEqual([]);
    const origin = plan.ops.find((o) => o.op === 'setCollectionOrigin');
    expect(origin).toEqual({ op: 'setCollectionOrigin', collection: 'C1', tabId: 7, modeColumns: expect.objectContaining({ 'C1/m2': 5 }), adopted: true });
    // V3 is adopted (fg only gets its moved row recorded).
    expect(plan.ops.filter((o) => o.op === 'setOrigin').map((o) => (o as { variable: string }).variable)).toContain('V3');
    expect(plan.ops.filter((o) => o.op === 'createVariable')).toEqual([]);
    // radius/md left the sheet: it was never adopted, so it is no orphan either.
    expect(plan.orphans).toEqual([]);
  });

  test('a variable of a type the sync does not handle holding a row name is a taken name, not adopted', () => {
    const c = handMadeCollection('C1', 'Motion', ['Value']);
    const file: FileState = { collections: [c], variables: [variable('V1', c, 'ease/out', 'EASING', [{ unknown: true }])] };
    const plan = planSync([tab(3, 'Motion', ['Value'], [{ name: 'ease/out', type: 'STRING', values: ['x'] }])], file, { adopt: new Set(['C1']) });
    expect(plan.problems.map((p) => p.code)).toEqual(['NAME_TAKEN']);
    expect(plan.adoptions.map((a) => [a.adopted, a.created, a.figmaOnly])).toEqual([[0, 0, []]]);
  });

  test('a library collection of the name is never adopted: the sync makes the local one', () => {
    const library: FileCollection = { ...handMadeCollection('L1', 'Colors', ['Light']), remote: true };
    const plan = planSync([sheet()], { collections: [library], variables: [] });
    expect(plan.adoptions).toEqual([]);
    expect(plan.ops[0]).toMatchObject({ op: 'createCollection', name: 'Colors' });
  });

  test('two collections of the name the sync did not create: neither is touched and nothing is created', () => {
    const file: FileState = { collections: [handMadeCollection('C1', 'Colors', ['Light']), handMadeCollection('C2', 'Colors', ['Light'])], variables: [] };
    const plan = planSync([sheet()], file, { adopt: new Set(['C1', 'C2']) });
    expect(plan.ops).toEqual([]);
    expect(plan.adoptions).toEqual([]);
    expect(plan.problems.map((p) => [p.code, p.tab])).toEqual([['ADOPTION_AMBIGUOUS', 'Colors']]);
  });

  test('an alias from another tab into a tab waiting for adoption is reported as waiting, and the rest of that tab syncs', () => {
    const semantic = tab(8, 'Semantic', ['Value'], [
      { name: 'surface', type: 'COLOR', values: [alias('Colors', 'color/bg')] },
      { name: 'ink', type: 'COLOR', values: [RED] },
    ]);
    const plan = planSync([sheet(), semantic], handMadeFile());
    expect(plan.problems.map((p) => [p.code, p.tab, p.cell])).toEqual([
      ['ADOPTION_PENDING', 'Colors', ''],
      ['ALIAS_UNRESOLVED', 'Semantic', 'B2'],
    ]);
    expect(plan.problems[1]!.message).toContain('waits to be adopted');
    expect(plan.ops.filter((o) => o.op === 'createCollection').map((o) => (o as { name: string }).name)).toEqual(['Semantic']);
  });
});

test('a tab renamed to the name of another collection in the file keeps its collection\'s name: no twin by a rename', () => {
  const prims = tab(1, 'Primitives', ['Value'], [{ name: 'white', type: 'COLOR', values: [rgba(1, 1, 1)] }]);
  const file = applyPlanToFileState({ collections: [handMadeCollection('H1', 'Brand', ['Value'])], variables: [] }, planSync([prims], { collections: [handMadeCollection('H1', 'Brand', ['Value'])], variables: [] }), figmaIds());
  const renamed = { ...prims, name: 'Brand' };
  const plan = planSync([renamed], file);
  expect(plan.ops.filter((o) => o.op === 'renameCollection')).toEqual([]);
  expect(plan.problems.map((p) => [p.code, p.tab, p.severity])).toEqual([['COLLECTION_NAME_TAKEN', 'Brand', 'warning']]);
  expect(plan.adoptions).toEqual([]);
});

test('a tab made anew under the name of a tab that went takes over the sync\'s collection of that name, with its variables and bindings', () => {
  const old = tab(1, 'Colors', ['Value'], [{ name: 'white', type: 'COLOR', values: [rgba(1, 1, 1)] }]);
  const file = applyPlanToFileState({ collections: [], variables: [] }, planSync([old], { collections: [], variables: [] }), figmaIds());
  const anew = tab(9, 'Colors', ['Value'], [{ name: 'white', type: 'COLOR', values: [rgba(1, 1, 1)] }]);
  const plan = planSync([anew], file);
  expect(plan.ops.map((o) => o.op)).toEqual(['setCollectionOrigin', 'setOrigin']);
  expect(plan.orphans).toEqual([]);
  const after = applyPlanToFileState(file, plan);
  expect(after.collections.map((c) => [c.name, c.origin?.tabId])).toEqual([['Colors', 9]]);
  expect(after.variables.map((v) => [v.id, v.origin?.tabId])).toEqual([[file.variables[0]!.id, 9]]);
});
