// The whole chain, one designer's day: the built add-on (Apps Script fakes, example token sheet)
// posts to a relay process; the plugin window (Chromium, sandboxed iframe) and its main thread (on
// the Figma fake) apply what arrives. After every step the fake file holds exactly what the mapper
// says the sheet means. The tests run in order and build on each other.

import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import type { AddonWorld } from '../fakes/apps-script/run-addon';
import type { PluginPage } from '../helpers/e2e-browser';
import { connectSheet, OWNER, settle, startFigma, startSheet } from '../helpers/e2e-chain';
import { Teardown } from '../helpers/e2e-teardown';
import { columnLetters, sidebar } from '../helpers/e2e-sheet';

const teardown = new Teardown();
let relay: RelayProcess;
let world: AddonWorld;
let plugin: PluginPage;
let pairingCode: string;

afterAll(() => teardown.close());

beforeAll(async () => {
  relay = await startRelayProcess();
  teardown.add('relay', () => relay.stop());
  world = await startSheet(teardown);
  plugin = await startFigma(teardown);
}, 60_000);

afterEach(() => {
  expect(plugin?.errors ?? []).toEqual([]);
});

test('pairing: the add-on connects, the pairing code pasted in the plugin brings the whole sheet into an empty file', async () => {
  expect(await plugin.model(false)).toEqual({ collections: [] });
  pairingCode = connectSheet(world, relay.url);
  await plugin.open();
  await plugin.pair(pairingCode);
  const { sheet, figma, state } = await settle(world, plugin);
  expect(state.status).toEqual({ kind: 'live', text: 'Live', queued: 0 });
  expect(sheet.mapped.problems).toEqual([]);
  expect(figma.collections.map((c) => [c.name, c.modes, c.variables.length])).toEqual([
    ['Primitives', ['Value'], 59],
    ['Semantic', ['Light', 'Dark'], 20],
    ['Typography', ['Desktop', 'Mobile'], 16],
    ['Flags', ['Value'], 4],
  ]);
  expect(figma).toEqual(sheet.model);
  await plugin.waitForStatus('Live');
  await plugin.screenshot('e2e-paired');
});

test('a single-cell colour edit changes that one variable', async () => {
  world.edit(OWNER, 'Primitives', 'B9', [['#ff5500']]);
  const { sheet, figma } = await settle(world, plugin);
  const blue500 = figma.collections[0]!.variables.find((v) => v.name === 'color/blue/500')!;
  expect(blue500.valuesByMode).toEqual({ Value: { r: 1, g: Math.fround(0x55 / 255), b: 0, a: 1 } });
  expect(figma).toEqual(sheet.model);
  expect((await plugin.lastApplied())!.counts).toEqual({ created: 0, updated: 1, unchanged: 98 });
});

test('a paste of 1,000 cells lands in one change', async () => {
  // 250 new rows × 4 columns (Name, Value, Description, Scopes) below the primitives.
  const rows = Array.from({ length: 250 }, (_, i) => [`size/step-${i}`, `${i * 2}px`, `Step ${i}`, 'GAP']);
  const before = sidebar(world).seq!;
  world.edit(OWNER, 'Primitives', 'A62', rows);
  const { sheet, figma, state } = await settle(world, plugin);
  expect(state.seq).toBe(before + 1);
  expect(figma.collections[0]!.variables).toHaveLength(59 + 250);
  expect(figma).toEqual(sheet.model);
});

test('a new mode column adds a mode with every value', async () => {
  const semantic = world.spreadsheet.tab('Semantic').values();
  const col = columnLetters(semantic[0]!.length + 1);
  // Colour rows get black or white; the others repeat their Dark value.
  const values = [['High contrast'], ...semantic.slice(1).map((row, i) => [String(row[0]).startsWith('color/') ? (i % 2 === 0 ? '#000000' : '{color/white}') : row[2]])];
  world.edit(OWNER, 'Semantic', `${col}1`, values);
  const { sheet, figma } = await settle(world, plugin);
  expect(figma.collections[1]!.modes).toEqual(['Light', 'Dark', 'High contrast']);
  expect(figma).toEqual(sheet.model);
});

