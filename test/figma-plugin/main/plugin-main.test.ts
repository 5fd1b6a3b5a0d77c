// The main thread end to end: UI messages in, figma.variables calls (counted by the fake) and UI
// messages out, with the real mapper and planner in between.

import { modeLimitMessage } from '../../../figma-plugin/main/figma-refusals';
import { KEYS, NAMESPACE, SHARED_KEYS } from '../../../figma-plugin/main/plugin-data';
import { startPlugin } from '../../../figma-plugin/main/plugin-main';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import { gridText } from '../../../shared/protocol/grid-text';
import type { Grid } from '../../../shared/protocol/grid';
import { nameTakenProblem } from '../../../shared/plan/plan-problems';
import { FakeClientStorage } from '../../fakes/figma/fake-client-storage';
import { createFakeFigma } from '../../fakes/figma/fake-figma';
import { grid, startHarness, tab, type Harness } from '../../fakes/figma/plugin-harness';

/**
 * Mapping and planning cost no virtual time unless a test says so (see slowSharedCode): the real
 * functions run, after advancing the fake's clock by the cost given.
 */
const mockSharedCodeCost: { clock: { advance(ms: number): void } | undefined; mappingMs: number; planningMs: number; mappings: number; plans: number } = {
  clock: undefined,
  mappingMs: 0,
  planningMs: 0,
  mappings: 0,
  plans: 0,
};
jest.mock('../../../shared/sheet/mapper', () => {
  const real = jest.requireActual<typeof import('../../../shared/sheet/mapper')>('../../../shared/sheet/mapper');
  return {
    ...real,
    mapGrid: (g: Grid) => {
      mockSharedCodeCost.mappings++;
      mockSharedCodeCost.clock?.advance(mockSharedCodeCost.mappingMs);
      return real.mapGrid(g);
    },
  };
});
jest.mock('../../../shared/plan/plan', () => {
  const real = jest.requireActual<typeof import('../../../shared/plan/plan')>('../../../shared/plan/plan');
  return {
    ...real,
    planSync: (...args: Parameters<typeof real.planSync>) => {
      mockSharedCodeCost.plans++;
      mockSharedCodeCost.clock?.advance(mockSharedCodeCost.planningMs);
      return real.planSync(...args);
    },
  };
});

const rgb = (hex: string) => {
  const n = parseInt(hex.slice(1), 16);
  return { r: Math.fround(((n >> 16) & 255) / 255), g: Math.fround(((n >> 8) & 255) / 255), b: Math.fround((n & 255) / 255), a: 1 };
};

const colors = (rows: (string | number)[][]) => tab(1, 'Colors', [['Name', 'Light', 'Dark'], ...rows]);
const BASE = grid(
  colors([
    ['color/brand', '#0055ff', '#3377ff'],
    ['color/text', '#111111', '#eeeeee'],
  ]),
  tab(2, 'Spacing', [
    ['Name', 'Value'],
    ['space/1', 4],
    ['space/2', 8],
  ]),
);

describe('applying a snapshot to an empty file', () => {
  test('creates one collection per tab, renames its first mode, and writes one create per variable and one value per cell', async () => {
    const h = await startHarness();
    const applied = await h.apply(BASE);
    expect(applied).toEqual({
      type: 'applied',
      position: { epoch: 'e1', seq: 1 },
      counts: { created: 4, updated: 0, unchanged: 0 },
      problems: [],
      orphans: [],
      durationMs: expect.any(Number),
    });
    expect(h.fake.log.byName('write')).toEqual({
      'variables.createVariableCollection': 2,
      'VariableCollection.renameMode': 2,
      'VariableCollection.addMode': 1,
      'VariableCollection.setSharedPluginData': 2,
      'variables.createVariable': 4,
      'Variable.setSharedPluginData': 4,
      'Variable.setValueForMode': 6,
      'root.setSharedPluginData': 1,
    });
    const collection = h.fake.collectionNamed('Colors')!;
    const [light, dark] = collection.modesRaw();
    expect(collection.modesRaw().map((m) => m.name)).toEqual(['Light', 'Dark']);
    const brand = h.fake.variableNamed('Colors', 'color/brand')!;
    expect(brand.valueRaw(light!.modeId)).toEqual(rgb('#0055ff'));
    expect(brand.valueRaw(dark!.modeId)).toEqual(rgb('#3377ff'));
    expect(JSON.parse(brand.sharedPluginDataRaw(NAMESPACE, SHARED_KEYS.origin))).toEqual({ tabId: 1, rowName: 'color/brand', row: 2 });
    expect(JSON.parse(collection.sharedPluginDataRaw(NAMESPACE, SHARED_KEYS.origin))).toEqual({ tabId: 1, modeColumns: { [light!.modeId]: 2, [dark!.modeId]: 3 } });
    expect(h.fake.variableNamed('Spacing', 'space/2')!.valueRaw(h.fake.collectionNamed('Spacing')!.defaultModeRaw)).toBe(8);
  });

  test('a grid sent as its transfer text (gridText) (as the window sends it) is applied exactly as the grid itself', async () => {
    const asObject = await startHarness();
    const asText = await startHarness();
    await asObject.apply(BASE);
    await asText.send({ type: 'apply', position: { epoch: 'e1', seq: 1 }, gridText: gridText(BASE.tabs) });
    const { durationMs: _a, ...fromText } = asText.fake.ui.last('applied');
    const { durationMs: _b, ...fromObject } = asObject.fake.ui.last('applied');
    expect(fromText).toEqual(fromObject);
    expect(asText.fake.log.byName('write')).toEqual(asObject.fake.log.byName('write'));
    expect(asText.fake.variableNamed('Colors', 'color/brand')!.valueRaw(asText.fake.collectionNamed('Colors')!.modesRaw()[1]!.modeId)).toEqual(rgb('#3377ff'));
  });

  test('reads the file once, through the two …Async getters only', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    await h.apply(BASE, 2);
    expect(h.fake.log.count('variables.getLocalVariableCollectionsAsync')).toBe(1);
    expect(h.fake.log.count('variables.getLocalVariablesAsync')).toBe(1);
    expect(h.fake.log.count('variables.getVariableByIdAsync')).toBe(0);
  });

  test('commits one undo step per sync that changed the file', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    await h.apply(grid(colors([['color/brand', '#000001', '#3377ff'], ['color/text', '#111111', '#eeeeee']]), BASE.tabs[1]!), 2);
    await h.apply(grid(colors([['color/brand', '#000001', '#3377ff'], ['color/text', '#111111', '#eeeeee']]), BASE.tabs[1]!), 3);
    expect(h.fake.undoCommits).toBe(2);
  });
});

