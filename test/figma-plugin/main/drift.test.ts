// The file changes while the plugin is open and Figma says nothing (plugins get no variable-change
// event): an undo of a sync, a hand edit, a collaborator's edit. The sheet is the source of truth: a
// cheap check while open, and a re-read of what a sync is about to rely on, find such drift; the sheet's
// values are put back and the designer is shown what was reset (asked first in review mode).

import { gridHash } from '../../../shared/protocol/canonical-hash';
import type { Grid } from '../../../shared/protocol/grid';
import type { MainToUi } from '../../../shared/plan/plugin-messages';
import { grid, startHarness, tab, type Harness } from '../../fakes/figma/plugin-harness';

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
  ]),
);
const CHANGED = grid(
  colors([
    ['color/brand', '#0066ff', '#3377ff'],
    ['color/text', '#111111', '#eeeeee'],
  ]),
  BASE.tabs[1]!,
);

type Drift = Extract<MainToUi, { type: 'drift' }>;
const drifts = (h: Harness): Drift[] => h.fake.ui.ofType('drift');

function modes(h: Harness) {
  const c = h.fake.collectionNamed('Colors')!;
  const [light, dark] = c.modesRaw();
  return { light: light!.modeId, dark: dark!.modeId };
}
const brand = (h: Harness) => h.fake.variableNamed('Colors', 'color/brand')!;

describe('drift found by the check while the plugin is open', () => {
  test('a value changed in Figma is put back to the sheet’s value, and the designer is shown what was reset', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    const { light } = modes(h);
    brand(h).editInFigma({ values: { [light]: rgb('#ff0000') } });
    h.fake.log.reset();
    await h.plugin.checkDrift();
    expect(brand(h).valueRaw(light)).toEqual(rgb('#0055ff'));
    expect(h.fake.log.byName('write')).toEqual({ 'Variable.setValueForMode': 1 });
    expect(h.fake.undoCommits).toBe(2);
    expect(drifts(h)).toEqual([
      { type: 'drift', state: 'reset', summary: { total: 1, byOp: { setValue: 1 }, lines: ['color/brand (Light): #ff0000 → #0055ff'] }, problems: [], orphans: [] },
    ]);
  });

  test('an undo of a sync in Figma is put back: the sheet stays the source of truth', async () => {
    const h = await startHarness({ undoHistory: true });
    await h.apply(BASE, 1);
    await h.apply(CHANGED, 2);
    h.fake.undo();
    const { light } = modes(h);
    expect(brand(h).valueRaw(light)).toEqual(rgb('#0055ff'));
    await h.plugin.checkDrift();
    expect(brand(h).valueRaw(light)).toEqual(rgb('#0066ff'));
    expect(drifts(h).at(-1)!.summary.lines).toEqual(['color/brand (Light): #0055ff → #0066ff']);
  });

  test('a renamed or deleted variable is put back too (a deleted one is made again)', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    brand(h).editInFigma({ name: 'color/renamed' });
    h.fake.variableNamed('Colors', 'color/text')!.kill();
    await h.plugin.checkDrift();
    expect(h.fake.variablesIn('Colors').map((v) => v.nameRaw).sort()).toEqual(['color/brand', 'color/text']);
    expect(drifts(h).at(-1)!.summary.lines).toEqual(['"color/renamed" → "color/brand"', 'Colors: new color variable "color/text"', 'color/text (Light): (none) → #111111', 'color/text (Dark): (none) → #eeeeee']);
  });

  test('a check that finds nothing reads only the names and values of what the sync made, writes nothing and says nothing', async () => {
    const h = await startHarness();
    const handMade = h.fake.variables.createVariableCollection('Hand-made');
    h.fake.variables.createVariable('mine', handMade, 'FLOAT');
    await h.apply(BASE);
    h.fake.log.reset();
    await h.plugin.checkDrift();
    expect(h.fake.log.byName('write')).toEqual({});
    expect(h.fake.log.byName('read')).toEqual({
      'variables.getLocalVariableCollectionsAsync': 1,
      'variables.getLocalVariablesAsync': 1,
      'VariableCollection.name': 2,
      'VariableCollection.modes': 2,
      'Variable.name': 3,
      'Variable.valuesByMode': 3,
    });
    expect(drifts(h)).toEqual([]);
  });

  test('in review mode drift is shown and waits: approving puts it back', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    await h.send({ type: 'settings', settings: { paused: false, review: true } });
    const { light } = modes(h);
    brand(h).editInFigma({ values: { [light]: rgb('#ff0000') } });
    await h.plugin.checkDrift();
    expect(brand(h).valueRaw(light)).toEqual(rgb('#ff0000'));
    expect(drifts(h).map((d) => [d.state, d.summary.lines])).toEqual([['review', ['color/brand (Light): #ff0000 → #0055ff']]]);
    await h.send({ type: 'approve-drift' });
    expect(brand(h).valueRaw(light)).toEqual(rgb('#0055ff'));
    expect(drifts(h).map((d) => d.state)).toEqual(['review', 'reset']);
  });

  test('in review mode, leaving the drift for now keeps Figma’s value until the sheet changes again; the next checks do not ask again', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    await h.send({ type: 'settings', settings: { paused: false, review: true } });
    const { light } = modes(h);
    brand(h).editInFigma({ values: { [light]: rgb('#ff0000') } });
    await h.plugin.checkDrift();
    await h.send({ type: 'dismiss-drift' });
    await h.plugin.checkDrift();
    expect(brand(h).valueRaw(light)).toEqual(rgb('#ff0000'));
    expect(drifts(h).map((d) => d.state)).toEqual(['review']);
  });

  test('while live updates are paused, drift is reported but nothing is put back', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    await h.send({ type: 'settings', settings: { paused: true, review: false } });
    const { light } = modes(h);
    brand(h).editInFigma({ values: { [light]: rgb('#ff0000') } });
    h.fake.log.reset();
    await h.plugin.checkDrift();
    expect(h.fake.log.variableWrites()).toBe(0);
    expect(drifts(h).map((d) => [d.state, d.summary.lines])).toEqual([['noticed', ['color/brand (Light): #ff0000 → #0055ff']]]);
  });

  test('a collaborator’s newer sync is not drift: nothing is put back while this window catches up', async () => {
    const h = await startHarness();
    await h.apply(BASE, 1);
    const collaborator = h.reopen();
    await collaborator.apply(CHANGED, 2);
    h.fake.log.reset();
    await h.plugin.checkDrift();
    expect(h.fake.log.variableWrites()).toBe(0);
    expect(drifts(h)).toEqual([]);
  });

  test('after unlinking, or pairing another sheet, the file is no longer checked against the old sheet', async () => {
    const link = { relayUrl: 'https://relay.example.com', channelId: 'abcdefghijklmnop', token: 'tokentokentokentokentoken' };
    for (const next of [{ type: 'link-clear' }, { type: 'link-save', link: { ...link, channelId: 'qrstuvwxyzabcdef' } }] as const) {
      const h = await startHarness();
      await h.send({ type: 'link-save', link });
      await h.apply(BASE);
      await h.send(next);
      const { light } = modes(h);
      brand(h).editInFigma({ values: { [light]: rgb('#ff0000') } });
      h.fake.log.reset();
      await h.plugin.checkDrift();
      expect([h.fake.log.total('read'), drifts(h)]).toEqual([0, []]);
    }
  });

  test('a variable deleted in Figma while the plugin is closed is made again at the first check after opening (the cached grid is the sheet’s state)', async () => {
    const h = await startHarness();
    const link = { relayUrl: 'https://relay.example.com', channelId: 'abcdefghijklmnop', token: 'tokentokentokentokentoken' };
    await h.send({ type: 'link-save', link });
    // A snapshot from the window: cached at once, with the relay's hash.
    await h.send({ type: 'apply', position: { epoch: 'e1', seq: 1 }, grid: BASE, hash: gridHash(BASE), snapshot: true });
    await h.plugin.idle();
    const closedEdit = h.fake.variableNamed('Colors', 'color/text')!;
    closedEdit.kill();
    const reopened = h.reopen();
    await reopened.send({ type: 'ui-ready' });
    await reopened.plugin.checkDrift();
    expect(h.fake.variableNamed('Colors', 'color/text')).toBeDefined();
    expect(drifts(h).at(-1)!.state).toBe('reset');
  });
});

