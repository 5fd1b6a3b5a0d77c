// Send to sheet on the main thread: the file read afresh, every local collection offered (never a
// library one, never a zombie, which is reported), a chosen subset exported, the offer valid as the
// protocol says, the file untouched.

import { PLUGIN_NOTICE_CODES } from '../../../figma-plugin/main/figma-refusals';
import { parseOffer, type Offer } from '../../../shared/protocol/messages';
import { seedExistingFile } from '../../fakes/figma/existing-file';
import { startHarness, type Harness } from '../../fakes/figma/plugin-harness';

async function file(): Promise<Harness> {
  const h = await startHarness();
  seedExistingFile(h.fake.variables, h.fake.file, [
    { name: 'Primitives', modes: ['Value'], variables: [{ name: 'space/4', type: 'FLOAT', values: [16] }] },
    { name: 'Semantic', modes: ['Light', 'Dark'], variables: [{ name: 'gap', type: 'FLOAT', values: [{ alias: 'Primitives::space/4' }, 8] }] },
  ]);
  h.fake.variables.importLibraryVariable('Library', 'brand', 'COLOR');
  return h;
}

function offerOf(h: Harness): Offer {
  const parsed = parseOffer(JSON.parse(h.fake.ui.last('export').offerText));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

describe('export-request', () => {
  test('offers every local collection (no library one) as tabs, in a valid offer, writing nothing', async () => {
    const h = await file();
    h.fake.log.reset();
    await h.send({ type: 'export-request' });
    const message = h.fake.ui.last('export');
    expect(message.choices.map((c) => [c.name, c.variables, c.selected])).toEqual([
      ['Primitives', 1, true],
      ['Semantic', 1, true],
    ]);
    expect(message.problems).toEqual([]);
    const offer = offerOf(h);
    expect(offer.file.name).toBe('Design system');
    expect(offer.collections.map((c) => [c.name, c.values])).toEqual([
      ['Primitives', [['Name', 'Value'], ['space/4', 16]]],
      ['Semantic', [['Name', 'Light', 'Dark'], ['gap', '{space/4}', 8]]],
    ]);
    expect(h.fake.log.variableWrites()).toBe(0);
  });

  test('a chosen subset is exported; an alias into a collection left out is reported and its row left out', async () => {
    const h = await file();
    const semantic = h.fake.collectionNamed('Semantic')!.id;
    await h.send({ type: 'export-request', collectionIds: [semantic] });
    const message = h.fake.ui.last('export');
    expect(message.choices.map((c) => [c.name, c.selected])).toEqual([
      ['Primitives', false],
      ['Semantic', true],
    ]);
    expect(message.problems.map((p) => [p.code, p.tab])).toEqual([['EXPORT_ALIAS_OUTSIDE', 'Semantic']]);
    expect(offerOf(h).collections.map((c) => [c.name, c.variables])).toEqual([['Semantic', 0]]);
  });

  test('variables Figma lists from a deleted collection are skipped and reported once', async () => {
    const h = await file();
    const old = h.fake.variables.createVariableCollection('Old');
    h.fake.variables.createVariable('legacy/a', old, 'FLOAT');
    h.fake.file.makeZombies(old, { listed: false, variableReads: 'work' });
    await h.send({ type: 'export-request' });
    const message = h.fake.ui.last('export');
    expect(message.choices.map((c) => c.name)).toEqual(['Primitives', 'Semantic']);
    expect(message.problems.map((p) => p.code)).toEqual([PLUGIN_NOTICE_CODES.unreadable]);
  });

  test('exported records the collections in shared plugin data, once each', async () => {
    const h = await file();
    const ids = [h.fake.collectionNamed('Primitives')!.id, h.fake.collectionNamed('Semantic')!.id];
    await h.send({ type: 'exported', collectionIds: [ids[0]!] });
    await h.send({ type: 'exported', collectionIds: ids });
    expect(JSON.parse(h.fake.rootShared('sheetsfigmasync').get('exported-collections')!)).toEqual({ collectionIds: ids });
  });
});
