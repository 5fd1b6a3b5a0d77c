// The grid cache in clientStorage: one entry per file naming its channel, read back only for that
// channel and only when intact, too-large grids skipped, least recently used files evicted first.

import { GridCache, type GridCacheEntry, type GridCacheLimits } from '../../../figma-plugin/main/grid-cache';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import type { Grid } from '../../../shared/protocol/grid';
import type { PairingLink } from '../../../shared/protocol/pairing-code';
import { quotaBytes } from '../../fakes/figma/fake-client-storage';
import { createFakeFigma } from '../../fakes/figma/fake-figma';

const LINK: PairingLink = { relayUrl: 'https://relay.example.com', channelId: 'channel-0123456789ab', token: 'tokentokentokentokentoken' };

/** A one-tab grid whose JSON is about `size` bytes (a long string in one cell). */
function gridOf(size: number, label = 'x'): Grid {
  return { tabs: [{ tabId: 1, name: 'Colors', rows: [['Name', 'Value'], [label, 'v'.repeat(Math.max(0, size - 60))]] }] };
}

function entry(seq: number, grid: Grid = gridOf(100), link: PairingLink = LINK): GridCacheEntry {
  return { relayUrl: link.relayUrl, channelId: link.channelId, position: { epoch: 'e1', seq }, hash: gridHash(grid), grid };
}

function setup(limits?: Partial<GridCacheLimits>) {
  const fake = createFakeFigma();
  let time = 1_000;
  const cache = new GridCache(fake.figma.clientStorage, () => time, { maxFiles: 4, maxEntryBytes: 2_000_000, totalBytes: 4_000_000, ...limits });
  const tick = (ms = 1000) => {
    time += ms;
  };
  return { fake, cache, tick, keys: () => [...fake.storage.keys()].sort() };
}

