// The offer store, both homes held to one contract: the newest few per channel, each until it
// expires, all within a byte bound; replacing an offer of the same id; sweeping the expired ones.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../relay/logger';
import type { OfferStore, StoredOffer } from '../../relay/offer-store';
import { RedisOfferStore } from '../../relay/redis-offer-store';
import { SqliteOfferStore } from '../../relay/sqlite-offer-store';
import { startRedis, type TestRedis } from '../helpers/redis-server';

let redis: TestRedis;
const dirs: string[] = [];
const stores: OfferStore[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await redis?.stop();
});

const homes: [string, () => Promise<OfferStore>][] = [
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'offer-store-'));
      dirs.push(dir);
      const store = new SqliteOfferStore(dir);
      stores.push(store);
      return store;
    },
  ],
  [
    'Redis',
    async () => {
      const store = new RedisOfferStore(redis.url, `test-${randomBytes(4).toString('hex')}:`, createLogger('silent'));
      await store.connect();
      stores.push(store);
      return store;
    },
  ],
];

const T0 = 1_717_000_000_000;
const TTL = 60_000;

function stored(id: string, bytes = 100, receivedAt = T0): StoredOffer {
  return { listing: { id, fileName: 'f.fig', collections: 1, variables: 2, bytes, at: T0, expiresAt: receivedAt + TTL }, text: JSON.stringify({ id, pad: 'x'.repeat(Math.max(0, bytes - 20)) }) };
}
const bounds = { perChannel: 2, totalBytes: 1000 };

describe.each(homes)('the offer store in %s', (_name, open) => {
  test('keeps an offer for its channel: listed newest first, read back by id, not by another channel', async () => {
    const store = await open();
    expect(await store.put('ch-a', stored('o-1'), bounds, T0)).toBe('stored');
    expect(await store.put('ch-a', stored('o-2'), bounds, T0 + 1)).toBe('stored');
    expect((await store.list('ch-a', T0 + 2)).map((l) => l.id)).toEqual(['o-2', 'o-1']);
    expect(await store.get('ch-a', 'o-1', T0 + 2)).toBe(stored('o-1').text);
    expect(await store.get('ch-b', 'o-1', T0 + 2)).toBeUndefined();
    expect(await store.list('ch-b', T0 + 2)).toEqual([]);
  });

  test('a new offer past the per-channel bound forgets the channel\'s oldest', async () => {
    const store = await open();
    for (const [i, id] of ['o-1', 'o-2', 'o-3'].entries()) await store.put('ch', stored(id), bounds, T0 + i);
    expect((await store.list('ch', T0 + 5)).map((l) => l.id)).toEqual(['o-3', 'o-2']);
    expect(await store.get('ch', 'o-1', T0 + 5)).toBeUndefined();
  });

  test('the same id again replaces the offer and counts its bytes once', async () => {
    const store = await open();
    await store.put('ch', stored('o-1', 600), bounds, T0);
    expect(await store.put('ch', stored('o-1', 700), bounds, T0 + 1)).toBe('stored');
    expect((await store.list('ch', T0 + 2)).map((l) => [l.id, l.bytes])).toEqual([['o-1', 700]]);
    expect(await store.sweep(T0 + 2)).toBe(700);
  });

  test('an offer that would pass the total bound is refused (full) and nothing changes', async () => {
    const store = await open();
    await store.put('ch-a', stored('o-1', 600), bounds, T0);
    expect(await store.put('ch-b', stored('o-2', 500), bounds, T0 + 1)).toBe('full');
    expect(await store.list('ch-b', T0 + 2)).toEqual([]);
    expect(await store.sweep(T0 + 2)).toBe(600);
  });

  test('expired offers are neither listed nor read, and a sweep gives their bytes back', async () => {
    const store = await open();
    await store.put('ch', stored('o-1', 600, T0), bounds, T0);
    const later = T0 + TTL + 1;
    expect(await store.list('ch', later)).toEqual([]);
    expect(await store.get('ch', 'o-1', later)).toBeUndefined();
    expect(await store.sweep(later)).toBe(0);
    expect(await store.put('ch', stored('o-2', 900, later), bounds, later)).toBe('stored');
  });
});