describe('drift found by re-reading what a sync relies on', () => {
  test('a change to one mode of a variable also puts back another mode changed in Figma, and says so', async () => {
    const h = await startHarness();
    await h.apply(BASE, 1);
    const { light, dark } = modes(h);
    brand(h).editInFigma({ values: { [light]: rgb('#ff0000') } });
    const darkChanged: Grid = grid(colors([['color/brand', '#0055ff', '#000000'], ['color/text', '#111111', '#eeeeee']]), BASE.tabs[1]!);
    const applied = await h.apply(darkChanged, 2);
    expect([brand(h).valueRaw(light), brand(h).valueRaw(dark)]).toEqual([rgb('#0055ff'), rgb('#000000')]);
    expect(applied.counts.updated).toBe(1);
    expect(drifts(h).map((d) => [d.state, d.summary.lines])).toEqual([['reset', ['color/brand (Light): #ff0000 → #0055ff']]]);
  });
});

describe('the periodic check', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'clearImmediate'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  test('runs every driftCheckMs while the plugin is open, and not after it stops', async () => {
    const h = await startHarness({ driftCheckMs: 15_000 });
    await h.apply(BASE);
    const { light } = modes(h);
    brand(h).editInFigma({ values: { [light]: rgb('#ff0000') } });
    await jest.advanceTimersByTimeAsync(14_000);
    expect(brand(h).valueRaw(light)).toEqual(rgb('#ff0000'));
    await jest.advanceTimersByTimeAsync(1_000);
    await h.plugin.idle();
    expect(brand(h).valueRaw(light)).toEqual(rgb('#0055ff'));
    h.plugin.stop();
    brand(h).editInFigma({ values: { [light]: rgb('#00ff00') } });
    await jest.advanceTimersByTimeAsync(60_000);
    await h.plugin.idle();
    expect(brand(h).valueRaw(light)).toEqual(rgb('#00ff00'));
    expect(jest.getTimerCount()).toBe(0);
  });
});
