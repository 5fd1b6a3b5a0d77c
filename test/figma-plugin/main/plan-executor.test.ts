// The executor on hand-built plans against the counting fake: refs, chunking, and each refusal.

import { FileMirror } from '../../../figma-plugin/main/file-state';
import { modeLimitMessage } from '../../../figma-plugin/main/figma-refusals';
import { executePlan } from '../../../figma-plugin/main/plan-executor';
import { NAMESPACE, SHARED_KEYS } from '../../../figma-plugin/main/plugin-data';
import type { FileState, PlanOp } from '../../../shared/sheet/model';
import { createFakeFigma, type FakeFigmaOptions } from '../../fakes/figma/fake-figma';
import { FAKE_ERRORS } from '../../fakes/figma/fake-variables';

async function setup(options: FakeFigmaOptions = {}) {
  const fake = createFakeFigma(options);
  let mirror = await FileMirror.load(fake.variables);
  return {
    fake,
    get mirror() {
      return mirror;
    },
    async reload() {
      mirror = await FileMirror.load(fake.variables);
    },
    run(ops: PlanOp[], chunkBudgetMs?: number) {
      const plan = { ops, orphans: [], problems: [], counts: { created: 0, updated: 0, unchanged: 0 }, adoptions: [] };
      return executePlan(plan, mirror, fake.variables, { scheduler: fake.scheduler, ...(chunkBudgetMs !== undefined ? { chunkBudgetMs } : {}) });
    },
  };
}

const cell = (c: string) => ({ tab: 'Theme', cell: c });
const origin = (row: number, rowName: string) => ({ tabId: 3, rowName, row });
const collectionOps = (): PlanOp[] => [
  { op: 'createCollection', ref: 'new:c', tabId: 3, name: 'Theme', defaultMode: { ref: 'new:m1', name: 'Light', column: 2 } },
  { op: 'addMode', collection: 'new:c', ref: 'new:m2', name: 'Dark', column: 3 },
];
const createOp = (ref: string, name: string, row: number, type: 'COLOR' | 'FLOAT' | 'STRING' | 'BOOLEAN' = 'FLOAT'): PlanOp => ({
  op: 'createVariable',
  ref,
  collection: 'new:c',
  name,
  type,
  origin: origin(row, name),
  cell: cell(`A${row}`),
});

/** A FileState with its arrays in id order, for comparing a mirror with a fresh read. */
function normalized(state: FileState): FileState {
  const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
  return { collections: byId(state.collections), variables: byId(state.variables) };
}