describe('writing and reading', () => {
  test('a written grid reads back for the same channel, with its position and hash', async () => {
    const { cache } = setup();
    const e = entry(7);
    await expect(cache.write('file-a', e)).resolves.toBe('written');
    await expect(cache.read('file-a', LINK)).resolves.toEqual({ position: { epoch: 'e1', seq: 7 }, hash: e.hash, grid: e.grid });
  });

  test('the entry is one value holding channel, position, hash and grid; its usage records the bytes Figma counts for it', async () => {
    const { cache, fake, keys } = setup();
    const e = entry(3);
    await cache.write('file-a', e);
    expect(keys()).toEqual(['grid-cache-use:file-a', 'grid-cache:file-a']);
    const stored = fake.storage.get('grid-cache:file-a');
    expect(stored).toEqual({ v: 2, relayUrl: LINK.relayUrl, channelId: LINK.channelId, position: { epoch: 'e1', seq: 3 }, hash: e.hash, grid: e.grid });
    expect(fake.storage.get('grid-cache-use:file-a')).toEqual({ bytes: quotaBytes('grid-cache:file-a', stored), usedAt: 1000, of: JSON.stringify([LINK.relayUrl, LINK.channelId, 'e1', 3]) });
  });

  test('writing the grid the cache already holds (same channel and position) writes nothing', async () => {
    const { cache, fake } = setup();
    await cache.write('file-a', entry(3));
    fake.log.reset();
    await expect(cache.write('file-a', entry(3))).resolves.toBe('unchanged');
    expect(fake.log.byName('write')).toEqual({});
  });

  test('a later write of the same file replaces its grid', async () => {
    const { cache } = setup();
    await cache.write('file-a', entry(3));
    const newer = entry(9, gridOf(200, 'newer'));
    await cache.write('file-a', newer);
    await expect(cache.read('file-a', LINK)).resolves.toEqual({ position: newer.position, hash: newer.hash, grid: newer.grid });
  });

  test('nothing cached reads as none and writes nothing', async () => {
    const { cache, fake } = setup();
    await expect(cache.read('file-a', LINK)).resolves.toBeUndefined();
    expect(fake.log.count('clientStorage.setAsync')).toBe(0);
  });

  test('reading marks the file used now', async () => {
    const { cache, fake, tick } = setup();
    await cache.write('file-a', entry(3));
    tick(5000);
    await cache.read('file-a', LINK);
    expect(fake.storage.get('grid-cache-use:file-a')).toMatchObject({ usedAt: 6000 });
  });

  test('an entry for another channel (the link changed since) reads as none and is removed', async () => {
    const { cache, keys } = setup();
    await cache.write('file-a', entry(3));
    await expect(cache.read('file-a', { ...LINK, channelId: 'channel-zzzzzzzzzzzz' })).resolves.toBeUndefined();
    expect(keys()).toEqual([]);
  });

  test('an entry for the same channel on another relay reads as none', async () => {
    const { cache } = setup();
    await cache.write('file-a', entry(3));
    await expect(cache.read('file-a', { ...LINK, relayUrl: 'https://other.example.com' })).resolves.toBeUndefined();
  });

  const good = () => ({ v: 2, relayUrl: LINK.relayUrl, channelId: LINK.channelId, position: { epoch: 'e1', seq: 3 }, hash: 'a'.repeat(64), grid: gridOf(100) });
  test.each<[string, unknown]>([
    ['not an object', 'grid'],
    ['an array', [good()]],
    ['the format of protocol v1 (its hash is a v1 hash)', { ...good(), v: 1 }],
    ['a later format', { ...good(), v: 3 }],
    ['no channel', { ...good(), channelId: undefined }],
    ['a position without seq', { ...good(), position: { epoch: 'e1' } }],
    ['an empty epoch', { ...good(), position: { epoch: '', seq: 3 } }],
    ['a hash that is not 64 hex digits', { ...good(), hash: 'ABC' }],
    ['a grid without tabs', { ...good(), grid: {} }],
    ['a cell holding an object', { ...good(), grid: { tabs: [{ tabId: 1, name: 'T', rows: [['Name', {}]] }] } }],
  ])('a damaged entry (%s) reads as none and is removed', async (_, damaged) => {
    const { cache, fake, keys } = setup();
    fake.storage.set('grid-cache:file-a', damaged);
    fake.storage.set('grid-cache-use:file-a', { bytes: 10, usedAt: 1 });
    await expect(cache.read('file-a', LINK)).resolves.toBeUndefined();
    expect(keys()).toEqual([]);
  });

  test('storage that cannot be read is no cache', async () => {
    const { cache, fake } = setup();
    await cache.write('file-a', entry(3));
    fake.clientStorage.faults.get = new Error('storage unavailable');
    await expect(cache.read('file-a', LINK)).resolves.toBeUndefined();
  });
});

