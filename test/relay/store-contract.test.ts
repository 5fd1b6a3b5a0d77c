// The Store contract, run against both homes (SQLite and a real Redis): compare-and-set appends,
// duplicates, bounded history, catch-up choices, follower events, rotation, replay guard, clients.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createLogger } from '../../relay/logger';
import { RedisStore } from '../../relay/redis-store';
import { SqliteStore } from '../../relay/sqlite-store';
import type { AppendRequest, ChannelEvent, Store } from '../../relay/store';
import { gridToTabsJson, patchMessageText, snapshotMessageText } from '../../relay/wire-messages';
import { emptyGrid } from '../../shared/grid';
import type { ClientStatus } from '../../shared/protocol';
import { startRedis, type TestRedis } from '../helpers/redis-server';

const HASH = 'f'.repeat(64);
const SECRET = 's'.repeat(43);
let redis: TestRedis;
let dir: string;
let counter = 0;

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'store-contract-'));
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Harness {
  store: Store;
  events: EventLog;
  close(): Promise<void>;
}

type Options = { historyLimit?: number; historyMaxBytes?: number; clientTtlMs?: number };

const homes: [string, (options: Options) => Promise<Harness>][] = [
  [
    'sqlite',
    async (options) => {
      const events = new EventLog();
      const store = new SqliteStore({ dataDir: join(dir, `db-${++counter}`), sync: 'normal', historyLimit: options.historyLimit ?? 100, historyMaxBytes: options.historyMaxBytes ?? 1_000_000 }, events.record);
      return { store, events, close: () => store.close() };
    },
  ],
  [
    'redis',
    async (options) => {
      const events = new EventLog();
      const store = new RedisStore(
        { url: redis.url, prefix: `contract${process.pid}-${++counter}:`, historyLimit: options.historyLimit ?? 100, historyMaxBytes: options.historyMaxBytes ?? 1_000_000, clientTtlMs: options.clientTtlMs ?? 60_000 },
        events.record,
        createLogger('silent'),
      );
      await store.connect();
      return { store, events, close: () => store.close() };
    },
  ],
];

function channelId(): string {
  return `contract-channel-${process.pid}-${++counter}`;
}

function request(channel: string, epoch: string, baseSeq: number, changeId: string, kind: 'patch' | 'snapshot' = 'patch', pad = ''): AppendRequest {
  const grid = emptyGrid();
  const tabsJson = gridToTabsJson(grid);
  const message =
    kind === 'patch'
      ? patchMessageText({ id: changeId, tabs: [{ tabId: 1, name: `T${pad}`, values: [] }], hash: HASH }, epoch, baseSeq + 1, 1)
      : snapshotMessageText({ epoch, seq: baseSeq + 1, hash: HASH, title: undefined, at: 1, tabsJson });
  return { channelId: channel, changeId, baseEpoch: epoch, baseSeq, kind, grid, tabsJson, hash: HASH, title: undefined, at: 1, message };
}

/** Events a store delivered, with a way to await the next ones (they arrive on a later turn or over pub/sub). */
class EventLog extends Array<[string, ChannelEvent]> {
  private waiters: (() => void)[] = [];
  record = (id: string, event: ChannelEvent): void => {
    this.push([id, event]);
    for (const wake of this.waiters.splice(0)) wake();
  };
  async count(n: number): Promise<void> {
    const deadline = setTimeout(() => this.waiters.splice(0).forEach((wake) => wake()), 5000);
    while (this.length < n) {
      const before = this.length;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      if (this.length === before) break;
    }
    clearTimeout(deadline);
  }
}

