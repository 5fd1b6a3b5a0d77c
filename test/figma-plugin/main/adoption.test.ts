// The main thread with a file that already has the sheet's collection, made by hand and bound to
// layers: no twin at any step; adopting only when the designer agrees (or the file exported it); the
// adopted variables keep their ids, so every binding follows the sheet from then on.

import { NAMESPACE, SHARED_KEYS } from '../../../figma-plugin/main/plugin-data';
import { normalizeRows, type Grid } from '../../../shared/protocol/grid';
import { parseOffer } from '../../../shared/protocol/messages';
import { seedExistingFile, type SeedCollection } from '../../fakes/figma/existing-file';
import { grid, startHarness, tab, type Harness } from '../../fakes/figma/plugin-harness';

const rgb = (hex: string) => {
  const n = parseInt(hex.slice(1), 16);
  return { r: ((n >> 16) & 255) / 255, g: ((n >> 8) & 255) / 255, b: (n & 255) / 255, a: 1 };
};

/** Colors as the team made it in Figma: Light, Dark and a mode the sheet will not have (Print). */
const EXISTING: SeedCollection[] = [
  {
    name: 'Colors',
    modes: ['Light', 'Dark', 'Print'],
    variables: [
      { name: 'color/brand', type: 'COLOR', values: [rgb('#0055ff'), rgb('#3377ff'), rgb('#000000')] },
      { name: 'color/text', type: 'COLOR', values: [rgb('#111111'), rgb('#eeeeee'), rgb('#000000')] },
      { name: 'radius/md', type: 'FLOAT', values: [8, 8, 8] },
      { name: 'legacy/only-in-figma', type: 'STRING', values: ['a', 'b', 'c'] },
    ],
  },
];

/** The sheet's Colors: brand changes in Dark, radius/md is written as a colour, color/new is new. */
const SHEET: Grid = grid(
  tab(1, 'Colors', [
    ['Name', 'Light', 'Dark'],
    ['color/brand', '#0055ff', '#ff0000'],
    ['color/text', '#111111', '#eeeeee'],
    ['radius/md', '#abcdef', '#abcdef'],
    ['color/new', '#00ff00', '#00ff00'],
  ]),
);

async function existingFile(): Promise<{ h: Harness; brandNode: ReturnType<Harness['fake']['createNode']>; brandId: string }> {
  const h = await startHarness();
  const seeded = seedExistingFile(h.fake.variables, h.fake.file, EXISTING);
  const brand = seeded.variables.get('Colors::color/brand')!;
  const brandNode = h.fake.createNode();
  brandNode.setBoundVariable('fills', brand);
  return { h, brandNode, brandId: brand.id };
}

const darkMode = (h: Harness) => h.fake.collectionNamed('Colors')!.modesRaw().find((m) => m.name === 'Dark')!.modeId;