describe('applying a change to a synced file', () => {
  test('one changed cell costs exactly one write', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    h.fake.log.reset();
    const changed = grid(colors([['color/brand', '#0055ff', '#3377ff'], ['color/text', '#111111', '#dddddd']]), BASE.tabs[1]!);
    const applied = await h.apply(changed, 2);
    expect(applied.counts).toEqual({ created: 0, updated: 1, unchanged: 1 + 2 });
    expect(h.fake.log.variableWrites()).toBe(1);
    expect(h.fake.log.count('Variable.setValueForMode')).toBe(1);
    const dark = h.fake.collectionNamed('Colors')!.modesRaw()[1]!.modeId;
    expect(h.fake.variableNamed('Colors', 'color/text')!.valueRaw(dark)).toEqual(rgb('#dddddd'));
  });

  test('re-applying the same snapshot writes nothing and reads nothing from the file', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    h.fake.log.reset();
    const applied = await h.apply(BASE);
    expect(applied.counts).toEqual({ created: 0, updated: 0, unchanged: 4 });
    expect(h.fake.log.byName('write')).toEqual({});
    expect(h.fake.log.byName('read')).toEqual({});
    expect(h.fake.undoCommits).toBe(1);
  });

  test('a renamed row renames its variable, which stays bound to the node that uses it', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    const before = h.fake.variableNamed('Colors', 'color/brand')!;
    const node = h.fake.createNode();
    node.setBoundVariable('fills', before);
    h.fake.log.reset();
    const applied = await h.apply(grid(colors([['color/primary', '#0055ff', '#3377ff'], ['color/text', '#111111', '#eeeeee']]), BASE.tabs[1]!), 2);
    expect(applied.problems).toEqual([]);
    expect(applied.orphans).toEqual([]);
    expect(h.fake.log.byName('write')).toEqual({ 'Variable.name=': 1, 'Variable.setSharedPluginData': 1, 'root.setSharedPluginData': 1 });
    const after = h.fake.variableNamed('Colors', 'color/primary')!;
    expect(after).toBe(before);
    expect(after.removed).toBe(false);
    expect(node.boundVariables.fills).toEqual({ type: 'VARIABLE_ALIAS', id: after.id });
    expect(JSON.parse(after.sharedPluginDataRaw(NAMESPACE, SHARED_KEYS.origin))).toEqual({ tabId: 1, rowName: 'color/primary', row: 2 });
    expect(h.fake.variableNamed('Colors', 'color/brand')).toBeUndefined();
  });

  test('aliases chain across collections, and retargeting one alias is one write', async () => {
    const h = await startHarness();
    const chain = (target: string) =>
      grid(
        tab(1, 'Primitives', [['Name', 'Value'], ['blue/500', '#0055ff'], ['blue/700', '#002299']]),
        tab(2, 'Theme', [['Name', 'Light', 'Dark'], ['color/brand', `{Primitives::${target}}`, '{Primitives::blue/700}'], ['color/link', '{color/brand}', '{color/brand}']]),
        tab(3, 'Components', [['Name', 'Value'], ['button/bg', '{Theme::color/link}']]),
      );
    const applied = await h.apply(chain('blue/500'));
    expect(applied.problems).toEqual([]);
    const id = (c: string, n: string) => h.fake.variableNamed(c, n)!.id;
    const themeModes = h.fake.collectionNamed('Theme')!.modesRaw().map((m) => m.modeId);
    const alias = (target: string) => ({ type: 'VARIABLE_ALIAS', id: target });
    const brand = h.fake.variableNamed('Theme', 'color/brand')!;
    expect(themeModes.map((m) => brand.valueRaw(m))).toEqual([alias(id('Primitives', 'blue/500')), alias(id('Primitives', 'blue/700'))]);
    expect(themeModes.map((m) => h.fake.variableNamed('Theme', 'color/link')!.valueRaw(m))).toEqual([alias(brand.id), alias(brand.id)]);
    const button = h.fake.variableNamed('Components', 'button/bg')!;
    expect(button.valueRaw(h.fake.collectionNamed('Components')!.defaultModeRaw)).toEqual(alias(id('Theme', 'color/link')));

    h.fake.log.reset();
    await h.apply(chain('blue/700'), 2);
    expect(h.fake.log.variableWrites()).toBe(1);
    expect(brand.valueRaw(themeModes[0]!)).toEqual(alias(id('Primitives', 'blue/700')));
  });

  test('a mode column added, renamed and removed becomes addMode, renameMode and removeMode on the same collection', async () => {
    const h = await startHarness();
    const theme = (header: string[], rows: string[][]) => grid(tab(1, 'Theme', [header, ...rows]));
    await h.apply(theme(['Name', 'Light', 'Dark'], [['bg', '#0000aa', '#000011']]));
    const collection = h.fake.collectionNamed('Theme')!;
    const [light, dark] = collection.modesRaw();

    h.fake.log.reset();
    await h.apply(theme(['Name', 'Light', 'Dark', 'Contrast'], [['bg', '#0000aa', '#000011', '#000000']]), 2);
    expect(h.fake.log.byName('write')).toEqual({
      'VariableCollection.addMode': 1,
      'VariableCollection.setSharedPluginData': 1,
      'Variable.setValueForMode': 1,
      'root.setSharedPluginData': 1,
    });
    const contrast = collection.modesRaw()[2]!;
    expect(contrast.name).toBe('Contrast');
    expect(h.fake.variableNamed('Theme', 'bg')!.valueRaw(contrast.modeId)).toEqual(rgb('#000000'));

    h.fake.log.reset();
    await h.apply(theme(['Name', 'Light', 'Night', 'Contrast'], [['bg', '#0000aa', '#000011', '#000000']]), 3);
    expect(h.fake.log.byName('write')).toEqual({ 'VariableCollection.renameMode': 1, 'root.setSharedPluginData': 1 });
    expect(collection.modesRaw()).toEqual([light, { modeId: dark!.modeId, name: 'Night' }, contrast]);

    h.fake.log.reset();
    await h.apply(theme(['Name', 'Light', 'Night'], [['bg', '#0000aa', '#000011']]), 4);
    expect(h.fake.log.byName('write')).toEqual({ 'VariableCollection.removeMode': 1, 'VariableCollection.setSharedPluginData': 1, 'root.setSharedPluginData': 1 });
    expect(collection.modesRaw()).toEqual([light, { modeId: dark!.modeId, name: 'Night' }]);
  });
});

