// What the plugin keeps in plugin data and clientStorage, and how damaged data is read.

import {
  DocumentStore,
  KEYS,
  decodeCollectionOrigin,
  decodeLink,
  decodePosition,
  decodeSettings,
  decodeVariableOrigin,
  encodeCollectionOrigin,
  encodeVariableOrigin,
  newFileId,
} from '../../../figma-plugin/main/plugin-data';
import { createFakeFigma } from '../../fakes/figma/fake-figma';

describe('origins', () => {
  test('a variable origin survives encoding', () => {
    const origin = { tabId: 12, rowName: 'color/brand', row: 7 };
    expect(decodeVariableOrigin(encodeVariableOrigin(origin))).toEqual(origin);
  });

  test('an orphan mark survives encoding, so a later row cannot adopt the orphan', () => {
    const origin = { tabId: 12, rowName: 'color/old', row: 9, orphaned: true };
    expect(decodeVariableOrigin(encodeVariableOrigin(origin))).toEqual(origin);
  });

  test('a collection origin survives encoding', () => {
    const origin = { tabId: 0, modeColumns: { '1:2': 2, '1:3': 5 } };
    expect(decodeCollectionOrigin(encodeCollectionOrigin(origin))).toEqual(origin);
  });

  test.each([
    ['no data', ''],
    ['not JSON', '{tabId'],
    ['an array', '[1]'],
    ['a negative tab id', '{"tabId":-1,"rowName":"a","row":2}'],
    ['a fractional row', '{"tabId":1,"rowName":"a","row":2.5}'],
    ['row 0', '{"tabId":1,"rowName":"a","row":0}'],
    ['a missing row name', '{"tabId":1,"row":2}'],
  ])('a variable origin with %s is no origin (the variable is then not the sync\'s)', (_, text) => {
    expect(decodeVariableOrigin(text)).toBeUndefined();
  });

  test.each([
    ['no mode columns', '{"tabId":1}'],
    ['a mode column that is not a column', '{"tabId":1,"modeColumns":{"1:2":"B"}}'],
    ['mode columns as an array', '{"tabId":1,"modeColumns":[2]}'],
  ])('a collection origin with %s is no origin', (_, text) => {
    expect(decodeCollectionOrigin(text)).toBeUndefined();
  });
});

describe('document state', () => {
  test('the link and the position are stored on the document root, and clearing the link clears both', () => {
    const fake = createFakeFigma();
    const store = new DocumentStore(fake.figma.root);
    const link = { relayUrl: 'https://relay.example.com', channelId: 'abcdefghijklmnop', token: 't'.repeat(30) };
    store.saveLink(link);
    store.savePosition({ epoch: 'e', seq: 3 }, undefined);
    expect(new DocumentStore(fake.figma.root).link()).toEqual(link);
    expect(new DocumentStore(fake.figma.root).position()).toEqual({ epoch: 'e', seq: 3 });
    store.clearLink();
    expect([...fake.rootData.keys()]).toEqual([]);
  });

  test('storing the position it already has writes nothing', () => {
    const fake = createFakeFigma();
    const store = new DocumentStore(fake.figma.root);
    store.savePosition({ epoch: 'e', seq: 3 }, { epoch: 'e', seq: 3 });
    expect(fake.log.count('root.setPluginData')).toBe(0);
    store.savePosition({ epoch: 'f', seq: 3 }, { epoch: 'e', seq: 3 });
    expect(fake.rootData.get(KEYS.position)).toBe('{"epoch":"f","seq":3}');
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
