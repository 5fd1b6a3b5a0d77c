// Migration day, the whole chain (issue 10): a Figma file whose variables a team made by hand, bound
// to layers, is sent to a new sheet through the relay (the plugin's Send to sheet), the add-on imports
// it, the sync adopts every collection without asking (the file exported them), and from then on an
// edit in the sheet changes what the bound layer sees. No twin collection at any step (the page's
// Figma fake throws on one). Then another file, whose sheet was written by hand: adoption waits for
// the designer, Not now leaves the file untouched, a row of another type is refused, Adopt adopts.
// The tests run in order and build on each other.

import { readFileSync } from 'node:fs';
import type { ImportResult } from '../../apps-script/core/offer-import';
import { csvToRows } from '../../tools/csv-tabs';
import type { SidebarState } from '../../apps-script/core/sidebar-state';
import type { SeedCollection } from '../fakes/figma/existing-file';
import type { AddonWorld } from '../fakes/apps-script/run-addon';
import type { PluginPage } from '../helpers/e2e-browser';
import { buildProduct, type BuiltProduct } from '../helpers/e2e-build';
import { connectSheet, OWNER, settle, startFigma, startSheet } from '../helpers/e2e-chain';
import { columnLetters } from '../helpers/e2e-sheet';
import { Teardown } from '../helpers/e2e-teardown';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';

const teardown = new Teardown();
let relay: RelayProcess;
let product: BuiltProduct;
let world: AddonWorld;
let plugin: PluginPage;
const bound: Record<string, string> = {};
/** The Primitives tab as Copy put it on the clipboard (TSV) and as CSV saved it. */
let tsv = '';
let csv = '';
let boundIds: Record<string, string> = {};

const rgb = (hex: string) => {
  const n = parseInt(hex.slice(1), 16);
  return { r: ((n >> 16) & 255) / 255, g: ((n >> 8) & 255) / 255, b: (n & 255) / 255, a: 1 };
};

/** The team's file: primitives and semantic colours with aliases, two modes, a number, strings, a flag. */
const TEAM_FILE: SeedCollection[] = [
  {
    name: 'Primitives',
    modes: ['Value'],
    variables: [
      { name: 'color/white', type: 'COLOR', values: [rgb('#ffffff')] },
      { name: 'color/gray/900', type: 'COLOR', values: [rgb('#111827')] },
      { name: 'color/blue/500', type: 'COLOR', values: [rgb('#3b82f6')], scopes: ['ALL_FILLS'], codeSyntax: { WEB: 'var(--blue-500)' } },
      // Set by a script: not an 8-bit colour, so the sheet writes it as color(srgb …).
      { name: 'color/overlay', type: 'COLOR', values: [{ r: 0.123456, g: 0.2, b: 0.3, a: 0.5 }] },
      { name: 'space/4', type: 'FLOAT', values: [16], description: 'Base spacing' },
      { name: 'font/family', type: 'STRING', values: ['Inter'] },
      { name: 'font/weight', type: 'STRING', values: ['400'] },
      { name: 'flag/beta', type: 'BOOLEAN', values: [true], hidden: true },
    ],
  },
  {
    name: 'Semantic',
    modes: ['Light', 'Dark'],
    variables: [
      { name: 'color/bg', type: 'COLOR', values: [{ alias: 'Primitives::color/white' }, { alias: 'Primitives::color/gray/900' }] },
      { name: 'color/text', type: 'COLOR', values: [{ alias: 'Primitives::color/gray/900' }, { alias: 'Primitives::color/white' }] },
      { name: 'color/accent', type: 'COLOR', values: [{ alias: 'Primitives::color/blue/500' }, { alias: 'Primitives::color/blue/500' }] },
      { name: 'space/gap', type: 'FLOAT', values: [{ alias: 'Primitives::space/4' }, 12] },
    ],
  },
];

afterAll(() => teardown.close());

beforeAll(async () => {
  relay = await startRelayProcess();
  teardown.add('relay', () => relay.stop());
  product = await buildProduct();
  teardown.add('build', () => product.remove());
  world = await startSheet(teardown, { product, example: false });
  plugin = await startFigma(teardown, { product });
}, 120_000);

afterEach(() => {
  expect(plugin?.errors ?? []).toEqual([]);
});

const colour = (value: unknown) => {
  const c = value as { r: number; g: number; b: number };
  return `#${[c.r, c.g, c.b].map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('')}`;
};