describe('executing a plan', () => {
  test('creates what "new:" refs name and points later ops at the ids Figma gave', async () => {
    const s = await setup();
    const result = await s.run([
      ...collectionOps(),
      { op: 'setCollectionOrigin', collection: 'new:c', tabId: 3, modeColumns: { 'new:m1': 2, 'new:m2': 3 } },
      createOp('new:a', 'size/a', 2),
      createOp('new:b', 'size/b', 3),
      { op: 'setValue', variable: 'new:a', mode: 'new:m1', value: 4, cell: cell('B2') },
      { op: 'setValue', variable: 'new:a', mode: 'new:m2', value: 5, cell: cell('C2') },
      { op: 'setAlias', variable: 'new:b', mode: 'new:m1', target: 'new:a', cell: cell('B3') },
      { op: 'setDescription', variable: 'new:a', description: 'Small' },
      { op: 'setScopes', variable: 'new:a', scopes: ['GAP', 'WIDTH_HEIGHT'] },
      { op: 'setHidden', variable: 'new:b', hidden: true },
      { op: 'setCodeSyntax', variable: 'new:a', platform: 'WEB', value: 'var(--size-a)' },
    ]);
    expect(result).toEqual({ problems: [], applied: 13, skipped: 0, refused: 0, notCreated: 0, stale: false, drifted: false, chunkMs: [expect.any(Number)] });
    const collection = s.fake.collectionNamed('Theme')!;
    const [light, dark] = collection.modesRaw();
    expect([light!.name, dark!.name]).toEqual(['Light', 'Dark']);
    expect(JSON.parse(collection.sharedPluginDataRaw(NAMESPACE, SHARED_KEYS.origin))).toEqual({ tabId: 3, modeColumns: { [light!.modeId]: 2, [dark!.modeId]: 3 } });
    const a = s.fake.variableNamed('Theme', 'size/a')!;
    const b = s.fake.variableNamed('Theme', 'size/b')!;
    expect([a.valueRaw(light!.modeId), a.valueRaw(dark!.modeId)]).toEqual([4, 5]);
    expect(b.valueRaw(light!.modeId)).toEqual({ type: 'VARIABLE_ALIAS', id: a.id });
    expect([a.descriptionRaw, a.scopesRaw, a.codeSyntaxRaw, b.hiddenRaw]).toEqual(['Small', ['GAP', 'WIDTH_HEIGHT'], { WEB: 'var(--size-a)' }, true]);
    expect(JSON.parse(b.sharedPluginDataRaw(NAMESPACE, SHARED_KEYS.origin))).toEqual(origin(3, 'size/b'));
  });

  test('ops that repeat what the file already holds write nothing', async () => {
    const s = await setup();
    await s.run([...collectionOps(), createOp('new:a', 'size/a', 2)]);
    const a = s.fake.variableNamed('Theme', 'size/a')!;
    const [light] = s.fake.collectionNamed('Theme')!.modesRaw();
    await s.run([{ op: 'setValue', variable: a.id, mode: light!.modeId, value: 4, cell: cell('B2') }]);
    s.fake.log.reset();
    const result = await s.run([
      { op: 'setValue', variable: a.id, mode: light!.modeId, value: 4, cell: cell('B2') },
      { op: 'renameVariable', variable: a.id, name: 'size/a', cell: cell('A2') },
      { op: 'setDescription', variable: a.id, description: '' },
      { op: 'setScopes', variable: a.id, scopes: ['ALL_SCOPES'] },
      { op: 'setHidden', variable: a.id, hidden: false },
      { op: 'setCodeSyntax', variable: a.id, platform: 'iOS', value: null },
      { op: 'setOrigin', variable: a.id, origin: origin(2, 'size/a') },
    ]);
    expect(result.skipped).toBe(7);
    expect(s.fake.log.byName('write')).toEqual({});
  });

  test('after running, the mirror is what a fresh read of the file gives', async () => {
    const s = await setup();
    await s.run([
      ...collectionOps(),
      { op: 'addMode', collection: 'new:c', ref: 'new:m3', name: 'Contrast', column: 4 },
      createOp('new:a', 'color/a', 2, 'COLOR'),
      createOp('new:b', 'color/b', 3, 'COLOR'),
      { op: 'setValue', variable: 'new:a', mode: 'new:m1', value: { r: 0.1, g: 0.2, b: 0.3, a: 0.4 }, cell: cell('B2') },
      { op: 'setAlias', variable: 'new:b', mode: 'new:m2', target: 'new:a', cell: cell('C3') },
      { op: 'setCodeSyntax', variable: 'new:b', platform: 'ANDROID', value: 'colorB' },
      { op: 'setCollectionOrigin', collection: 'new:c', tabId: 3, modeColumns: { 'new:m1': 2, 'new:m2': 3, 'new:m3': 4 } },
    ]);
    const collection = s.fake.collectionNamed('Theme')!;
    const [light, , contrast] = collection.modesRaw();
    const b = s.fake.variableNamed('Theme', 'color/b')!;
    await s.run([
      { op: 'removeMode', collection: collection.id, mode: light!.modeId },
      { op: 'renameMode', collection: collection.id, mode: contrast!.modeId, name: 'High contrast' },
      { op: 'renameVariable', variable: b.id, name: 'color/c', cell: cell('A3') },
      { op: 'setOrigin', variable: b.id, origin: origin(3, 'color/c') },
      { op: 'renameCollection', collection: collection.id, name: 'Theme 2' },
      // A mode added after its variables exist: Figma gives them values in it.
      { op: 'addMode', collection: collection.id, ref: 'new:m4', name: 'Print', column: 5 },
    ]);
    const mirrored = normalized(s.mirror.state());
    await s.reload();
    expect(mirrored).toEqual(normalized(s.mirror.state()));
  });
});