describe('what the sync did not create', () => {
  test('hand-made variables are never changed, and a sheet row with the same name is reported instead', async () => {
    const first = await startHarness();
    await first.apply(BASE);
    const collection = first.fake.collectionNamed('Colors')!;
    const handMade = first.fake.variables.createVariable('color/extra', collection, 'COLOR');
    handMade.setValueForMode(collection.defaultModeRaw, { r: 0.5, g: 0.5, b: 0.5, a: 1 });
    const lone = first.fake.variables.createVariable('lone', first.fake.variables.createVariableCollection('Hand-made'), 'FLOAT');
    lone.setValueForMode(first.fake.collectionNamed('Hand-made')!.defaultModeRaw, 3);
    // A later session reads the file with the hand-made variables in it.
    const h = first.reopen();
    first.fake.log.reset();

    const applied = await h.apply(
      grid(colors([['color/brand', '#0055ff', '#3377ff'], ['color/text', '#111111', '#eeeeee'], ['color/extra', '#ff0000', '#ff0000']]), BASE.tabs[1]!),
      2,
    );
    expect(applied.problems).toEqual([nameTakenProblem('Colors', 'A4', 'color/extra', 'Colors', 'COLOR', true)]);
    expect(applied.orphans).toEqual([]);
    expect(h.fake.log.byName('write')).toEqual({ 'root.setSharedPluginData': 1 });
    expect(handMade.valueRaw(collection.defaultModeRaw)).toEqual({ r: 0.5, g: 0.5, b: 0.5, a: 1 });
    expect(handMade.sharedPluginDataRaw(NAMESPACE, SHARED_KEYS.origin)).toBe('');
    expect(lone.nameRaw).toBe('lone');
    expect(lone.valueRaw(first.fake.collectionNamed('Hand-made')!.defaultModeRaw)).toBe(3);
  });

  test('a hand-made variable made after the file was read is found through the refused name and one re-read', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    const collection = h.fake.collectionNamed('Colors')!;
    const handMade = h.fake.variables.createVariable('color/extra', collection, 'COLOR');
    h.fake.log.reset();

    const applied = await h.apply(
      grid(colors([['color/brand', '#0055ff', '#3377ff'], ['color/text', '#111111', '#eeeeee'], ['color/extra', '#ff0000', '#ff0000']]), BASE.tabs[1]!),
      2,
    );
    expect(applied.problems).toEqual([nameTakenProblem('Colors', 'A4', 'color/extra', 'Colors', 'COLOR', true)]);
    expect(h.fake.log.count('variables.getLocalVariablesAsync')).toBe(1);
    expect(h.fake.log.byName('write')).toEqual({ 'variables.createVariable': 1, 'root.setSharedPluginData': 1 });
    expect(handMade.sharedPluginDataRaw(NAMESPACE, SHARED_KEYS.origin)).toBe('');
  });

  test('a row gone from the sheet leaves an orphan that is removed only on request, and only if the sync made it', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    const text = h.fake.variableNamed('Colors', 'color/text')!;
    const brand = h.fake.variableNamed('Colors', 'color/brand')!;
    const handMade = h.fake.variables.createVariable('color/hand', h.fake.collectionNamed('Colors')!, 'COLOR');

    const applied = await h.apply(grid(colors([['color/brand', '#0055ff', '#3377ff']]), BASE.tabs[1]!), 2);
    const collectionId = h.fake.collectionNamed('Colors')!.id;
    expect(applied.orphans).toEqual([{ variableId: text.id, name: 'color/text', collectionId, collectionName: 'Colors' }]);
    expect(text.removed).toBe(false);

    const commits = h.fake.undoCommits;
    h.fake.log.reset();
    await h.send({ type: 'remove-orphans', variableIds: [text.id, handMade.id, brand.id, 'VariableID:9:9'] });
    expect(h.fake.ui.last('orphans-removed')).toEqual({ type: 'orphans-removed', removed: 1, orphans: [] });
    expect(h.fake.log.byName('write')).toEqual({ 'Variable.remove': 1 });
    expect(text.removed).toBe(true);
    expect(handMade.removed).toBe(false);
    expect(brand.removed).toBe(false);
    expect(h.fake.undoCommits).toBe(commits + 1);
  });

  test('asking to remove a hand-made variable removes nothing', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    const handMade = h.fake.variables.createVariable('color/hand', h.fake.collectionNamed('Colors')!, 'COLOR');
    h.fake.log.reset();
    await h.send({ type: 'remove-orphans', variableIds: [handMade.id] });
    expect(h.fake.ui.last('orphans-removed')).toEqual({ type: 'orphans-removed', removed: 0, orphans: [] });
    expect(h.fake.log.byName('write')).toEqual({});
    expect(handMade.removed).toBe(false);
  });
});

