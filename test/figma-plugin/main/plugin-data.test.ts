// What the plugin keeps in plugin data and clientStorage, and how damaged data is read.

import { DocumentStore, KEYS, NAMESPACE, SHARED_KEYS, decodeLink, decodeLinkHint, decodePosition, decodeSettings, newFileId } from '../../../figma-plugin/main/plugin-data';
import { createFakeFigma } from '../../fakes/figma/fake-figma';

describe('document state', () => {
  const LINK = { relayUrl: 'https://relay.example.com', channelId: 'abcdefghijklmnop', token: 't'.repeat(30) };

  test('the link is stored privately, its hint and the position in shared plugin data, and clearing the link clears all three', () => {
    const fake = createFakeFigma();
    const store = new DocumentStore(fake.figma.root);
    store.saveLink(LINK);
    store.savePosition({ epoch: 'e', seq: 3 }, undefined);
    expect(new DocumentStore(fake.figma.root).link()).toEqual(LINK);
    expect(new DocumentStore(fake.figma.root).position()).toEqual({ epoch: 'e', seq: 3 });
    expect(Object.fromEntries(fake.rootShared(NAMESPACE))).toEqual({
      [SHARED_KEYS.linkHint]: JSON.stringify({ relayUrl: LINK.relayUrl, channelId: LINK.channelId }),
      [SHARED_KEYS.position]: '{"epoch":"e","seq":3}',
    });
    expect([...fake.rootData.keys()]).toEqual([KEYS.link]);
    store.clearLink();
    expect([[...fake.rootData.keys()], [...fake.rootShared(NAMESPACE).keys()]]).toEqual([[], []]);
  });

  test('storing the position it already has writes nothing', () => {
    const fake = createFakeFigma();
    const store = new DocumentStore(fake.figma.root);
    store.savePosition({ epoch: 'e', seq: 3 }, { epoch: 'e', seq: 3 });
    expect(fake.log.count('root.setSharedPluginData')).toBe(0);
    store.savePosition({ epoch: 'f', seq: 3 }, { epoch: 'e', seq: 3 });
    expect(fake.rootShared(NAMESPACE).get(SHARED_KEYS.position)).toBe('{"epoch":"f","seq":3}');
  });

  test('a position only an earlier build kept (privately) is read, and written shared at the next save even when unchanged', () => {
    const fake = createFakeFigma();
    fake.rootData.set(KEYS.legacyPosition, '{"epoch":"e","seq":3}');
    const store = new DocumentStore(fake.figma.root);
    const known = store.position();
    expect(known).toEqual({ epoch: 'e', seq: 3 });
    store.savePosition({ epoch: 'e', seq: 3 }, known);
    expect(fake.rootShared(NAMESPACE).get(SHARED_KEYS.position)).toBe('{"epoch":"e","seq":3}');
    store.clearLink();
    expect(new DocumentStore(fake.figma.root).position()).toBeUndefined();
  });

  test('the sheet\'s title joins the hint once known, and is written again only when it changes', () => {
    const fake = createFakeFigma();
    const store = new DocumentStore(fake.figma.root);
    store.saveLink(LINK);
    store.saveTitle('Brand tokens');
    const writes = fake.log.count('root.setSharedPluginData');
    store.saveTitle('Brand tokens');
    expect(store.linkHint()).toEqual({ relayUrl: LINK.relayUrl, channelId: LINK.channelId, title: 'Brand tokens' });
    expect(fake.log.count('root.setSharedPluginData')).toBe(writes);
    store.saveLink({ ...LINK, token: 'u'.repeat(30) });
    expect(store.linkHint()?.title).toBe('Brand tokens');
  });

  test('a hint without a relay or channel is no hint', () => {
    expect([decodeLinkHint('{"relayUrl":"https://r.example.com"}'), decodeLinkHint('x'), decodeLinkHint('')]).toEqual([undefined, undefined, undefined]);
  });

  test.each([
    ['an empty epoch', '{"epoch":"","seq":1}'],
    ['a negative seq', '{"epoch":"e","seq":-1}'],
    ['no seq', '{"epoch":"e"}'],
  ])('a position with %s is no position', (_, text) => {
    expect(decodePosition(text)).toBeUndefined();
  });

  test('the file id is made on first use from 20 characters of [a-z0-9], stored on the root, and kept after', () => {
    const fake = createFakeFigma();
    const store = new DocumentStore(fake.figma.root);
    expect(store.fileId()).toBeUndefined();
    let n = 0;
    const id = store.ensureFileId(() => (n++ % 36) / 36);
    expect(id).toBe('abcdefghijklmnopqrst');
    expect(fake.rootData.get(KEYS.fileId)).toBe(id);
    expect(new DocumentStore(fake.figma.root).ensureFileId(() => 0.5)).toBe(id);
    expect(fake.log.count('root.setPluginData')).toBe(1);
  });

  test('clearing the link keeps the file id: it names the file, not the sheet', () => {
    const fake = createFakeFigma();
    const store = new DocumentStore(fake.figma.root);
    const id = store.ensureFileId();
    store.saveLink({ relayUrl: 'https://relay.example.com', channelId: 'abcdefghijklmnop', token: 't'.repeat(30) });
    store.clearLink();
    expect(store.fileId()).toBe(id);
  });

  test.each([
    ['too short', 'abc'],
    ['capitals', 'ABCDEFGHIJKLMNOPQRST'],
    ['a separator', 'abcdefghij:klmnopqrs'],
  ])('a file id with %s is no id, and a new one replaces it', (_, text) => {
    const fake = createFakeFigma();
    fake.rootData.set(KEYS.fileId, text);
    const store = new DocumentStore(fake.figma.root);
    expect(store.fileId()).toBeUndefined();
    expect(store.ensureFileId()).toMatch(/^[a-z0-9]{20}$/);
  });

  test('newFileId never steps outside its alphabet, even for a random() of almost 1', () => {
    expect(newFileId(() => 0.9999999999)).toBe('9'.repeat(20));
    expect(newFileId(() => 0)).toBe('a'.repeat(20));
  });

  test('a link missing its token is no link', () => {
    expect(decodeLink('{"relayUrl":"https://r.example.com","channelId":"abcdefghijklmnop"}')).toBeUndefined();
  });
});

describe('settings', () => {
  test('missing or damaged settings fall back to the defaults field by field', () => {
    expect(decodeSettings(undefined)).toEqual({ paused: false, review: false });
    expect(decodeSettings({ paused: 'yes', review: true })).toEqual({ paused: false, review: true });
  });
});