describe.each(homes)('%s store', (_name, make) => {
  const harnesses: Harness[] = [];
  const open = async (options: Options = {}): Promise<Harness> => {
    const harness = await make(options);
    harnesses.push(harness);
    return harness;
  };
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
  });

  test('the first createChannel creates, a second one returns the existing channel', async () => {
    const { store } = await open();
    const id = channelId();
    const first = await store.createChannel(id, SECRET, 'epoch-1', HASH);
    const second = await store.createChannel(id, 'other'.repeat(10), 'epoch-2', HASH);
    const channel = { channelId: id, secret: SECRET, epoch: 'epoch-1', seq: 0, hash: HASH, title: undefined };
    expect([first, second]).toEqual([
      { created: true, channel },
      { created: false, channel },
    ]);
  });

  test('appends assign gap-free seqs; a stale base is a conflict; a known change id is a duplicate', async () => {
    const { store } = await open();
    const id = channelId();
    await store.createChannel(id, SECRET, 'epoch-1', HASH);
    expect(await store.append(request(id, 'epoch-1', 0, 'a'))).toEqual({ result: 'appended', accepted: { epoch: 'epoch-1', seq: 1, hash: HASH } });
    expect(await store.append(request(id, 'epoch-1', 0, 'b'))).toEqual({ result: 'conflict' });
    expect(await store.append(request(id, 'epoch-0', 1, 'b'))).toEqual({ result: 'conflict' });
    expect(await store.append(request(id, 'epoch-1', 0, 'a'))).toEqual({ result: 'duplicate', accepted: { epoch: 'epoch-1', seq: 1, hash: HASH } });
    expect(await store.append(request(id, 'epoch-1', 1, 'b'))).toEqual({ result: 'appended', accepted: { epoch: 'epoch-1', seq: 2, hash: HASH } });
    expect(await store.findAnswer(id, 'b')).toEqual({ epoch: 'epoch-1', seq: 2, hash: HASH });
    expect(await store.append(request(channelId(), 'epoch-1', 0, 'x'))).toEqual({ result: 'unknown-channel' });
  });

  test('history keeps HISTORY_LIMIT changes; older seqs and their change ids are gone', async () => {
    const { store } = await open({ historyLimit: 3 });
    const id = channelId();
    await store.createChannel(id, SECRET, 'e', HASH);
    for (let seq = 0; seq < 6; seq++) await store.append(request(id, 'e', seq, `id-${seq + 1}`));
    expect((await store.readRange(id, 3, 6))!.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(await store.readRange(id, 2, 6)).toBeUndefined();
    expect([await store.findAnswer(id, 'id-3'), await store.findAnswer(id, 'id-4')]).toEqual([undefined, { epoch: 'e', seq: 4, hash: HASH }]);
  });

  test('history keeps at most HISTORY_MAX_BYTES, but always the newest change', async () => {
    const { store } = await open({ historyMaxBytes: 1200 });
    const id = channelId();
    await store.createChannel(id, SECRET, 'e', HASH);
    for (let seq = 0; seq < 4; seq++) await store.append(request(id, 'e', seq, `id-${seq + 1}`, 'patch', 'x'.repeat(400)));
    expect((await store.readRange(id, 2, 4))!.map((e) => e.seq)).toEqual([3, 4]);
    expect(await store.readRange(id, 1, 4)).toBeUndefined();
    await store.append(request(id, 'e', 4, 'big', 'patch', 'y'.repeat(2000)));
    expect((await store.readRange(id, 4, 5))!.map((e) => e.seq)).toEqual([5]);
  });

  test('catch-up is current, patches from the last snapshot, or a snapshot, as history and epoch allow', async () => {
    const { store } = await open({ historyLimit: 4 });
    const id = channelId();
    await store.createChannel(id, SECRET, 'e', HASH);
    await store.append(request(id, 'e', 0, 'p1'));
    await store.append(request(id, 'e', 1, 's2', 'snapshot'));
    await store.append(request(id, 'e', 2, 'p3'));
    const summary = async (since?: { epoch: string; seq: number }) => {
      const c = (await store.catchUp(id, since))!;
      return c.recovery === 'patches' ? { recovery: c.recovery, seq: c.seq, entries: c.entries.map((e) => `${e.kind}:${e.seq}`) } : { recovery: c.recovery, seq: c.seq };
    };
    expect(await summary({ epoch: 'e', seq: 3 })).toEqual({ recovery: 'current', seq: 3 });
    expect(await summary({ epoch: 'e', seq: 2 })).toEqual({ recovery: 'patches', seq: 3, entries: ['patch:3'] });
    expect(await summary({ epoch: 'e', seq: 0 })).toEqual({ recovery: 'patches', seq: 3, entries: ['snapshot:2', 'patch:3'] });
    expect(await summary({ epoch: 'other', seq: 3 })).toEqual({ recovery: 'snapshot', seq: 3 });
    expect(await summary({ epoch: 'e', seq: 9 })).toEqual({ recovery: 'snapshot', seq: 3 });
    expect(await summary(undefined)).toEqual({ recovery: 'snapshot', seq: 3 });
    for (let seq = 3; seq < 8; seq++) await store.append(request(id, 'e', seq, `q${seq}`));
    expect(await summary({ epoch: 'e', seq: 2 })).toEqual({ recovery: 'snapshot', seq: 8 });
    const snapshot = (await store.catchUp(id, undefined))!;
    expect(snapshot.recovery === 'snapshot' && JSON.parse(snapshot.message)).toEqual({ type: 'snapshot', epoch: 'e', seq: 8, tabs: [], hash: HASH, at: 1 });
    expect(await store.catchUp(channelId(), undefined)).toBeUndefined();
  });

  test('followers get each commit of a followed channel, in order, and nothing after unfollow', async () => {
    const { store, events } = await open();
    const id = channelId();
    await store.createChannel(id, SECRET, 'e', HASH);
    await store.follow(id);
    for (let seq = 0; seq < 3; seq++) await store.append(request(id, 'e', seq, `c${seq}`));
    await events.count(3);
    await store.unfollow(id);
    await store.append(request(id, 'e', 3, 'c3'));
    // Events arrive in commit order: once a later channel's event is in, the unfollowed one would be too.
    const marker = channelId();
    await store.createChannel(marker, SECRET, 'e', HASH);
    await store.follow(marker);
    await store.append(request(marker, 'e', 0, 'm'));
    await events.count(4);
    expect([...events].map(([channel, e]) => [channel, e.type, e.type === 'change' ? e.seq : undefined])).toEqual([
      [id, 'change', 1],
      [id, 'change', 2],
      [id, 'change', 3],
      [marker, 'change', 1],
    ]);
  });

  test('rotation replaces the secret only from the current one, remembers the revoked token and tells followers', async () => {
    const { store, events } = await open();
    const id = channelId();
    await store.createChannel(id, SECRET, 'e', HASH);
    await store.follow(id);
    expect(await store.rotateSecret(id, 'not-the-secret', 'n'.repeat(43), 'fp-old')).toBe('conflict');
    expect(await store.rotateSecret(id, SECRET, 'n'.repeat(43), 'fp-old')).toEqual(expect.objectContaining({ secret: 'n'.repeat(43) }));
    expect([await store.isRevoked(id, 'fp-old'), await store.isRevoked(id, 'fp-other')]).toEqual([true, false]);
    expect(await store.rotateSecret(channelId(), SECRET, 'n'.repeat(43), 'fp')).toBeUndefined();
    await events.count(1);
    expect([...events]).toEqual([[id, { type: 'revoked', fingerprint: 'fp-old' }]]);
  });

  test('a signature is claimed once', async () => {
    const { store } = await open();
    const signature = `sig-${++counter}`;
    expect([await store.claimSignature(signature, 60_000), await store.claimSignature(signature, 60_000)]).toEqual([true, false]);
  });

  test('clients are listed, updated and removed', async () => {
    const { store } = await open();
    const id = channelId();
    const client: ClientStatus = { id: 'c1', connectedAt: 1, errors: [], errorCount: 0 };
    await store.putClient(id, client);
    await store.putClient(id, { ...client, appliedSeq: 4 });
    await store.putClient(id, { ...client, id: 'c2' });
    expect(await store.listClients(id, 10)).toEqual({ clients: [{ ...client, appliedSeq: 4 }, { ...client, id: 'c2' }], total: 2 });
    await store.removeClient(id, 'c1');
    await store.touchClients([{ channelId: id, clientId: 'c2' }]);
    expect(await store.listClients(id, 10)).toEqual({ clients: [{ ...client, id: 'c2' }], total: 1 });
  });
});