describe("Figma's refusals", () => {
  test('modes past the plan limit are reported at their header cells with the limit Figma gave, and the other modes are applied', async () => {
    const h = await startHarness({ modeLimit: 4 });
    const header = ['Name', 'A', 'B', 'C', 'D', 'E', 'F'];
    const applied = await h.apply(grid(tab(7, 'Theme', [header, ['size/s', 1, 2, 3, 4, 5, 6], ['size/m', 11, 12, 13, 14, 15, 16]])));
    expect(applied.problems).toEqual([
      { tab: 'Theme', cell: 'F1', severity: 'error', code: 'FIGMA_MODE_LIMIT', message: modeLimitMessage(4, 'E') },
      { tab: 'Theme', cell: 'G1', severity: 'error', code: 'FIGMA_MODE_LIMIT', message: modeLimitMessage(4, 'F') },
    ]);
    const collection = h.fake.collectionNamed('Theme')!;
    expect(collection.modesRaw().map((m) => m.name)).toEqual(['A', 'B', 'C', 'D']);
    const modes = collection.modesRaw().map((m) => m.modeId);
    expect(modes.map((m) => h.fake.variableNamed('Theme', 'size/m')!.valueRaw(m))).toEqual([11, 12, 13, 14]);
    expect(h.fake.log.count('Variable.setValueForMode')).toBe(8);
    expect(modeLimitMessage(4, 'E')).toBe(
      'Figma allows 4 modes per collection on this file\'s plan, so the mode "E" was not created and its values were skipped. ' +
        'Remove a mode column from this tab, or move the file to a plan with more modes.',
    );
  });

  test('after Figma stated its mode limit, later syncs report the same modes without asking Figma again', async () => {
    const h = await startHarness({ modeLimit: 2 });
    const g = grid(tab(7, 'Theme', [['Name', 'A', 'B', 'C'], ['size/s', 1, 2, 3]]));
    const first = await h.apply(g);
    h.fake.log.reset();
    const second = await h.apply(g, 2);
    expect(second.problems).toEqual(first.problems);
    expect(second.problems).toEqual([{ tab: 'Theme', cell: 'D1', severity: 'error', code: 'FIGMA_MODE_LIMIT', message: modeLimitMessage(2, 'C') }]);
    expect(h.fake.log.byName('write')).toEqual({ 'root.setSharedPluginData': 1 });
  });

  test('a variable deleted in Figma since the last sync is created again after one re-read of the file', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    h.fake.variableNamed('Colors', 'color/text')!.remove();
    h.fake.log.reset();
    const applied = await h.apply(grid(colors([['color/brand', '#0055ff', '#3377ff'], ['color/text', '#111111', '#dddddd']]), BASE.tabs[1]!), 2);
    expect(applied.problems).toEqual([]);
    expect(applied.counts).toEqual({ created: 1, updated: 0, unchanged: 3 });
    expect(h.fake.log.count('variables.getLocalVariablesAsync')).toBe(1);
    expect(h.fake.log.count('variables.createVariable')).toBe(1);
    const dark = h.fake.collectionNamed('Colors')!.modesRaw()[1]!.modeId;
    expect(h.fake.variableNamed('Colors', 'color/text')!.valueRaw(dark)).toEqual(rgb('#dddddd'));
  });
});

