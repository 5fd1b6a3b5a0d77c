// What bounds a store's state, on both homes (SQLite and a real Redis): a cap on channels, channels that
// expire when idle (with everything they hold) unless a change or a hello keeps them, revocations looked
// up by key and bounded in number, and the write probe behind /readyz.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createLogger } from '../../relay/logger';
import { RedisStore } from '../../relay/redis-store';
import { SqliteStore } from '../../relay/sqlite-store';
import { REVOCATIONS_KEPT, type AppendRequest, type ChannelQuota, type Store } from '../../relay/store';
import { gridToTabsJson, patchMessageText } from '../../relay/wire-messages';
import { emptyGrid } from '../../shared/grid';
import { startRedis, type TestRedis } from '../helpers/redis-server';

const HASH = 'f'.repeat(64);
const SECRET = 's'.repeat(43);
let redis: TestRedis;
let dir: string;
let counter = 0;

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'store-quota-'));
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  store: Store;
  prefix: string;
  close(): Promise<void>;
}

type Make = (quota: ChannelQuota, minFreeBytes?: number) => Promise<Opened>;

const homes: [string, Make][] = [
  [
    'sqlite',
    async (quota, minFreeBytes) => {
      const store = new SqliteStore({ dataDir: join(dir, `db-${++counter}`), sync: 'normal', historyLimit: 100, historyMaxBytes: 1_000_000, quota, minFreeBytes }, () => undefined);
      return { store, prefix: '', close: () => store.close() };
    },
  ],
  [
    'redis',
    async (quota) => {
      const prefix = `quota${process.pid}-${++counter}:`;
      const store = new RedisStore({ url: redis.url, prefix, historyLimit: 100, historyMaxBytes: 1_000_000, clientTtlMs: 60_000, quota }, () => undefined, createLogger('silent'));
      await store.connect();
      return { store, prefix, close: () => store.close() };
    },
  ],
];

function channelId(): string {
  return `quota-channel-${process.pid}-${++counter}`;
}

function patch(channel: string, epoch: string, baseSeq: number): AppendRequest {
  const grid = emptyGrid();
  const changeId = `change-${++counter}`;
  const message = patchMessageText({ id: changeId, tabs: [{ tabId: 1, name: 'T', values: [] }], hash: HASH }, epoch, baseSeq + 1, 1);
  return { channelId: channel, changeId, baseEpoch: epoch, baseSeq, kind: 'patch', grid, tabsJson: gridToTabsJson(grid), hash: HASH, title: undefined, at: 1, message };
}

/** Polls `check` until it holds or `ms` pass; expiry is a matter of time, so the test waits for it, bounded. */
async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(homes)('%s store', (name, make) => {
  const opened: Opened[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
  });
  const open = async (quota: Partial<ChannelQuota> = {}, minFreeBytes?: number): Promise<Opened> => {
    const o = await make({ maxChannels: quota.maxChannels ?? 1000, idleMs: quota.idleMs ?? 3_600_000 }, minFreeBytes);
    opened.push(o);
    return o;
  };

  test('createChannel answers full once the store holds maxChannels channels, and countChannels counts them', async () => {
    const { store } = await open({ maxChannels: 2 });
    const [a, b, c] = [channelId(), channelId(), channelId()];
    expect((await store.createChannel(a, SECRET, 'e', HASH)) !== 'full').toBe(true);
    expect((await store.createChannel(b, SECRET, 'e', HASH)) !== 'full').toBe(true);
    expect(await store.createChannel(c, SECRET, 'e', HASH)).toBe('full');
    // An existing channel is no new one: claiming it again is not refused for being full.
    expect(await store.createChannel(a, SECRET, 'e2', HASH)).toEqual(expect.objectContaining({ created: false }));
    expect(await store.countChannels()).toBe(2);
  });

  test('an idle channel is forgotten with its history and revocations, and can then be created afresh', async () => {
    const { store, prefix } = await open({ idleMs: 300 });
    const id = channelId();
    await store.createChannel(id, SECRET, 'epoch-1', HASH);
    await store.append(patch(id, 'epoch-1', 0));
    await store.rotateSecret(id, SECRET, 'n'.repeat(43), 'fp-old');
    expect(await store.isRevoked(id, 'fp-old')).toBe(true);
    const gone = await eventually(async () => {
      await store.sweepExpired();
      return (await store.getChannel(id)) === undefined;
    }, 5000);
    expect(gone).toBe(true);
    expect([await store.readRange(id, 0, 1), await store.isRevoked(id, 'fp-old'), await store.countChannels()]).toEqual([undefined, false, 0]);
    if (name === 'redis') {
      const raw = new Redis(redis.url);
      try {
        expect(await raw.keys(`${prefix}{${id}}:*`)).toEqual([]);
      } finally {
        raw.disconnect();
      }
    }
    const again = await store.createChannel(id, SECRET, 'epoch-2', HASH);
    expect(again).toEqual({ created: true, channel: { channelId: id, secret: SECRET, epoch: 'epoch-2', seq: 0, hash: HASH, title: undefined } });
  });

  test('an accepted change and a hello (touchChannel) each keep a channel from expiring', async () => {
    const { store } = await open({ idleMs: 2000 });
    const changed = channelId();
    const greeted = channelId();
    const idle = channelId();
    for (const id of [changed, greeted, idle]) await store.createChannel(id, SECRET, 'e', HASH);
    await sleep(1200);
    await store.append(patch(changed, 'e', 0));
    await store.touchChannel(greeted);
    await sleep(1200);
    await store.sweepExpired();
    expect([!!(await store.getChannel(changed)), !!(await store.getChannel(greeted)), !!(await store.getChannel(idle))]).toEqual([true, true, false]);
  });

  test(`a channel remembers its last ${REVOCATIONS_KEPT} revoked tokens, looked up one by one`, async () => {
    const { store } = await open();
    const id = channelId();
    await store.createChannel(id, 'secret-0'.padEnd(43, 'x'), 'e', HASH);
    const rotations = REVOCATIONS_KEPT + 4;
    for (let i = 0; i < rotations; i++) {
      // Rotations within one millisecond too: the store keeps their order.
      await store.rotateSecret(id, `secret-${i}`.padEnd(43, 'x'), `secret-${i + 1}`.padEnd(43, 'x'), `fp-${i}`);
    }
    const kept = await Promise.all(Array.from({ length: rotations }, (_, i) => store.isRevoked(id, `fp-${i}`)));
    expect(kept).toEqual(Array.from({ length: rotations }, (_, i) => i >= rotations - REVOCATIONS_KEPT));
  });

  test('probeWrite resolves while the store can write', async () => {
    const { store } = await open();
    await expect(store.probeWrite()).resolves.toBeUndefined();
  });
});

test('the SQLite store says it cannot write when DATA_DIR has less free space than it needs', async () => {
  const store = new SqliteStore({ dataDir: join(dir, `db-${++counter}`), sync: 'normal', historyLimit: 10, historyMaxBytes: 100_000, minFreeBytes: Number.MAX_SAFE_INTEGER }, () => undefined);
  try {
    await expect(store.probeWrite()).rejects.toThrow(/bytes are free on DATA_DIR \(the store needs 9007199254740991\)/);
  } finally {
    await store.close();
  }
});
