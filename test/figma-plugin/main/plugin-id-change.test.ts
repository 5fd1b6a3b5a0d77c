// Publishing gives the plugin a new id ("This ID will be assigned to you by Figma"), and private plugin
// data and clientStorage "become inaccessible if your plugin ID changes". What the sync must still
// recognise (the marks on what it created, the position) lives in shared plugin data; the pairing
// link's token stays private, and the file still says which sheet it was linked to.

import { NAMESPACE, SHARED_KEYS } from '../../../figma-plugin/main/plugin-data';
import { grid, startHarness, tab } from '../../fakes/figma/plugin-harness';

const LINK = { relayUrl: 'https://relay.example.com', channelId: 'abcdefghijklmnop', token: 'tokentokentokentokentoken' };
const BASE = grid(
  tab(1, 'Colors', [
    ['Name', 'Light', 'Dark'],
    ['color/brand', '#0055ff', '#3377ff'],
    ['color/text', '#111111', '#eeeeee'],
  ]),
  tab(2, 'Spacing', [
    ['Name', 'Value'],
    ['space/1', 4],
  ]),
);
const PUBLISHED_ID = '1234567890123456789';

describe('a plugin whose id changed (published)', () => {
  test('recognises every collection and variable it created before: the next sync creates no twin and writes nothing', async () => {
    const h = await startHarness();
    await h.send({ type: 'link-save', link: LINK });
    await h.apply(BASE, 1);
    h.fake.changePluginId(PUBLISHED_ID);
    const published = h.reopen();
    h.fake.log.reset();
    const applied = await published.apply(BASE, 2);
    expect(applied.counts).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(applied.orphans).toEqual([]);
    expect(h.fake.log.variableWrites()).toBe(0);
    expect([...h.fake.file.collections.values()].map((c) => c.nameRaw)).toEqual(['Colors', 'Spacing']);
  });

  test('keeps the position, and says which sheet the file was linked to (relay and channel, never the token) so the designer pastes its code again', async () => {
    const h = await startHarness({ fileName: 'Brand kit' });
    await h.send({ type: 'link-save', link: LINK });
    await h.send({ type: 'apply', position: { epoch: 'e1', seq: 4 }, grid: BASE, title: 'Brand tokens' });
    h.fake.changePluginId(PUBLISHED_ID);
    const published = h.reopen();
    await published.send({ type: 'ui-ready' });
    expect(h.fake.ui.last('init')).toEqual({
      type: 'init',
      linkHint: { relayUrl: LINK.relayUrl, channelId: LINK.channelId, title: 'Brand tokens' },
      position: { epoch: 'e1', seq: 4 },
      fileName: 'Brand kit',
      settings: { paused: false, review: false },
      orphans: [],
    });
    const shared = [...h.fake.rootShared(NAMESPACE).values()].join('\n');
    expect(shared).not.toContain(LINK.token);
  });

  test('pasting the code again under the new id resumes from the kept position', async () => {
    const h = await startHarness();
    await h.send({ type: 'link-save', link: LINK });
    await h.apply(BASE, 4);
    h.fake.changePluginId(PUBLISHED_ID);
    const published = h.reopen();
    await published.send({ type: 'link-save', link: LINK });
    await published.send({ type: 'ui-ready' });
    expect(h.fake.ui.last('init')).toMatchObject({ link: LINK, position: { epoch: 'e1', seq: 4 } });
  });
});

describe('a file an earlier build synced (its marks in private plugin data)', () => {
  /** What the earlier build left: the same sync, with every mark moved back into private plugin data. */
  async function syncedByEarlierBuild() {
    const h = await startHarness();
    await h.send({ type: 'link-save', link: LINK });
    await h.apply(BASE, 1);
    const objects = [...h.fake.file.collections.values(), ...h.fake.file.variables.values()];
    for (const o of objects) {
      const store = o.pluginDataStore;
      const mark = store.sharedEntries(NAMESPACE).get(SHARED_KEYS.origin)!;
      store.sharedEntries(NAMESPACE).delete(SHARED_KEYS.origin);
      store.privateEntries().set('origin', mark);
    }
    const position = h.fake.rootShared(NAMESPACE).get(SHARED_KEYS.position)!;
    h.fake.rootShared(NAMESPACE).clear();
    h.fake.rootData.set('position', position);
    return { h, objects };
  }

  test('is recognised, and its marks are copied into shared plugin data at the next sync', async () => {
    const { h, objects } = await syncedByEarlierBuild();
    const upgraded = h.reopen();
    const applied = await upgraded.apply(BASE, 2);
    expect(applied.counts).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(objects.map((o) => o.sharedPluginDataRaw(NAMESPACE, SHARED_KEYS.origin) !== '')).toEqual(objects.map(() => true));
  });

  test('after the upgrade and then an id change, the sync still recognises everything', async () => {
    const { h } = await syncedByEarlierBuild();
    await h.reopen().apply(BASE, 2);
    h.fake.changePluginId(PUBLISHED_ID);
    const applied = await h.reopen().apply(BASE, 3);
    expect(applied.counts).toEqual({ created: 0, updated: 0, unchanged: 3 });
  });

  test('the position the earlier build kept privately is read, so the first opening after the upgrade resumes from it', async () => {
    const { h } = await syncedByEarlierBuild();
    const upgraded = h.reopen();
    await upgraded.send({ type: 'ui-ready' });
    expect(h.fake.ui.last('init')).toMatchObject({ link: LINK, position: { epoch: 'e1', seq: 1 } });
  });
});