describe('chunking', () => {
  afterEach(() => {
    mockSharedCodeCost.clock = undefined;
  });

  /** Makes mapping and planning take virtual time on the fake's clock, as a large grid does in Figma. */
  function slowSharedCode(h: Harness, ms: { mapping: number; planning: number }) {
    Object.assign(mockSharedCodeCost, { clock: h.fake.clock, mappingMs: ms.mapping, planningMs: ms.planning, mappings: 0, plans: 0 });
  }

  test('a long sync gives the editor a turn only between chunks of writes, each with its progress, and never after the last write', async () => {
    const h = await startHarness({ chunkBudgetMs: 20, trace: true });
    const rows = Array.from({ length: 200 }, (_, i) => [`size/${i}`, i + 1, i + 2]);
    await h.apply(grid(tab(1, 'Sizes', [['Name', 'S', 'L'], ...rows])));
    expect(h.fake.yields).toBeGreaterThan(5);
    const progress = h.fake.ui.ofType('progress');
    expect(progress).toHaveLength(h.fake.yields);
    expect(progress.every((p, i) => p.done > (progress[i - 1]?.done ?? 0) && p.done < p.total)).toBe(true);
    const trace = h.fake.log.trace!;
    const firstWrite = trace.indexOf('variables.createVariableCollection');
    const lastVariableCall = trace.map((t) => t.startsWith('Variable')).lastIndexOf(true);
    // Mapping and planning took none of the budget, so no turn comes before the first write; yields
    // never come two in a row, and one undo step closes the whole sync.
    expect(trace.slice(0, firstWrite)).not.toContain('yield');
    expect(trace.some((t, i) => t === 'yield' && trace[i + 1] === 'yield')).toBe(false);
    expect(trace.filter((t) => t === 'commitUndo')).toHaveLength(1);
    expect(trace.indexOf('commitUndo')).toBeGreaterThan(lastVariableCall);
    expect(trace.slice(lastVariableCall)).not.toContain('yield');
  });

  test('a change that fits in the budget is mapped, planned and written without a single yield', async () => {
    const h = await startHarness({ chunkBudgetMs: 40 });
    await h.apply(BASE);
    const before = h.fake.yields;
    slowSharedCode(h, { mapping: 5, planning: 5 });
    await h.apply(grid(colors([['color/brand', '#000001', '#3377ff'], ['color/text', '#111111', '#eeeeee']]), BASE.tabs[1]!), 2);
    expect(h.fake.yields - before).toBe(0);
    expect(h.fake.ui.ofType('progress')).toEqual([]);
  });

  test('mapping that leaves too little of the budget for planning gives the editor a turn before planning', async () => {
    const h = await startHarness({ chunkBudgetMs: 40 });
    slowSharedCode(h, { mapping: 30, planning: 30 });
    const yieldsAt: string[] = [];
    const yieldToEditor = h.fake.scheduler.yieldToEditor;
    h.fake.scheduler.yieldToEditor = () => {
      yieldsAt.push(`after ${mockSharedCodeCost.mappings} mapping(s), ${mockSharedCodeCost.plans} plan(s)`);
      return yieldToEditor();
    };
    await h.apply(BASE);
    // No plan was timed yet, so planning is guessed to take as long as mapping: 30 + 30 > 40.
    expect(yieldsAt).toEqual(['after 1 mapping(s), 0 plan(s)']);
  });

  test('the writes continue the stretch planning began: they yield once it reaches the budget, not a budget later', async () => {
    const h = await startHarness({ chunkBudgetMs: 40 });
    slowSharedCode(h, { mapping: 1, planning: 39 });
    await h.apply(BASE);
    // 1 ms of mapping and 1 guessed for planning fit; planning then used 39 ms, so a write or two
    // (0.3–0.5 ms each on the fake's clock) bring the stretch to 40 and the editor gets its turn.
    expect(h.fake.yields).toBeGreaterThanOrEqual(1);
    expect(h.fake.ui.ofType('progress')[0]!.done).toBeLessThanOrEqual(3);
  });

  test('the last plan\'s time is the guess for the next: quick mapping still yields first when the last plan was slow', async () => {
    const h = await startHarness({ chunkBudgetMs: 40 });
    slowSharedCode(h, { mapping: 1, planning: 35 });
    await h.apply(BASE);
    const before = h.fake.yields;
    const changed = grid(colors([['color/brand', '#000001', '#3377ff'], ['color/text', '#111111', '#eeeeee']]), BASE.tabs[1]!);
    await h.apply(changed, 2);
    // 1 ms of mapping + 35 ms guessed for planning fits in 40: no yield before planning; planning then
    // used 36 ms, and the one write fits too.
    expect(h.fake.yields - before).toBe(0);
    slowSharedCode(h, { mapping: 6, planning: 1 });
    await h.apply(BASE, 3);
    // 6 ms + the 35 ms the last plan took would overrun 40: the editor gets its turn before planning.
    expect(h.fake.yields - before).toBe(1);
  });
});

describe('review mode', () => {
  const CHANGED = grid(colors([['color/brand', '#0055ff', '#3377ff'], ['color/text', '#111111', '#dddddd']]), BASE.tabs[1]!);

  test('a sync waits for approval with a summary, then applies', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    await h.send({ type: 'settings', settings: { paused: false, review: true } });
    h.fake.log.reset();
    await h.send({ type: 'apply', position: { epoch: 'e1', seq: 2 }, grid: CHANGED });
    expect(h.fake.ui.last('pending')).toEqual({
      type: 'pending',
      position: { epoch: 'e1', seq: 2 },
      summary: { total: 1, byOp: { setValue: 1 }, lines: ['color/text (Dark): #eeeeee → #dddddd'] },
    });
    expect(h.fake.log.byName('write')).toEqual({});
    expect(h.fake.ui.ofType('applied')).toHaveLength(1);

    await h.send({ type: 'approve-pending' });
    expect(h.fake.ui.ofType('applied')).toHaveLength(2);
    expect(h.fake.ui.last('applied').position).toEqual({ epoch: 'e1', seq: 2 });
    expect(h.fake.log.variableWrites()).toBe(1);
  });

  test('a discarded sync writes nothing, and approving afterwards does nothing', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    await h.send({ type: 'settings', settings: { paused: false, review: true } });
    h.fake.log.reset();
    await h.send({ type: 'apply', position: { epoch: 'e1', seq: 2 }, grid: CHANGED });
    await h.send({ type: 'discard-pending' });
    await h.send({ type: 'approve-pending' });
    expect(h.fake.log.byName('write')).toEqual({});
    expect(h.fake.ui.ofType('applied')).toHaveLength(1);
  });

  test('a sync with nothing to change is applied without asking', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    await h.send({ type: 'settings', settings: { paused: false, review: true } });
    const applied = await h.apply(BASE, 2);
    expect(applied.counts).toEqual({ created: 0, updated: 0, unchanged: 4 });
    expect(h.fake.ui.ofType('pending')).toHaveLength(0);
  });

  test('a newer grid replaces the sync waiting for approval', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    await h.send({ type: 'settings', settings: { paused: false, review: true } });
    await h.send({ type: 'apply', position: { epoch: 'e1', seq: 2 }, grid: CHANGED });
    const newer = grid(colors([['color/brand', '#0055ff', '#3377ff'], ['color/text', '#111111', '#cccccc']]), BASE.tabs[1]!);
    await h.send({ type: 'apply', position: { epoch: 'e1', seq: 3 }, grid: newer });
    expect(h.fake.ui.last('pending').summary.lines).toEqual(['color/text (Dark): #eeeeee → #cccccc']);
    await h.send({ type: 'approve-pending' });
    expect(h.fake.ui.ofType('applied').map((a) => a.position.seq)).toEqual([1, 3]);
    const dark = h.fake.collectionNamed('Colors')!.modesRaw()[1]!.modeId;
    expect(h.fake.variableNamed('Colors', 'color/text')!.valueRaw(dark)).toEqual(rgb('#cccccc'));
  });

  test('turning review off applies the sync that was waiting', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    await h.send({ type: 'settings', settings: { paused: false, review: true } });
    await h.send({ type: 'apply', position: { epoch: 'e1', seq: 2 }, grid: CHANGED });
    await h.send({ type: 'settings', settings: { paused: false, review: false } });
    expect(h.fake.ui.last('applied').position).toEqual({ epoch: 'e1', seq: 2 });
  });
});