describe('redis store only', () => {
  test('a client not refreshed within its TTL drops out of the list (its process died)', async () => {
    const store = new RedisStore({ url: redis.url, prefix: `ttl${process.pid}:`, historyLimit: 10, historyMaxBytes: 100_000, clientTtlMs: 100 }, () => undefined, createLogger('silent'));
    await store.connect();
    try {
      const id = channelId();
      await store.putClient(id, { id: 'gone', connectedAt: 1, errors: [], errorCount: 0 });
      expect((await store.listClients(id, 10)).total).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await store.listClients(id, 10)).toEqual({ clients: [], total: 0 });
    } finally {
      await store.close();
    }
  });

  test('after its pub/sub connection is cut and comes back, the store reports each followed head', async () => {
    const events = new EventLog();
    const store = new RedisStore({ url: redis.url, prefix: `reconnect${process.pid}:`, historyLimit: 10, historyMaxBytes: 100_000, clientTtlMs: 60_000 }, events.record, createLogger('silent'));
    await store.connect();
    const admin = new Redis(redis.url);
    try {
      const id = channelId();
      await store.createChannel(id, SECRET, 'e', HASH);
      await store.append(request(id, 'e', 0, 'a'));
      await store.follow(id);
      await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await events.count(1);
      expect([...events]).toEqual([[id, { type: 'head', seq: 1 }]]);
    } finally {
      admin.disconnect();
      await store.close();
    }
  });

  test('an unreachable Redis is named without its password', async () => {
    const store = new RedisStore({ url: 'redis://:hunter2@127.0.0.1:1', prefix: 'x:', historyLimit: 10, historyMaxBytes: 100_000, clientTtlMs: 1000 }, () => undefined, createLogger('silent'));
    await expect(store.connect()).rejects.toThrow(/^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 did not answer: /);
  });
});