describe('chunking', () => {
  const longPlan = (n: number): PlanOp[] => {
    const ops: PlanOp[] = [...collectionOps()];
    for (let i = 0; i < n; i++) {
      ops.push(createOp(`new:v${i}`, `size/${i}`, i + 2));
      ops.push({ op: 'setValue', variable: `new:v${i}`, mode: 'new:m1', value: i + 1, cell: cell(`B${i + 2}`) });
    }
    return ops;
  };

  test('a plan that fits in one chunk never yields', async () => {
    const s = await setup();
    const result = await s.run(longPlan(5), 50);
    expect(s.fake.yields).toBe(0);
    expect(result.chunkMs).toHaveLength(1);
  });

  test('a long plan yields several times, and no chunk runs past its budget by more than one op', async () => {
    const s = await setup({ trace: true });
    const result = await s.run(longPlan(300), 10);
    expect(s.fake.yields).toBeGreaterThanOrEqual(20);
    expect(result.chunkMs).toHaveLength(s.fake.yields + 1);
    // The costliest op here is createVariable + setPluginData + one read: well under 1 ms.
    expect(Math.max(...result.chunkMs)).toBeLessThan(10 + 1);
    expect(result.chunkMs.slice(0, -1).every((ms) => ms >= 10)).toBe(true);
    expect(s.fake.variablesIn('Theme')).toHaveLength(300);
    const trace = s.fake.log.trace!;
    expect(trace.filter((t) => t === 'yield')).toHaveLength(s.fake.yields);
    expect(trace.some((t, i) => t === 'yield' && trace[i + 1] === 'yield')).toBe(false);
  });
});