test('an alias to another tab becomes a reference to that variable', async () => {
  const typography = world.spreadsheet.tab('Typography');
  const row = typography.values().length + 1;
  world.edit(OWNER, 'Typography', `A${row}`, [['font/size/gap', '{Primitives::spacing/4}', '{Primitives::spacing/3}', 'number']]);
  const { sheet, figma } = await settle(world, plugin);
  const gap = figma.collections[2]!.variables.find((v) => v.name === 'font/size/gap')!;
  expect(gap.valuesByMode).toEqual({ Desktop: { alias: { collection: 'Primitives', name: 'spacing/4' } }, Mobile: { alias: { collection: 'Primitives', name: 'spacing/3' } } });
  expect(figma).toEqual(sheet.model);
});

test('a renamed row renames its variable, keeping its id and every binding', async () => {
  const bound = (await plugin.bindNode('Primitives', 'color/blue/50'))!;
  expect(bound).toEqual({ nodeId: expect.any(String), variableId: expect.any(String) });
  world.edit(OWNER, 'Primitives', 'A4', [['color/sky/50']]);
  const { sheet, figma } = await settle(world, plugin);
  expect(figma).toEqual(sheet.model);
  expect(await plugin.boundVariable(bound.nodeId)).toBe(bound.variableId);
  expect((await plugin.variables()).find((v) => v.id === bound.variableId)).toEqual({ id: bound.variableId, collection: 'Primitives', name: 'color/sky/50' });
});

test('a deleted row leaves its variable as an orphan, removed only when the designer asks', async () => {
  const variable = (await plugin.variables()).find((v) => v.name === 'color/blue/100')!;
  world.deleteRows('Primitives', 5, 1);
  const { sheet, figma } = await settle(world, plugin);
  expect(figma).toEqual(sheet.model);
  expect(await plugin.orphans()).toEqual([{ variableId: variable.id, name: 'color/blue/100', collectionId: expect.any(String), collectionName: 'Primitives' }]);
  // Still in the file until the designer removes it.
  expect((await plugin.variables()).some((v) => v.id === variable.id)).toBe(true);
  await plugin.ui.locator('[data-test="orphan"]').first().waitFor();
  await plugin.screenshot('e2e-orphan');
  await plugin.ui.locator('[data-test="remove-orphan"]').first().click();
  await plugin.ui.locator('[data-test="orphan"]').waitFor({ state: 'detached' });
  expect((await plugin.variables()).some((v) => v.id === variable.id)).toBe(false);
  expect(await plugin.orphans()).toEqual([]);
  expect(await plugin.model(false)).toEqual(sheet.model);
});

test('a renamed tab renames its collection', async () => {
  const before = (await plugin.variables()).filter((v) => v.collection === 'Flags').map((v) => v.id).sort();
  world.renameTab('Flags', 'Feature flags');
  const { sheet, figma } = await settle(world, plugin);
  expect(figma.collections.map((c) => c.name)).toEqual(['Primitives', 'Semantic', 'Typography', 'Feature flags']);
  expect((await plugin.variables()).filter((v) => v.collection === 'Feature flags').map((v) => v.id).sort()).toEqual(before);
  expect(figma).toEqual(sheet.model);
});

test('rotating the key tells the open plugin its code was revoked, and the new code works', async () => {
  world.run(OWNER, 'rotateKey');
  await plugin.waitForStatus('Pairing code revoked');
  await plugin.screenshot('e2e-revoked');
  const newCode = sidebar(world).pairingCode!;
  expect(newCode).not.toBe(pairingCode);
  await plugin.pair(newCode);
  await plugin.waitForStatus('Live');
  world.edit(OWNER, 'Feature flags', 'B2', [[false]]);
  const { sheet, figma } = await settle(world, plugin);
  expect(figma.collections[3]!.variables.find((v) => v.name === 'feature/new-navigation')!.valuesByMode).toEqual({ Value: false });
  expect(figma).toEqual(sheet.model);
});