describe('migration day: the file the team has becomes the sheet', () => {
  test('the designer pairs the file with a new, empty sheet: nothing in the file changes', async () => {
    await plugin.seedExisting(TEAM_FILE);
    for (const [collection, name] of [['Semantic', 'color/bg'], ['Primitives', 'color/blue/500']] as const) {
      const b = (await plugin.bindNode(collection, name))!;
      bound[`${collection}::${name}`] = b.nodeId;
      boundIds = { ...boundIds, [`${collection}::${name}`]: b.variableId };
    }
    const code = connectSheet(world, relay.url);
    await plugin.open();
    await plugin.pair(code);
    await plugin.waitForStatus('Live');
    const { state } = await settle(world, plugin);
    expect(state.status.kind).toBe('live');
    expect(await plugin.variableWrites()).toBe(0);
  });

  test('Send to sheet: the file\'s collections travel through the relay as an offer', async () => {
    await plugin.ui.locator('[data-test="open-export"]').click();
    await plugin.ui.locator('[data-test="export-choice"]').first().waitFor();
    await plugin.ui.locator('[data-test="export-loading"]').waitFor({ state: 'detached' });
    expect(await plugin.ui.locator('[data-test="export-choice"]').count()).toBe(2);
    await plugin.windowScreenshot('migration-export');
    await plugin.ui.locator('[data-test="send-export"]').click();
    await plugin.ui.locator('[data-test="export-send"]', { hasText: 'Sent.' }).waitFor({ timeout: 15_000 });
    await plugin.windowScreenshot('migration-sent');
    await plugin.ui.locator('[data-test="close-export"]').click();
  });

  test('Copy as spreadsheet and CSV give the same tab as text, whether or not the window may save files', async () => {
    await plugin.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await plugin.ui.locator('[data-test="open-export"]').click();
    await plugin.ui.locator('[data-test="export-loading"]').waitFor({ state: 'detached' });
    // Copy: on the clipboard, or (where the window may not write it) in a field to copy by hand.
    await plugin.ui.locator('[data-test="copy-tsv"]').first().click();
    await plugin.ui.locator('[data-test="export-copied"], [data-test="copy-fallback"]').first().waitFor();
    tsv = (await plugin.ui.locator('[data-test="copy-fallback"]').count()) > 0 ? await plugin.ui.locator('[data-test="copy-fallback"]').inputValue() : await plugin.page.evaluate(() => navigator.clipboard.readText());
    // CSV in a window without allow-downloads: no file, the text is there to copy.
    await plugin.ui.locator('[data-test="download-csv"]').first().click();
    await plugin.ui.locator('[data-test="export-downloaded"]').waitFor();
    csv = await plugin.ui.locator('[data-test="csv-fallback"]').inputValue();
    // And in a window that may save files: the file itself, named after the collection.
    await plugin.open({ allowDownloads: true });
    await plugin.waitForStatus('Live');
    await plugin.ui.locator('[data-test="open-export"]').click();
    await plugin.ui.locator('[data-test="export-loading"]').waitFor({ state: 'detached' });
    const [download] = await Promise.all([plugin.page.waitForEvent('download'), plugin.ui.locator('[data-test="download-csv"]').first().click()]);
    expect(download.suggestedFilename()).toBe('Primitives.csv');
    expect(readFileSync((await download.path())!, 'utf8')).toBe(csv);
    await plugin.ui.locator('[data-test="close-export"]').click();
  });

  test('the sheet\'s owner imports it; the sync adopts both collections without asking, with every binding and no value changed', async () => {
    const listed = world.run(OWNER, 'refreshStatus') as SidebarState;
    expect(listed.offers?.map((o) => [o.fileName, o.collections, o.variables])).toEqual([['Design system (demo)', 2, 12]]);
    const { result } = world.run(OWNER, 'importOffer', [listed.offers![0]!.id, []]) as { result: ImportResult };
    expect([result.tabs.map((t) => [t.name, t.how]), result.problems, result.synced]).toEqual([
      [
        ['Primitives', 'inserted'],
        ['Semantic', 'inserted'],
      ],
      [],
      true,
    ]);
    const { sheet, figma } = await settle(world, plugin);
    expect(sheet.mapped.problems).toEqual([]);
    const applied = (await plugin.lastApplied())!;
    expect(applied.adopted!.map((a) => [a.tab, a.adopted, a.created, a.valuesChanged, a.detailsChanged, a.exported])).toEqual([
      ['Primitives', 8, 0, 0, 0, true],
      ['Semantic', 4, 0, 0, 0, true],
    ]);
    expect(applied.problems).toEqual([]);
    // Exactly what the sheet means, in the very variables the layers are bound to, and no twin.
    expect(figma).toEqual(sheet.model);
    for (const name of ['Primitives', 'Semantic']) expect(await plugin.collectionsNamed(name)).toBe(1);
    for (const [key, nodeId] of Object.entries(bound)) expect(await plugin.boundVariable(nodeId)).toBe(boundIds[key]);
    // The copied and downloaded texts read back as exactly the tab the relay brought (csv as check reads it).
    const primitives = world.spreadsheet.tab('Primitives').values();
    expect(csvToRows(csv, 'Primitives.csv')).toEqual(primitives);
    expect(csvToRows(tsv.split('\n').map((line) => line.split('\t').map((cell) => (/[",]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')).join('\n'), 'tsv')).toEqual(primitives);
    await plugin.ui.locator('[data-test="adopted-line"]').first().waitFor();
    await plugin.windowScreenshot('migration-adopted');
  });

  test('from now on an edit in the sheet changes the value a bound layer sees', async () => {
    expect(colour(await plugin.boundValue(bound['Semantic::color/bg']!, 'Light'))).toBe('#ffffff');
    const rows = world.spreadsheet.tab('Primitives').values();
    const row = rows.findIndex((r) => r[0] === 'color/white') + 1;
    const col = rows[0]!.indexOf('Value') + 1;
    world.edit(OWNER, 'Primitives', `${columnLetters(col)}${row}`, [['#fef3c7']]);
    const { sheet, figma } = await settle(world, plugin);
    expect(figma).toEqual(sheet.model);
    expect(colour(await plugin.boundValue(bound['Semantic::color/bg']!, 'Light'))).toBe('#fef3c7');
    expect((await plugin.lastApplied())!.counts).toEqual({ created: 0, updated: 1, unchanged: 11 });
    for (const name of ['Primitives', 'Semantic']) expect(await plugin.collectionsNamed(name)).toBe(1);
  });
});

describe('a sheet written by hand for a file that already has the collection', () => {
  let world2: AddonWorld;
  let plugin2: PluginPage;
  let nodeId: string;

  beforeAll(async () => {
    world2 = await startSheet(teardown, { product, example: false });
    const brand = world2.spreadsheet.addSheet('Brand');
    brand.getRange(1, 1, 4, 2).setValues([
      ['Name', 'Value'],
      ['color/primary', '#ff0000'],
      ['radius/md', 8],
      ['color/new', '#00ff00'],
    ]);
    plugin2 = await startFigma(teardown, { product });
    await plugin2.seedExisting([
      {
        name: 'Brand',
        modes: ['Value'],
        variables: [
          { name: 'color/primary', type: 'COLOR', values: [rgb('#0055ff')] },
          // A colour in Figma, a number in the sheet: refused, never changed.
          { name: 'radius/md', type: 'COLOR', values: [rgb('#000000')] },
          { name: 'legacy/only-in-figma', type: 'STRING', values: ['kept'] },
        ],
      },
    ]);
    nodeId = (await plugin2.bindNode('Brand', 'color/primary'))!.nodeId;
  }, 60_000);

  afterEach(() => {
    expect(plugin2?.errors ?? []).toEqual([]);
  });

  test('the tab waits for the designer: what adopting means is shown, a row of another type is refused, nothing is written', async () => {
    const code = connectSheet(world2, relay.url);
    await plugin2.open();
    await plugin2.pair(code);
    await settle(world2, plugin2);
    await plugin2.ui.locator('[data-test="adoption-item"]').waitFor();
    expect(await plugin2.ui.locator('[data-test="adoption-line"]').textContent()).toBe(
      'Brand: adopt 1 existing variable, create 1, 1 value will change to the sheet’s, 1 variable exists only in Figma and stays untouched',
    );
    expect(await plugin2.ui.locator('[data-test="adoption-problem"]').textContent()).toContain('"radius/md" is a color variable in the Figma collection "Brand" but this row is number');
    expect(await plugin2.variableWrites()).toBe(0);
    expect(await plugin2.collectionsNamed('Brand')).toBe(1);
    await plugin2.windowScreenshot('migration-adopt-prompt');
    const problems = (world2.run(OWNER, 'refreshStatus') as SidebarState).problems.map((p) => p.code);
    expect(problems).toContain('ADOPTION_PENDING');
  });

  test('Not now leaves the file untouched and says how to adopt later', async () => {
    await plugin2.ui.locator('[data-test="decline-adoption"]').click();
    await plugin2.ui.locator('[data-test="adoption-later"]').waitFor();
    expect(await plugin2.ui.locator('[data-test="adoption-later"]').textContent()).toBe('Not adopted: the file is unchanged and this tab is not synced. Choose Adopt whenever you are ready.');
    expect(await plugin2.variableWrites()).toBe(0);
    expect(colour(await plugin2.boundValue(nodeId, 'Value'))).toBe('#0055ff');
  });

  test('Adopt adopts: the bound layer takes the sheet\'s value, the refused row and the Figma-only variable stay as they were', async () => {
    await plugin2.ui.locator('[data-test="adopt"]').click();
    await plugin2.ui.locator('[data-test="adopted-line"]').waitFor();
    const applied = (await plugin2.lastApplied())!;
    expect(applied.adopted!.map((a) => [a.tab, a.adopted, a.created, a.valuesChanged, a.figmaOnlyCount, a.exported])).toEqual([['Brand', 1, 1, 1, 1, false]]);
    expect(applied.problems.map((p) => [p.code, p.cell])).toEqual([['TYPE_DIFFERS', 'B3']]);
    expect(colour(await plugin2.boundValue(nodeId, 'Value'))).toBe('#ff0000');
    expect(await plugin2.collectionsNamed('Brand')).toBe(1);
    const variables = (await plugin2.variables()).filter((v) => v.collection === 'Brand').map((v) => v.name).sort();
    expect(variables).toEqual(['color/new', 'color/primary', 'legacy/only-in-figma', 'radius/md']);
  });
});
