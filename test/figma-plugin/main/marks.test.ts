// The marks that make the sync recognise what it created: encoded and decoded, read shared first
// and from an earlier build's private plugin data otherwise, written shared.

import { FileMirror } from '../../../figma-plugin/main/file-state';
import {
  LEGACY_MARK_KEY,
  decodeCollectionOrigin,
  decodeVariableOrigin,
  encodeCollectionOrigin,
  encodeVariableOrigin,
  migrateLegacyMarks,
  readVariableMark,
  writeVariableMark,
} from '../../../figma-plugin/main/marks';
import { NAMESPACE, SHARED_KEYS } from '../../../figma-plugin/main/plugin-data';
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


describe('reading and writing', () => {
  function setup() {
    const fake = createFakeFigma();
    const collection = fake.variables.createVariableCollection('Theme');
    const v = fake.variables.createVariable('a', collection, 'FLOAT');
    return { fake, collection, v };
  }

  test('a mark is written in shared plugin data under the product\'s namespace', () => {
    const { v } = setup();
    writeVariableMark(v, { tabId: 1, rowName: 'a', row: 2 });
    expect(v.sharedPluginDataRaw(NAMESPACE, SHARED_KEYS.origin)).toBe('{"tabId":1,"rowName":"a","row":2}');
    expect(v.pluginDataRaw(LEGACY_MARK_KEY)).toBe('');
  });

  test('the shared mark wins over an earlier build\'s private one; the private one is read only when no shared one exists', () => {
    const { v } = setup();
    v.setPluginData(LEGACY_MARK_KEY, '{"tabId":1,"rowName":"old","row":2}');
    expect(readVariableMark(v)).toEqual({ origin: { tabId: 1, rowName: 'old', row: 2 }, legacy: true });
    writeVariableMark(v, { tabId: 1, rowName: 'new', row: 2 });
    expect(readVariableMark(v)).toEqual({ origin: { tabId: 1, rowName: 'new', row: 2 }, legacy: false });
  });

  test('migrating copies each private-only mark to shared plugin data once, and skips an object deleted meanwhile', async () => {
    const { fake, collection, v } = setup();
    collection.setPluginData(LEGACY_MARK_KEY, JSON.stringify({ tabId: 1, modeColumns: { [collection.defaultModeRaw]: 2 } }));
    v.setPluginData(LEGACY_MARK_KEY, '{"tabId":1,"rowName":"a","row":2}');
    const gone = fake.variables.createVariable('b', collection, 'FLOAT');
    gone.setPluginData(LEGACY_MARK_KEY, '{"tabId":1,"rowName":"b","row":3}');
    const mirror = await FileMirror.load(fake.variables);
    expect(mirror.legacyMarked().sort()).toEqual([collection.id, v.id, gone.id].sort());
    gone.remove();
    expect(await migrateLegacyMarks(mirror, { scheduler: fake.scheduler })).toBe(2);
    expect(mirror.legacyMarked()).toEqual([]);
    expect(JSON.parse(collection.sharedPluginDataRaw(NAMESPACE, SHARED_KEYS.origin))).toEqual({ tabId: 1, modeColumns: { [collection.defaultModeRaw]: 2 } });
    expect(v.sharedPluginDataRaw(NAMESPACE, SHARED_KEYS.origin)).toBe('{"tabId":1,"rowName":"a","row":2}');
  });
});