describe('serializing applies', () => {
  test('grids that arrive while one is applying are coalesced: only the newest is applied next', async () => {
    const h = await startHarness();
    const version = (hex: string) => grid(colors([['color/brand', hex, '#3377ff']]));
    h.fake.ui.deliver({ type: 'apply', position: { epoch: 'e1', seq: 1 }, grid: version('#000001') });
    h.fake.ui.deliver({ type: 'apply', position: { epoch: 'e1', seq: 2 }, grid: version('#000002') });
    h.fake.ui.deliver({ type: 'apply', position: { epoch: 'e1', seq: 3 }, grid: version('#000003') });
    await h.plugin.idle();
    expect(h.fake.ui.ofType('applied').map((a) => a.position.seq)).toEqual([1, 3]);
    const light = h.fake.collectionNamed('Colors')!.defaultModeRaw;
    expect(h.fake.variableNamed('Colors', 'color/brand')!.valueRaw(light)).toEqual(rgb('#000003'));
  });
});

describe('what the plugin remembers', () => {
  const LINK = { relayUrl: 'https://relay.example.com', channelId: 'abcdefghijklmnop', token: 'tokentokentokentokentoken' };

  test('the link and the last applied position live in the document, so a collaborator resumes from them', async () => {
    const h = await startHarness({ fileName: 'Brand kit' });
    await h.send({ type: 'link-save', link: LINK });
    await h.apply(BASE, 5);
    expect(JSON.parse(h.fake.rootData.get(KEYS.link)!)).toEqual(LINK);
    expect(JSON.parse(h.fake.rootShared(NAMESPACE).get(SHARED_KEYS.position)!)).toEqual({ epoch: 'e1', seq: 5 });

    const other = h.reopen();
    await other.send({ type: 'ui-ready' });
    expect(h.fake.ui.last('init')).toEqual({
      type: 'init',
      link: LINK,
      position: { epoch: 'e1', seq: 5 },
      fileName: 'Brand kit',
      settings: { paused: false, review: false },
      orphans: [],
    });
  });

  test('clearing the link forgets the position with it', async () => {
    const h = await startHarness();
    await h.send({ type: 'link-save', link: LINK });
    await h.apply(BASE, 5);
    await h.send({ type: 'link-clear' });
    expect(h.fake.rootData.has(KEYS.link)).toBe(false);
    expect(h.fake.rootShared(NAMESPACE).has(SHARED_KEYS.position)).toBe(false);
    await h.send({ type: 'ui-ready' });
    expect(h.fake.ui.last('init')).toEqual({ type: 'init', fileName: 'Design system', settings: { paused: false, review: false }, orphans: [] });
  });

  test('a link to another channel forgets the old position; saving the same link again keeps it', async () => {
    const h = await startHarness();
    await h.send({ type: 'link-save', link: LINK });
    await h.apply(BASE, 5);
    await h.send({ type: 'link-save', link: { ...LINK } });
    expect(JSON.parse(h.fake.rootShared(NAMESPACE).get(SHARED_KEYS.position)!)).toEqual({ epoch: 'e1', seq: 5 });
    const other = { ...LINK, channelId: 'qrstuvwxyzabcdef' };
    await h.send({ type: 'link-save', link: other });
    expect(h.fake.rootShared(NAMESPACE).has(SHARED_KEYS.position)).toBe(false);
    await h.send({ type: 'ui-ready' });
    expect(h.fake.ui.last('init')).toEqual({ type: 'init', link: other, fileName: 'Design system', settings: { paused: false, review: false }, orphans: [] });
  });

  test('pausing is a personal setting kept in clientStorage across sessions', async () => {
    const h = await startHarness();
    await h.send({ type: 'settings', settings: { paused: true, review: false } });
    expect(h.fake.storage.get(KEYS.settings)).toEqual({ paused: true, review: false });
    expect(h.fake.rootData.size).toBe(0);
    const other = h.reopen();
    await other.send({ type: 'ui-ready' });
    expect(h.fake.ui.last('init').settings).toEqual({ paused: true, review: false });
  });
});

describe('malformed messages', () => {
  test('an apply without a position is refused with a reason and changes nothing', async () => {
    const h = await startHarness();
    await h.send({ type: 'apply', grid: BASE });
    expect(h.fake.ui.last('error')).toEqual({
      type: 'error',
      message: 'The plugin ignored a malformed message from its window: apply: position must be {epoch: non-empty string, seq: whole number ≥ 0}',
    });
    expect(h.fake.log.byName('write')).toEqual({});
  });
});