describe("Figma's refusals become problems, never exceptions", () => {
  test('a name another variable has is reported at the row, and the row\'s later ops are skipped silently', async () => {
    const s = await setup();
    await s.run([...collectionOps(), createOp('new:a', 'size/a', 2)]);
    s.fake.log.reset();
    const result = await s.run([
      { op: 'createVariable', ref: 'new:dup', collection: s.fake.collectionNamed('Theme')!.id, name: 'size/a', type: 'FLOAT', origin: origin(3, 'size/a'), cell: cell('A3') },
      { op: 'setValue', variable: 'new:dup', mode: s.fake.collectionNamed('Theme')!.defaultModeRaw, value: 1, cell: cell('B3') },
    ]);
    expect(result.problems).toEqual([
      {
        tab: 'Theme',
        cell: 'A3',
        severity: 'error',
        code: 'FIGMA_NAME_TAKEN',
        message: `Creating "size/a": Figma refused (${FAKE_ERRORS.duplicateName('createVariable')}). Another variable in this collection already has the name: rename this row or the other variable.`,
      },
    ]);
    expect(result).toMatchObject({ applied: 0, skipped: 1, refused: 1, notCreated: 1, stale: false });
    expect(s.fake.log.count('Variable.setValueForMode')).toBe(0);
  });

  test('a name Figma refuses is reported at the row', async () => {
    const s = await setup();
    const result = await s.run([...collectionOps(), createOp('new:a', 'size.a', 2)]);
    expect(result.problems).toEqual([
      {
        tab: 'Theme',
        cell: 'A2',
        severity: 'error',
        code: 'FIGMA_NAME_INVALID',
        message: `Creating "size.a": Figma refused (${FAKE_ERRORS.invalidName('createVariable')}). Use "/" for groups and avoid ".", "{" and "}".`,
      },
    ]);
  });

  test('a mode past the plan limit is reported at its header cell with Figma\'s N, and its values are skipped', async () => {
    const s = await setup({ modeLimit: 1 });
    const result = await s.run([
      ...collectionOps(),
      createOp('new:a', 'size/a', 2),
      { op: 'setValue', variable: 'new:a', mode: 'new:m1', value: 1, cell: cell('B2') },
      { op: 'setValue', variable: 'new:a', mode: 'new:m2', value: 2, cell: cell('C2') },
    ]);
    expect(result.problems).toEqual([{ tab: 'Theme', cell: 'C1', severity: 'error', code: 'FIGMA_MODE_LIMIT', message: modeLimitMessage(1, 'Dark') }]);
    expect(result.modeLimit).toBe(1);
    expect(s.fake.log.count('Variable.setValueForMode')).toBe(1);
  });

  test('a file over its plan\'s mode limit reports each mode Figma will not write once, at its header cell', async () => {
    const s = await setup();
    await s.run([
      ...collectionOps(),
      { op: 'addMode', collection: 'new:c', ref: 'new:m3', name: 'Contrast', column: 4 },
      { op: 'setCollectionOrigin', collection: 'new:c', tabId: 3, modeColumns: { 'new:m1': 2, 'new:m2': 3, 'new:m3': 4 } },
      createOp('new:a', 'size/a', 2),
      createOp('new:b', 'size/b', 3),
    ]);
    s.fake.file.modeLimit = 2; // the file moved to a plan with fewer modes
    const [, dark] = s.fake.collectionNamed('Theme')!.modesRaw();
    const a = s.fake.variableNamed('Theme', 'size/a')!.id;
    const b = s.fake.variableNamed('Theme', 'size/b')!.id;
    const result = await s.run([
      { op: 'setValue', variable: a, mode: dark!.modeId, value: 7, cell: cell('C2') },
      { op: 'setValue', variable: b, mode: dark!.modeId, value: 8, cell: cell('C3') },
    ]);
    expect(result.problems).toEqual([{ tab: 'Theme', cell: 'C1', severity: 'error', code: 'FIGMA_MODE_LIMIT', message: modeLimitMessage(2, 'Dark') }]);
  });

  test('a library variable is reported as read-only and never written', async () => {
    const s = await setup();
    const library = s.fake.variables.importLibraryVariable('Brand', 'brand/blue', 'COLOR');
    const modeId = Object.keys(library.valuesByMode)[0]!;
    s.mirror.addVariable(library, {
      id: library.id,
      name: 'brand/blue',
      collectionId: library.collectionIdRaw,
      resolvedType: 'COLOR',
      valuesByMode: {},
      description: '',
      hidden: false,
      scopes: ['ALL_SCOPES'],
      codeSyntax: {},
      remote: true,
    });
    s.fake.log.reset();
    const result = await s.run([{ op: 'setValue', variable: library.id, mode: modeId, value: { r: 1, g: 0, b: 0, a: 1 }, cell: { tab: 'Brand', cell: 'B2' } }]);
    expect(result.problems).toEqual([
      { tab: 'Brand', cell: 'B2', severity: 'error', code: 'FIGMA_LIBRARY_VARIABLE', message: '"brand/blue" is a library variable and read-only here; edit it in its library file.' },
    ]);
    expect(s.fake.log.total('write')).toBe(0);
  });

  test('a collection deleted in Figma since the file was read is reported, and the mirror is marked stale', async () => {
    const s = await setup();
    await s.run(collectionOps());
    const collection = s.fake.collectionNamed('Theme')!;
    collection.remove();
    const result = await s.run([
      { op: 'createVariable', ref: 'new:x', collection: collection.id, name: 'size/x', type: 'FLOAT', origin: origin(2, 'size/x'), cell: cell('A2') },
    ]);
    expect(result.problems).toEqual([
      { tab: 'Theme', cell: '', severity: 'error', code: 'FIGMA_COLLECTION_GONE', message: 'The collection "Theme" was deleted in Figma while syncing; the next sync creates it again.' },
    ]);
    expect(result).toMatchObject({ stale: true, notCreated: 1 });
    expect(s.mirror.collection(collection.id)).toBeUndefined();
  });

  test('a variable deleted in Figma since the file was read is reported at its cell, and the mirror is marked stale', async () => {
    const s = await setup();
    await s.run([...collectionOps(), createOp('new:a', 'size/a', 2)]);
    const a = s.fake.variableNamed('Theme', 'size/a')!;
    const modeId = s.fake.collectionNamed('Theme')!.defaultModeRaw;
    a.remove();
    const result = await s.run([{ op: 'setValue', variable: a.id, mode: modeId, value: 3, cell: cell('B2') }]);
    expect(result.problems).toEqual([
      { tab: 'Theme', cell: 'B2', severity: 'error', code: 'FIGMA_VARIABLE_GONE', message: 'The variable "size/a" was deleted in Figma while syncing; the next sync creates it again.' },
    ]);
    expect(result.stale).toBe(true);
    expect(s.mirror.variable(a.id)).toBeUndefined();
  });

  test('an alias that would close a cycle is refused at its cell', async () => {
    const s = await setup();
    const result = await s.run([
      ...collectionOps(),
      createOp('new:a', 'size/a', 2),
      createOp('new:b', 'size/b', 3),
      { op: 'setAlias', variable: 'new:a', mode: 'new:m1', target: 'new:b', cell: cell('B2') },
      { op: 'setAlias', variable: 'new:b', mode: 'new:m2', target: 'new:a', cell: cell('C3') },
    ]);
    expect(result.problems).toEqual([
      { tab: 'Theme', cell: 'C3', severity: 'error', code: 'FIGMA_REFUSED', message: `Updating "size/b" (setAlias): Figma refused (${FAKE_ERRORS.aliasCycle()}).` },
    ]);
  });

  test('an alias to a variable of another type is refused at its cell', async () => {
    const s = await setup();
    const result = await s.run([
      ...collectionOps(),
      createOp('new:a', 'size/a', 2),
      createOp('new:c', 'color/c', 3, 'COLOR'),
      { op: 'setAlias', variable: 'new:c', mode: 'new:m1', target: 'new:a', cell: cell('B3') },
    ]);
    expect(result.problems).toEqual([
      { tab: 'Theme', cell: 'B3', severity: 'error', code: 'FIGMA_REFUSED', message: `Updating "color/c" (setAlias): Figma refused (${FAKE_ERRORS.typeMismatch('COLOR', 'FLOAT')}).` },
    ]);
  });

  test('a collection holding 5,000 variables refuses one more, reported at the row', async () => {
    const s = await setup();
    await s.run(collectionOps());
    const collection = s.fake.collectionNamed('Theme')!;
    for (let i = 0; i < 5000; i++) s.fake.variables.createVariable(`v/${i}`, collection, 'BOOLEAN');
    await s.reload();
    const result = await s.run([
      { op: 'createVariable', ref: 'new:x', collection: collection.id, name: 'v/extra', type: 'BOOLEAN', origin: origin(5002, 'v/extra'), cell: cell('A5002') },
    ]);
    expect(result.problems).toEqual([
      {
        tab: 'Theme',
        cell: 'A5002',
        severity: 'error',
        code: 'FIGMA_VARIABLE_LIMIT',
        message: `Creating "v/extra": Figma refused (${FAKE_ERRORS.variableLimit(5000)}). Split this tab: Figma allows 5,000 variables per collection.`,
      },
    ]);
  });
});
