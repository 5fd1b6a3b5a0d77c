// The main thread's Diagnostics: every step runs on the fake with Figma-like costs and says what it
// found, the scratch collection is gone afterwards, and nothing secret is in the answer.

import { MAX_MODES_TRIED, SCRATCH_COLLECTION } from '../../../figma-plugin/main/diagnostics';
import type { MainToUi } from '../../../shared/plan/plugin-messages';
import { grid, startHarness, tab, type Harness } from '../../fakes/figma/plugin-harness';

const LINK = { relayUrl: 'https://relay.example.com', channelId: 'abcdefghijklmnop', token: 'tokentokentokentokentoken' };
const BASE = grid(tab(1, 'Colors', [['Name', 'Light', 'Dark'], ['color/brand', '#0055ff', '#3377ff']]), tab(2, 'Spacing', [['Name', 'Value'], ['space/1', 4]]));

type Diagnosis = Extract<MainToUi, { type: 'diagnosis' }>;

async function diagnose(h: Harness): Promise<Diagnosis> {
  await h.send({ type: 'diagnose' });
  return h.fake.ui.last('diagnosis');
}

test('on a synced file every step runs and is timed; the scratch collection is removed again', async () => {
  const h = await startHarness({ modeLimit: 4 });
  await h.send({ type: 'link-save', link: LINK });
  await h.apply(BASE);
  const { steps, facts } = await diagnose(h);
  expect(facts).toEqual({ 'Figma plugin API': '1.0.0', 'Figma editor': 'figma' });
  expect(steps.map((s) => [s.id, s.result])).toEqual([
    ['variables', 'ok'],
    ['document', 'ok'],
    ['write', 'ok'],
    ['modes', 'ok'],
    ['drift', 'ok'],
  ]);
  expect(steps.filter((s) => s.id !== 'document').every((s) => typeof s.ms === 'number')).toBe(true);
  expect(steps[0]!.detail).toMatch(/^2 collections and 2 variables read \(every property the sync uses\) in [\d.]+ ms; 2 collections and 2 variables carry this sync's mark/);
  expect(steps[3]!.detail).toBe('Figma allows 4 modes per collection here: it refused mode 5 with “in addMode: Limited to 4 modes only”.');
  expect(steps[2]!.detail).toMatch(/read back [\d.]+ ms \(the same\), shared plugin data written and read back [\d.]+ ms \(the same\)\. Removed again in [\d.]+ ms\.$/);
  expect(h.fake.collectionNamed(SCRATCH_COLLECTION)).toBeUndefined();
  expect([...h.fake.file.collections.values()].map((c) => c.nameRaw)).toEqual(['Colors', 'Spacing']);
  expect(steps[4]!.detail).toMatch(/^Re-reading 2 collections and 2 variables the sync made took [\d.]+ ms; the open plugin does this every 15 s\.$/);
});

test('nothing secret is in the diagnosis: no token', async () => {
  const h = await startHarness();
  await h.send({ type: 'link-save', link: LINK });
  await h.apply(BASE);
  expect(JSON.stringify(await diagnose(h))).not.toContain(LINK.token);
});

test('after the plugin id changed, the file step says which sheet it was linked to and to paste its code again', async () => {
  const h = await startHarness();
  await h.send({ type: 'link-save', link: LINK });
  await h.send({ type: 'apply', position: { epoch: 'e1', seq: 3 }, grid: BASE, title: 'Brand tokens' });
  h.fake.changePluginId('1234567890');
  const { steps } = await diagnose(h.reopen());
  expect(steps.find((s) => s.id === 'document')).toEqual({
    id: 'document',
    title: 'What this file remembers',
    result: 'warning',
    detail:
      'This plugin id cannot read a saved pairing code, but shared plugin data says the file was linked to "Brand tokens" (relay relay.example.com, channel abcdef…): ' +
      "the plugin's id changed (published), or the code was saved by another build. Paste that sheet's pairing code again. The last applied change is seq 3.",
  });
});

test('zombies make the variables step a warning that counts them', async () => {
  const h = await startHarness();
  const old = h.fake.variables.createVariableCollection('Old');
  h.fake.variables.createVariable('a', old, 'FLOAT');
  h.fake.file.makeZombies(old, { listed: false, variableReads: 'throw' });
  const { steps } = await diagnose(h);
  expect(steps[0]).toMatchObject({ id: 'variables', result: 'warning' });
  expect(steps[0]!.detail).toContain('1 object Figma lists cannot be read');
});

test('a file whose plan states no limit up to the modes tried says so', async () => {
  const h = await startHarness({ modeLimit: 100 });
  const { steps } = await diagnose(h);
  expect(steps.find((s) => s.id === 'modes')!.detail).toBe(`Figma accepted ${MAX_MODES_TRIED} modes without stating a limit.`);
});

test('a refused scratch collection fails the write step with Figma’s words and skips the modes step', async () => {
  const h = await startHarness();
  h.fake.variables.createVariableCollection = () => {
    throw new Error('in createVariableCollection: Cannot create variables in this file');
  };
  const { steps } = await diagnose(h);
  expect(steps.filter((s) => s.id === 'write' || s.id === 'modes').map((s) => [s.result, s.detail])).toEqual([
    ['failed', 'Figma refused to create a collection: in createVariableCollection: Cannot create variables in this file'],
    ['skipped', 'No scratch collection to try modes on.'],
  ]);
});