describe('the grid cache in clientStorage', () => {
  const LINK = { relayUrl: 'https://relay.example.com', channelId: 'abcdefghijklmnop', token: 'tokentokentokentokentoken' };
  const INIT_REST = { fileName: 'Design system', settings: { paused: false, review: false }, orphans: [] };
  const version = (hex: string) => grid(colors([['color/brand', hex, '#3377ff'], ['color/text', '#111111', '#eeeeee']]), BASE.tabs[1]!);

  beforeEach(() => {
    // The fake editor yields with setImmediate; only the cache's timers are faked.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'clearImmediate'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  /** An apply as the window sends it: with the relay's hash, and marked when a snapshot is in it. */
  const applyFromWindow = (h: Harness, g: Grid, seq: number, snapshot = false) =>
    h.send({ type: 'apply', position: { epoch: 'e1', seq }, grid: g, hash: gridHash(g), ...(snapshot ? { snapshot: true } : {}) });
  const fileId = (h: Harness) => h.fake.rootData.get(KEYS.fileId);
  const cachedKeys = (h: Harness) => [...h.fake.storage.keys()].filter((k) => k.startsWith('grid-cache')).sort();
  /** Time passes; the cache writes that fall due run to their end. */
  const wait = async (h: Harness, ms: number) => {
    jest.advanceTimersByTime(ms);
    await h.plugin.idle();
  };

  async function linked(): Promise<Harness> {
    const h = await startHarness();
    await h.send({ type: 'link-save', link: LINK });
    return h;
  }

  test('an applied grid is cached 1.5 s after the last apply, as one value with its channel, position and hash, under a file id kept in the document', async () => {
    const h = await linked();
    await applyFromWindow(h, BASE, 1);
    await wait(h, 1000);
    await applyFromWindow(h, version('#000002'), 2);
    expect(fileId(h)).toMatch(/^[a-z0-9]{20}$/);
    await wait(h, 1499);
    expect(cachedKeys(h)).toEqual([]);
    await wait(h, 1);
    const id = fileId(h)!;
    expect(cachedKeys(h)).toEqual([`grid-cache-use:${id}`, `grid-cache:${id}`]);
    expect(h.fake.storage.get(`grid-cache:${id}`)).toEqual({
      v: 2,
      relayUrl: LINK.relayUrl,
      channelId: LINK.channelId,
      position: { epoch: 'e1', seq: 2 },
      hash: gridHash(version('#000002')),
      grid: version('#000002'),
    });
    expect(h.plugin.cacheResults()).toEqual(['written']);
  });

  test('a grid that came from a snapshot is cached at once', async () => {
    const h = await linked();
    await applyFromWindow(h, BASE, 1, true);
    expect(h.fake.storage.get(`grid-cache:${fileId(h)!}`)).toMatchObject({ position: { epoch: 'e1', seq: 1 } });
  });

  test('the file id is made once: later applies and sessions keep it', async () => {
    const h = await linked();
    await applyFromWindow(h, BASE, 1, true);
    const id = fileId(h);
    const other = h.reopen();
    await applyFromWindow(other, version('#000002'), 2, true);
    expect(fileId(h)).toBe(id);
    // Private: the link and the file id. Shared: the link's hint, the old position cleared with a new link, positions 1 and 2.
    expect([h.fake.log.count('root.setPluginData'), h.fake.log.count('root.setSharedPluginData')]).toEqual([2, 4]);
  });

  test('opened again, init carries the cached grid and its position, which may be behind the document’s', async () => {
    const h = await linked();
    await applyFromWindow(h, BASE, 1, true);
    await applyFromWindow(h, version('#000002'), 2);
    // The plugin closes before its quiet spell ends: Figma cancels its timers.
    jest.clearAllTimers();
    const reopened = h.reopen();
    await reopened.send({ type: 'ui-ready' });
    expect(h.fake.ui.last('init')).toEqual({
      type: 'init',
      link: LINK,
      position: { epoch: 'e1', seq: 2 },
      cached: { position: { epoch: 'e1', seq: 1 }, hash: gridHash(BASE), grid: BASE },
      ...INIT_REST,
      orphans: [],
    });
  });

  test('re-applying the cached position after a reopen writes nothing to clientStorage', async () => {
    const h = await linked();
    await applyFromWindow(h, BASE, 1, true);
    const reopened = h.reopen();
    await reopened.send({ type: 'ui-ready' });
    h.fake.log.reset();
    await applyFromWindow(reopened, BASE, 1);
    await wait(reopened, 20_000);
    expect(h.fake.log.count('clientStorage.setAsync')).toBe(0);
    expect(reopened.plugin.cacheResults()).toEqual(['unchanged']);
  });

  test('an apply without the relay’s hash (from an older window) is not cached', async () => {
    const h = await linked();
    await h.send({ type: 'apply', position: { epoch: 'e1', seq: 1 }, grid: BASE, snapshot: true });
    await wait(h, 20_000);
    expect(cachedKeys(h)).toEqual([]);
    expect(h.fake.rootData.has(KEYS.fileId)).toBe(false);
  });

  test('without a link nothing is cached and no file id is made', async () => {
    const h = await startHarness();
    await applyFromWindow(h, BASE, 1, true);
    await wait(h, 20_000);
    expect([cachedKeys(h), h.fake.rootData.has(KEYS.fileId)]).toEqual([[], false]);
  });

  test('without a cache, init is as it always was', async () => {
    const h = await linked();
    await h.apply(BASE, 3);
    await h.send({ type: 'ui-ready' });
    expect(h.fake.ui.last('init')).toEqual({ type: 'init', link: LINK, position: { epoch: 'e1', seq: 3 }, ...INIT_REST });
  });

  test('unlinking drops the cached grid and any write still waiting; init then carries none', async () => {
    const h = await linked();
    await applyFromWindow(h, BASE, 1, true);
    await applyFromWindow(h, version('#000002'), 2);
    await h.send({ type: 'link-clear' });
    await wait(h, 20_000);
    expect(cachedKeys(h)).toEqual([]);
    await h.send({ type: 'link-save', link: LINK });
    await h.send({ type: 'ui-ready' });
    expect(h.fake.ui.last('init')).toEqual({ type: 'init', link: LINK, ...INIT_REST });
  });

  test('a link to another channel drops the old channel’s cached grid; a new code for the same channel keeps it', async () => {
    const h = await linked();
    await applyFromWindow(h, BASE, 1, true);
    await h.send({ type: 'link-save', link: { ...LINK, token: 'rotatedrotatedrotatedrotated' } });
    expect(cachedKeys(h)).toHaveLength(2);
    await h.send({ type: 'link-save', link: { ...LINK, channelId: 'qrstuvwxyzabcdef' } });
    expect(cachedKeys(h)).toEqual([]);
  });

  test('a change approved in review mode is cached once applied; one still under review is not', async () => {
    const h = await linked();
    await applyFromWindow(h, BASE, 1, true);
    await h.send({ type: 'settings', settings: { paused: false, review: true } });
    await applyFromWindow(h, version('#000002'), 2, true);
    expect(h.fake.storage.get(`grid-cache:${fileId(h)!}`)).toMatchObject({ position: { epoch: 'e1', seq: 1 } });
    await h.send({ type: 'approve-pending' });
    expect(h.fake.storage.get(`grid-cache:${fileId(h)!}`)).toMatchObject({ position: { epoch: 'e1', seq: 2 }, grid: version('#000002') });
  });

  test('a damaged cached grid is ignored: init carries none and the damaged value is removed', async () => {
    const h = await linked();
    await applyFromWindow(h, BASE, 1, true);
    const id = fileId(h)!;
    h.fake.storage.set(`grid-cache:${id}`, { v: 2, relayUrl: LINK.relayUrl, channelId: LINK.channelId, position: { epoch: 'e1', seq: 1 }, hash: gridHash(BASE), grid: { tabs: 'lost' } });
    const reopened = h.reopen();
    await reopened.send({ type: 'ui-ready' });
    expect(h.fake.ui.last('init')).toEqual({ type: 'init', link: LINK, position: { epoch: 'e1', seq: 1 }, ...INIT_REST });
    expect(cachedKeys(h)).toEqual([]);
  });

  test('a grid over 2 MB of JSON is not cached (and an older grid of the file is dropped); applying it works as ever', async () => {
    const h = await linked();
    await applyFromWindow(h, BASE, 1, true);
    const huge = grid(colors([['color/brand', '#0055ff', '#3377ff']]), tab(2, 'Copy', [['Name', 'Value'], ['copy/legal', 'x'.repeat(2_100_000)]]));
    await applyFromWindow(h, huge, 2, true);
    expect(h.fake.ui.last('applied').position).toEqual({ epoch: 'e1', seq: 2 });
    expect(cachedKeys(h)).toEqual([]);
    expect(h.plugin.cacheResults()).toEqual(['written', 'too-large']);
  });

  test('clientStorage refusing the write (quota) does not disturb applying', async () => {
    const h = await startHarness({ clientStorageQuota: 300 });
    await h.send({ type: 'link-save', link: LINK });
    await applyFromWindow(h, BASE, 1, true);
    expect(h.fake.ui.last('applied').position).toEqual({ epoch: 'e1', seq: 1 });
    expect(h.fake.ui.ofType('error')).toEqual([]);
    expect([h.plugin.cacheResults(), cachedKeys(h)]).toEqual([['failed'], []]);
  });

  test('clientStorage that cannot be read at start means no cache, not a failed start', async () => {
    const h = await linked();
    await applyFromWindow(h, BASE, 1, true);
    h.fake.clientStorage.faults.get = new Error('storage unavailable');
    const reopened = h.reopen();
    await reopened.send({ type: 'ui-ready' });
    expect(h.fake.ui.last('init')).toEqual({ type: 'init', link: LINK, position: { epoch: 'e1', seq: 1 }, ...INIT_REST });
  });

  test('five files synced on one machine keep four grids: the least recently opened file’s grid is evicted', async () => {
    const storage = new FakeClientStorage(createFakeFigma().log);
    const files = await Promise.all(
      ['A', 'B', 'C', 'D', 'E'].map(async (name) => {
        const fake = createFakeFigma({ fileName: name });
        const host = { ...fake.figma, clientStorage: storage };
        const plugin = startPlugin(host, { scheduler: fake.scheduler });
        const send = async (message: Parameters<typeof fake.ui.deliver>[0]) => {
          fake.ui.deliver(message);
          await plugin.idle();
        };
        return { fake, send };
      }),
    );
    for (const [i, file] of files.entries()) {
      await file.send({ type: 'link-save', link: LINK });
      file.fake.clock.advance(1000 * (i + 1));
      await file.send({ type: 'apply', position: { epoch: 'e1', seq: 1 }, grid: BASE, hash: gridHash(BASE), snapshot: true });
    }
    const idOf = (i: number) => files[i]!.fake.rootData.get(KEYS.fileId)!;
    const cachedFiles = () => [0, 1, 2, 3, 4].filter((i) => storage.data.has(`grid-cache:${idOf(i)}`)).map((i) => files[i]!.fake.figma.root.name);
    expect(cachedFiles()).toEqual(['B', 'C', 'D', 'E']);
    // Opening B again marks it used; the next file to be cached pushes out C instead.
    files[1]!.fake.clock.advance(10_000);
    await files[1]!.send({ type: 'ui-ready' });
    expect(files[1]!.fake.ui.last('init').cached).toEqual({ position: { epoch: 'e1', seq: 1 }, hash: gridHash(BASE), grid: BASE });
    files[0]!.fake.clock.advance(20_000);
    await files[0]!.send({ type: 'apply', position: { epoch: 'e1', seq: 1 }, grid: BASE, hash: gridHash(BASE), snapshot: true });
    expect(cachedFiles()).toEqual(['A', 'B', 'D', 'E']);
  });
});
