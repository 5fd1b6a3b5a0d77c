// The fake clientStorage behaves as Figma documents it: asynchronous, copies in and out, only the
// value kinds Figma stores, and a quota of key plus JSON bytes whose overflow is refused.

import { CallLog, FIGMA_LIKE_COSTS, VirtualClock } from './call-log';
import { CLIENT_STORAGE_QUOTA, FakeClientStorage, quotaBytes } from './fake-client-storage';

const storage = (quota?: number) => new FakeClientStorage(new CallLog(new VirtualClock(), FIGMA_LIKE_COSTS), quota);

test('every call answers with a promise and takes effect only after the caller’s current turn', async () => {
  const s = storage();
  const set = s.setAsync('k', 1);
  expect(s.data.has('k')).toBe(false);
  expect(set).toBeInstanceOf(Promise);
  expect(s.getAsync('k')).toBeInstanceOf(Promise);
  expect(s.deleteAsync('x')).toBeInstanceOf(Promise);
  expect(s.keysAsync()).toBeInstanceOf(Promise);
  await set;
  await expect(s.getAsync('k')).resolves.toBe(1);
});

test('values go in and come out as copies, so changing one afterwards changes nothing stored', async () => {
  const s = storage();
  const value = { grid: { tabs: [{ rows: [['a', 1, true, null]] }] }, bytes: new Uint8Array([1, 2]) };
  await s.setAsync('k', value);
  value.grid.tabs[0]!.rows[0]![0] = 'changed';
  const read = (await s.getAsync('k')) as typeof value;
  expect(read).toEqual({ grid: { tabs: [{ rows: [['a', 1, true, null]] }] }, bytes: new Uint8Array([1, 2]) });
  read.grid.tabs[0]!.rows[0]![0] = 'changed again';
  await expect(s.getAsync('k')).resolves.toEqual({ grid: { tabs: [{ rows: [['a', 1, true, null]] }] }, bytes: new Uint8Array([1, 2]) });
});

test('a key never set reads as undefined; delete of a missing key does nothing; keys lists what is stored', async () => {
  const s = storage();
  await s.setAsync('a', 'x');
  await s.setAsync('b', 'y');
  await s.deleteAsync('a');
  await s.deleteAsync('never');
  await expect(s.getAsync('a')).resolves.toBeUndefined();
  await expect(s.keysAsync()).resolves.toEqual(['b']);
});

test.each([
  ['a function', { f: () => 1 }, 'value.f is a function'],
  ['a Date', { at: new Date(0) }, 'value.at is a Date, not a plain object'],
  ['a Map', new Map(), 'value is a Map, not a plain object'],
  ['NaN', [1, Number.NaN], 'value[1] is NaN, which JSON cannot hold'],
  ['a bigint', { n: BigInt(1) }, 'value.n is a bigint'],
])('a value holding %s is refused and nothing is stored', async (_, value, why) => {
  const s = storage();
  await expect(s.setAsync('k', value)).rejects.toThrow(new TypeError(`clientStorage.setAsync("k"): cannot store this value: ${why}`));
  expect(s.data.has('k')).toBe(false);
});

test('a value that refers back to itself is refused', async () => {
  const s = storage();
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  await expect(s.setAsync('k', loop)).rejects.toThrow(new TypeError('clientStorage.setAsync("k"): cannot store this value: value.self refers back to itself'));
});

test('the quota counts each key plus its value as JSON in UTF-8 (a Uint8Array by its length)', () => {
  expect(quotaBytes('key', { a: 'é' })).toBe(3 + '{"a":"é"}'.length + 1);
  expect(quotaBytes('k', new Uint8Array(10))).toBe(11);
  expect(CLIENT_STORAGE_QUOTA).toBe(5_000_000);
});

test('a write past the quota is refused with an error and leaves the old value; replacing a value counts only the new one', async () => {
  const s = storage(100);
  await s.setAsync('a', 'x'.repeat(50));
  expect(s.bytesUsed()).toBe(1 + 52);
  await expect(s.setAsync('b', 'y'.repeat(50))).rejects.toThrow(new Error('clientStorage.setAsync("b"): storing 53 bytes would use 106 of the 100 bytes this plugin may keep'));
  expect([...s.data.keys()]).toEqual(['a']);
  await s.setAsync('a', 'z'.repeat(90));
  await expect(s.getAsync('a')).resolves.toBe('z'.repeat(90));
});

test('faults make the calls reject, for storage that fails', async () => {
  const s = storage();
  s.faults.get = new Error('read failed');
  s.faults.set = new Error('write failed');
  await expect(s.getAsync('k')).rejects.toThrow('read failed');
  await expect(s.keysAsync()).rejects.toThrow('read failed');
  await expect(s.setAsync('k', 1)).rejects.toThrow('write failed');
  await expect(s.deleteAsync('k')).rejects.toThrow('write failed');
});

test('storage belongs to the plugin id: under a new id it starts empty, and the old id still has its keys', async () => {
  const identity = { id: 'sheets-figma-sync' };
  const s = new FakeClientStorage(new CallLog(new VirtualClock(), FIGMA_LIKE_COSTS), undefined, identity);
  await s.setAsync('settings', { paused: true });
  identity.id = '1234567890';
  await expect(s.getAsync('settings')).resolves.toBeUndefined();
  await expect(s.keysAsync()).resolves.toEqual([]);
  identity.id = 'sheets-figma-sync';
  await expect(s.getAsync('settings')).resolves.toEqual({ paused: true });
});