describe('a sheet tab named like a collection the file already has', () => {
  test('is not synced until the designer adopts it: nothing is written, and the window gets what adopting means', async () => {
    const { h } = await existingFile();
    const applied = await h.apply(SHEET);
    expect(h.fake.log.variableWrites()).toBe(0);
    expect(h.fake.file.collectionsNamed('Colors')).toBe(1);
    expect(applied.problems.map((p) => p.code)).toEqual(['ADOPTION_PENDING']);
    expect(applied.adoptions).toEqual([
      expect.objectContaining({
        tab: 'Colors',
        adopted: 2,
        created: 1,
        valuesChanged: 1,
        figmaOnly: ['legacy/only-in-figma'],
        figmaOnlyCount: 1,
        typeDiffers: 1,
        modesAdded: [],
        modesKept: ['Print'],
        declined: false,
      }),
    ]);
    const view = applied.adoptions![0]!;
    expect(view.lines).toEqual(['Colors: new color variable "color/new"', 'color/brand (Dark): #3377ff → #ff0000', 'color/new (Light): (none) → #00ff00', 'color/new (Dark): (none) → #00ff00']);
    expect(view.problems.map((p) => [p.code, p.cell])).toEqual([['TYPE_DIFFERS', 'B4']]);
  });

  test('adopted on the designer\'s word: same variable ids (so the bound layer follows the sheet), marks, the differing value, the new row; the Print mode and the Figma-only variable stay', async () => {
    const { h, brandNode, brandId } = await existingFile();
    await h.apply(SHEET);
    const collectionId = h.fake.collectionNamed('Colors')!.id;
    await h.send({ type: 'adopt', collectionIds: [collectionId] });
    h.fake.log.reset();
    const applied = await h.apply(SHEET);
    expect(applied.adopted).toEqual([{ collectionId, tab: 'Colors', adopted: 2, created: 1, valuesChanged: 1, detailsChanged: 0, figmaOnlyCount: 1, modesKept: ['Print'], exported: false }]);
    expect(applied.adoptions).toBeUndefined();
    expect(applied.counts).toEqual({ created: 1, updated: 1, unchanged: 1, adopted: 2 });
    expect(applied.problems.map((p) => p.code)).toEqual(['TYPE_DIFFERS']);
    expect(h.fake.log.byName('write')).toEqual({
      'Variable.setSharedPluginData': 3,
      'Variable.setValueForMode': 3,
      'VariableCollection.setSharedPluginData': 1,
      'variables.createVariable': 1,
    });
    expect(h.fake.file.collectionsNamed('Colors')).toBe(1);
    expect(brandNode.boundVariables.fills!.id).toBe(brandId);
    expect(h.fake.file.variables.get(brandId)!.valueRaw(darkMode(h))).toEqual({ r: 1, g: 0, b: 0, a: 1 });
    expect(h.fake.collectionNamed('Colors')!.modesRaw().map((m) => m.name)).toEqual(['Light', 'Dark', 'Print']);
    expect(h.fake.variableNamed('Colors', 'legacy/only-in-figma')!.sharedPluginDataRaw(NAMESPACE, SHARED_KEYS.origin)).toBe('');

    // From now on the adopted collection is the sheet's: an edit reaches the bound layer's variable.
    const edited = grid(tab(1, 'Colors', [['Name', 'Light', 'Dark'], ['color/brand', '#0055ff', '#00ffff'], ['color/text', '#111111', '#eeeeee'], ['radius/md', '#abcdef', '#abcdef'], ['color/new', '#00ff00', '#00ff00']]));
    h.fake.log.reset();
    const next = await h.apply(edited, 2);
    expect(next.adopted).toBeUndefined();
    expect(h.fake.log.byName('write')).toEqual({ 'Variable.setValueForMode': 1, 'root.setSharedPluginData': 1 });
    expect(h.fake.file.variables.get(brandNode.boundVariables.fills!.id)!.valueRaw(darkMode(h))).toEqual({ r: 0, g: 1, b: 1, a: 1 });
    expect(h.fake.file.collectionsNamed('Colors')).toBe(1);
  });

  test('declined ("Not now"): the file stays untouched and the window still lists it, marked declined, to adopt later', async () => {
    const { h } = await existingFile();
    await h.apply(SHEET);
    const collectionId = h.fake.collectionNamed('Colors')!.id;
    await h.send({ type: 'decline-adoption', collectionIds: [collectionId] });
    h.fake.log.reset();
    const again = await h.apply(SHEET, 2);
    expect(h.fake.log.variableWrites()).toBe(0);
    expect(again.adoptions!.map((a) => [a.tab, a.declined])).toEqual([['Colors', true]]);
    expect(h.fake.file.collectionsNamed('Colors')).toBe(1);
  });

  test('exported from this file and imported into the sheet: adopted without asking, writing only the marks', async () => {
    const h = await startHarness();
    seedExistingFile(h.fake.variables, h.fake.file, [{ ...EXISTING[0]!, variables: EXISTING[0]!.variables.slice(0, 3) }]);
    await h.send({ type: 'export-request' });
    const exported = h.fake.ui.last('export');
    const offer = parseOffer(JSON.parse(exported.offerText));
    if (!offer.ok) throw new Error(offer.message);
    expect(exported.problems).toEqual([]);
    expect(offer.value.collections.map((c) => [c.name, c.modes, c.variables])).toEqual([['Colors', ['Light', 'Dark', 'Print'], 3]]);
    await h.send({ type: 'exported', collectionIds: offer.value.collections.map((c) => c.collectionId) });
    expect(JSON.parse(h.fake.rootShared(NAMESPACE).get(SHARED_KEYS.exported)!)).toEqual({ collectionIds: [offer.value.collections[0]!.collectionId] });

    const imported = grid(...offer.value.collections.map((c, i) => tab(100 + i, c.name, normalizeRows(c.values))));
    h.fake.log.reset();
    const applied = await h.apply(imported);
    expect(applied.adopted).toEqual([expect.objectContaining({ tab: 'Colors', adopted: 3, created: 0, valuesChanged: 0, detailsChanged: 0, exported: true })]);
    expect(applied.problems).toEqual([]);
    expect(h.fake.log.byName('write')).toEqual({ 'Variable.setSharedPluginData': 3, 'VariableCollection.setSharedPluginData': 1, 'root.setSharedPluginData': 2 });
    // The record did its work: it is cleared (one of the two document writes; the other is the position).
    expect(h.fake.rootShared(NAMESPACE).get(SHARED_KEYS.exported) ?? '').toBe('');
    expect((await h.apply(imported, 2)).counts).toEqual({ created: 0, updated: 0, unchanged: 3 });
  });
});