describe('limits', () => {
  test('a grid over the entry limit is not cached, and the file’s older grid goes with it', async () => {
    const { cache, keys } = setup({ maxEntryBytes: 5_000 });
    await cache.write('file-a', entry(3));
    await expect(cache.write('file-a', entry(4, gridOf(6_000)))).resolves.toBe('too-large');
    expect(keys()).toEqual([]);
    await expect(cache.read('file-a', LINK)).resolves.toBeUndefined();
  });

  test('the default limits: 2 MB per grid, 4 MB in all (well under clientStorage’s 5 MB), four files', async () => {
    const fake = createFakeFigma();
    let time = 0;
    const cache = new GridCache(fake.figma.clientStorage, () => ++time);
    const cached = () => [...fake.storage.keys()].filter((k) => k.startsWith('grid-cache:')).sort();
    await expect(cache.write('file-a', entry(1, gridOf(2_000_001)))).resolves.toBe('too-large');
    for (const file of ['file-a', 'file-b', 'file-c']) await expect(cache.write(file, entry(1, gridOf(1_990_000)))).resolves.toBe('written');
    // Two grids of almost 2 MB fit in 4 MB; a third pushes out the oldest.
    expect(cached()).toEqual(['grid-cache:file-b', 'grid-cache:file-c']);
    for (const file of ['file-d', 'file-e', 'file-f']) await cache.write(file, entry(1, gridOf(100)));
    // A fifth file pushes out the least recently used by count.
    expect(cached()).toEqual(['grid-cache:file-c', 'grid-cache:file-d', 'grid-cache:file-e', 'grid-cache:file-f']);
    expect(fake.clientStorage.bytesUsed()).toBeLessThan(4_000_000);
  });

  test('a fifth file evicts the least recently used one; a file read since counts as recently used', async () => {
    const { cache, keys, tick } = setup();
    for (const file of ['file-a', 'file-b', 'file-c', 'file-d']) {
      await cache.write(file, entry(1));
      tick();
    }
    await cache.read('file-a', LINK);
    tick();
    await cache.write('file-e', entry(1));
    expect(keys().filter((k) => k.startsWith('grid-cache:'))).toEqual(['grid-cache:file-a', 'grid-cache:file-c', 'grid-cache:file-d', 'grid-cache:file-e']);
    expect(keys().filter((k) => k.startsWith('grid-cache-use:'))).toEqual(['grid-cache-use:file-a', 'grid-cache-use:file-c', 'grid-cache-use:file-d', 'grid-cache-use:file-e']);
  });

  test('the byte budget evicts from the least recently used until the new grid fits', async () => {
    const { cache, keys, tick } = setup({ maxEntryBytes: 5_000, totalBytes: 10_000 });
    for (const file of ['file-a', 'file-b', 'file-c']) {
      await cache.write(file, entry(1, gridOf(3_000)));
      tick();
    }
    // 3 entries of about 3.2 kB stored; one of about 4.1 kB more fits only without the two oldest.
    await cache.write('file-d', entry(1, gridOf(3_900)));
    expect(keys().filter((k) => k.startsWith('grid-cache:'))).toEqual(['grid-cache:file-c', 'grid-cache:file-d']);
  });

  test('eviction stops at the first file that does not fit: everything used before it goes too', async () => {
    const { cache, keys, tick } = setup({ maxEntryBytes: 6_000, totalBytes: 10_000 });
    await cache.write('file-small-old', entry(1, gridOf(500)));
    tick();
    await cache.write('file-big', entry(1, gridOf(5_000)));
    tick();
    await cache.write('file-new', entry(1, gridOf(5_500)));
    expect(keys().filter((k) => k.startsWith('grid-cache:'))).toEqual(['grid-cache:file-new']);
  });

  test('what an interrupted write left (a grid without its usage record, or the reverse) is removed at the next write; a damaged usage record evicts its file', async () => {
    const { cache, fake, keys } = setup();
    await cache.write('file-a', entry(1));
    fake.storage.set('grid-cache:file-stray', { v: 1 });
    fake.storage.set('grid-cache-use:file-lost', { bytes: 10, usedAt: 5, of: '[]' });
    fake.storage.set('grid-cache:file-b', entry(1));
    fake.storage.set('grid-cache-use:file-b', { bytes: 'many' });
    await cache.write('file-c', entry(1));
    expect(keys()).toEqual(['grid-cache-use:file-a', 'grid-cache-use:file-c', 'grid-cache:file-a', 'grid-cache:file-c']);
  });

  test('other data of the plugin is never touched', async () => {
    const { cache, fake } = setup();
    fake.storage.set('settings', { paused: true, review: false });
    for (const file of ['a1', 'b1', 'c1', 'd1', 'e1', 'f1']) await cache.write(`file-${file}`, entry(1));
    expect(fake.storage.get('settings')).toEqual({ paused: true, review: false });
  });

  test('a write refused by clientStorage’s quota reports failed and leaves nothing of that file', async () => {
    const fake = createFakeFigma({ clientStorageQuota: 3_000 });
    const cache = new GridCache(fake.figma.clientStorage, () => 0);
    fake.storage.set('settings', { note: 'n'.repeat(2_000) });
    await expect(cache.write('file-a', entry(1, gridOf(1_500)))).resolves.toBe('failed');
    expect([...fake.storage.keys()]).toEqual(['settings']);
  });

  test('removing a file drops its grid and its usage record', async () => {
    const { cache, keys } = setup();
    await cache.write('file-a', entry(1));
    await cache.write('file-b', entry(1));
    await cache.remove('file-a');
    expect(keys()).toEqual(['grid-cache-use:file-b', 'grid-cache:file-b']);
  });
});
