// The Store contract, run against both homes (SQLite and a real Redis): compare-and-set appends,
// duplicates, bounded history, catch-up choices, follower events, rotation, replay guard, clients.

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createLogger } from '../../relay/logger';
import { RedisStore } from '../../relay/redis-store';
import { SqliteStore } from '../../relay/sqlite-store';
import { inlineRequest } from '../../relay/change-ingest';
import { computeChange, type IngestHead } from '../../relay/ingest-work';
import type { AppendRequest, ChannelEvent, ChannelHead, Store } from '../../relay/store';
import { patchMessageText, snapshotStubText, utf8Bytes } from '../../relay/wire-messages';
import { gridHash } from '../../shared/protocol/canonical-hash';
import { applyChange, emptyGrid, type Grid } from '../../shared/protocol/grid';
import { snapshotTabsJson, type GridState, type TabState } from '../../shared/protocol/grid-digest';
import type { Change, ClientStatus } from '../../shared/protocol/messages';
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

/** An append that changes no cell: what the history and compare-and-set tests need. */
function request(channel: string, epoch: string, baseSeq: number, changeId: string, kind: 'patch' | 'snapshot' = 'patch', pad = ''): AppendRequest {
  const message =
    kind === 'patch' ? patchMessageText({ id: changeId, tabs: [{ tabId: 1, name: `T${pad}`, values: [] }], hash: HASH }, epoch, baseSeq + 1, 1) : snapshotStubText(epoch, baseSeq + 1, HASH);
  return { channelId: channel, changeId, baseEpoch: epoch, baseSeq, kind, hash: HASH, title: undefined, at: 1, bytes: 0, tabs: [], removedTabs: [], chunks: [], dropChunks: [], message: utf8Bytes(message) };
}

/** The head as the relay applies a change to it: the store's records, texts read when asked. */
function stateOf(head: ChannelHead): GridState {
  return { tabs: head.tabs as TabState[], hash: head.hash, bytes: head.bytes };
}

/** Applies a real change to the stored head (reading the chunk texts it needs) and appends it. */
async function commit(store: Store, channel: string, change: Omit<Change, 'v' | 'id' | 'hash'>, grid: Grid, changeId: string): Promise<{ grid: Grid; chunksWritten: number; outcome: Awaited<ReturnType<Store['append']>> }> {
  const next = applyChange(grid, change);
  const head = (await store.head(channel))!;
  const ingestHead: IngestHead = { epoch: head.epoch, seq: head.seq, title: head.title, state: stateOf(head) };
  const full: Change = { v: 2, id: changeId, hash: gridHash(next), ...change };
  let computed = computeChange(ingestHead, full, { maxGridBytes: 10_000_000, receivedAt: 1 });
  while (computed.outcome === 'missing') {
    const texts = (await store.readChunks(channel, head, computed.missing))!;
    computed.missing.forEach((ref, i) => (ingestHead.state.tabs.find((t) => t.tabId === ref.tabId)!.chunks[ref.index]!.text = texts[i]!));
    computed = computeChange(ingestHead, full, { maxGridBytes: 10_000_000, receivedAt: 1 });
  }
  if (computed.outcome !== 'ready') throw new Error(`the change should apply: ${JSON.stringify(computed)}`);
  const outcome = await store.append(inlineRequest(channel, head, computed.ready));
  return { grid: next, chunksWritten: computed.ready.chunks.length, outcome };
}

const BIG_ROWS = (n: number, label = 'v') => Array.from({ length: n }, (_, i) => [`${label}${i}`, i]);

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
    expect((await store.readRange(id, 'e', 3, 6))!.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(await store.readRange(id, 'e', 2, 6)).toBeUndefined();
    expect([await store.findAnswer(id, 'id-3'), await store.findAnswer(id, 'id-4')]).toEqual([undefined, { epoch: 'e', seq: 4, hash: HASH }]);
  });

  test('history keeps at most HISTORY_MAX_BYTES, but always the newest change', async () => {
    const { store } = await open({ historyMaxBytes: 1200 });
    const id = channelId();
    await store.createChannel(id, SECRET, 'e', HASH);
    for (let seq = 0; seq < 4; seq++) await store.append(request(id, 'e', seq, `id-${seq + 1}`, 'patch', 'x'.repeat(400)));
    expect((await store.readRange(id, 'e', 2, 4))!.map((e) => e.seq)).toEqual([3, 4]);
    expect(await store.readRange(id, 'e', 1, 4)).toBeUndefined();
    await store.append(request(id, 'e', 4, 'big', 'patch', 'y'.repeat(2000)));
    expect((await store.readRange(id, 'e', 4, 5))!.map((e) => e.seq)).toEqual([5]);
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
    // A snapshot change among the missed ones: the head's snapshot serves (history keeps only a stub of it).
    expect(await summary({ epoch: 'e', seq: 0 })).toEqual({ recovery: 'snapshot', seq: 3 });
    expect(await summary({ epoch: 'other', seq: 3 })).toEqual({ recovery: 'snapshot', seq: 3 });
    expect(await summary({ epoch: 'e', seq: 9 })).toEqual({ recovery: 'snapshot', seq: 3 });
    expect(await summary(undefined)).toEqual({ recovery: 'snapshot', seq: 3 });
    for (let seq = 3; seq < 8; seq++) await store.append(request(id, 'e', seq, `q${seq}`));
    expect(await summary({ epoch: 'e', seq: 2 })).toEqual({ recovery: 'snapshot', seq: 8 });
    const snapshot = (await store.snapshot(id))!;
    expect({ ...snapshot, message: JSON.parse(Buffer.from(snapshot.message).toString()) }).toEqual({ epoch: 'e', seq: 8, title: undefined, message: { type: 'snapshot', epoch: 'e', seq: 8, tabs: [], hash: HASH, at: 1 } });
    expect(await store.catchUp(channelId(), undefined)).toBeUndefined();
    expect(await store.snapshot(channelId())).toBeUndefined();
  });

  test('a grid is stored per chunk: a one-cell patch writes one chunk, and the head, the texts and the snapshot agree', async () => {
    const { store } = await open();
    const id = channelId();
    await store.createChannel(id, SECRET, 'e', gridHash(emptyGrid()));
    const first = await commit(store, id, { kind: 'snapshot', tabs: [{ tabId: 3, name: 'Big', values: BIG_ROWS(700) }, { tabId: 1, name: 'Small', values: [['a']] }] }, emptyGrid(), 's1');
    expect(first.chunksWritten).toBe(4);
    const patched = await commit(store, id, { kind: 'patch', tabs: [{ tabId: 3, name: 'Big', ranges: [{ row: 300, col: 2, values: [['x']] }] }] }, first.grid, 'p2');
    expect({ outcome: patched.outcome.result, chunksWritten: patched.chunksWritten }).toEqual({ outcome: 'appended', chunksWritten: 1 });
    const head = (await store.head(id))!;
    expect({ seq: head.seq, hash: head.hash, tabs: head.tabs.map((t) => [t.tabId, t.rowCount, t.chunks.length]) }).toEqual({ seq: 2, hash: gridHash(patched.grid), tabs: [[1, 1, 1], [3, 700, 3]] });
    const texts = (await store.readChunks(id, head, [{ tabId: 3, index: 1 }, { tabId: 1, index: 0 }]))!;
    expect(texts.map((t) => createHash('sha256').update(t).digest('hex'))).toEqual([head.tabs[1]!.chunks[1]!.digest, head.tabs[0]!.chunks[0]!.digest]);
    expect(await store.readChunks(id, { epoch: 'e', seq: 1 }, [{ tabId: 3, index: 1 }])).toBeUndefined();
    const snapshot = (await store.snapshot(id))!;
    const message = JSON.parse(Buffer.from(snapshot.message).toString()) as { tabs: { tabId: number; name: string; values: unknown[][] }[]; hash: string; seq: number };
    expect({ seq: message.seq, hash: message.hash }).toEqual({ seq: 2, hash: gridHash(patched.grid) });
    expect(gridHash({ tabs: message.tabs.map((t) => ({ tabId: t.tabId, name: t.name, rows: t.values as Grid['tabs'][number]['rows'] })) })).toBe(gridHash(patched.grid));
  });

  test('clearing the end of a tab drops its trailing chunks, and a snapshot drops the tabs it does not list', async () => {
    const { store } = await open();
    const id = channelId();
    await store.createChannel(id, SECRET, 'e', gridHash(emptyGrid()));
    let { grid } = await commit(store, id, { kind: 'snapshot', tabs: [{ tabId: 3, name: 'Big', values: BIG_ROWS(700) }, { tabId: 4, name: 'Gone', values: [['g']] }] }, emptyGrid(), 's1');
    ({ grid } = await commit(store, id, { kind: 'patch', tabs: [{ tabId: 3, name: 'Big', ranges: [{ row: 200, col: 1, values: Array.from({ length: 501 }, () => ['', '']) }] }] }, grid, 'p2'));
    let head = (await store.head(id))!;
    expect(head.tabs.map((t) => [t.tabId, t.rowCount, t.chunks.length])).toEqual([[3, 199, 1], [4, 1, 1]]);
    expect(await store.readChunks(id, head, [{ tabId: 3, index: 1 }])).toBeUndefined();
    ({ grid } = await commit(store, id, { kind: 'snapshot', tabs: [{ tabId: 3, name: 'Big', values: BIG_ROWS(10) }] }, grid, 's3'));
    head = (await store.head(id))!;
    expect({ tabs: head.tabs.map((t) => t.tabId), hash: head.hash, bytes: head.bytes }).toEqual({ tabs: [3], hash: gridHash(grid), bytes: BIG_ROWS(10).reduce((n, r) => n + JSON.stringify(r).length + 1, 0) });
    expect(await store.readChunks(id, head, [{ tabId: 4, index: 0 }])).toBeUndefined();
    expect(snapshotTabsJson({ tabs: head.tabs.map((t) => ({ ...t, chunks: [] })), hash: head.hash, bytes: 0 })).toBe('[{"tabId":3,"name":"Big","values":[]}]');
  });

  test('history stays within HISTORY_MAX_BYTES on every append, counting each stored message', async () => {
    const { store } = await open({ historyMaxBytes: 5000 });
    const id = channelId();
    await store.createChannel(id, SECRET, 'e', HASH);
    for (let seq = 0; seq < 40; seq++) {
      await store.append(request(id, 'e', seq, `m-${seq}`, 'patch', 'z'.repeat(100 + ((seq * 37) % 400))));
      let kept: { message: string }[] = [];
      for (let from = 0; from <= seq; from++) {
        const range = await store.readRange(id, 'e', from, seq + 1);
        if (range) {
          kept = range;
          break;
        }
      }
      expect(kept.reduce((n, e) => n + Buffer.byteLength(e.message), 0)).toBeLessThanOrEqual(5000);
    }
  });

  test('a range of another epoch is not read', async () => {
    const { store } = await open();
    const id = channelId();
    await store.createChannel(id, SECRET, 'e', HASH);
    await store.append(request(id, 'e', 0, 'a'));
    expect([await store.readRange(id, 'e', 0, 1).then((r) => r?.length), await store.readRange(id, 'other', 0, 1)]).toEqual([1, undefined]);
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
      expect([...events]).toEqual([[id, { type: 'head', epoch: 'e', seq: 1 }]]);
    } finally {
      admin.disconnect();
      await store.close();
    }
  });

  test('a channel whose hash Redis lost is created again without what its earlier self left (grid, history, change ids)', async () => {
    const prefix = `recreate${process.pid}:`;
    const store = new RedisStore({ url: redis.url, prefix, historyLimit: 10, historyMaxBytes: 100_000, clientTtlMs: 60_000 }, () => undefined, createLogger('silent'));
    await store.connect();
    const admin = new Redis(redis.url);
    try {
      const id = channelId();
      await store.createChannel(id, SECRET, 'e1', gridHash(emptyGrid()));
      await commit(store, id, { kind: 'snapshot', tabs: [{ tabId: 3, name: 'Big', values: BIG_ROWS(300) }] }, emptyGrid(), 'old-change');
      await admin.del(`${prefix}{${id}}:channel`);
      expect(await store.createChannel(id, SECRET, 'e2', gridHash(emptyGrid()))).toEqual(expect.objectContaining({ created: true }));
      const head = (await store.head(id))!;
      expect({ seq: head.seq, tabs: head.tabs, answer: await store.findAnswer(id, 'old-change'), range: await store.readRange(id, 'e2', 0, 1) }).toEqual({ seq: 0, tabs: [], answer: undefined, range: undefined });
      expect(await admin.exists(`${prefix}{${id}}:chunks`, `${prefix}{${id}}:log`, `${prefix}{${id}}:tabs`)).toBe(0);
    } finally {
      admin.disconnect();
      await store.close();
    }
  });

  test('a Redis that may evict keys is refused at start, unless allowed (then with a warning)', async () => {
    // It changes the server's policy for a moment: only on the private redis-server of this run.
    if (redis.external) return;
    const admin = new Redis(redis.url);
    const before = ((await admin.config('GET', 'maxmemory-policy')) as string[])[1]!;
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (line: string) => lines.push(line) });
    try {
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const refused = new RedisStore({ url: redis.url, prefix: 'evict:', historyLimit: 10, historyMaxBytes: 100_000, clientTtlMs: 1000 }, () => undefined, logger);
      await expect(refused.connect()).rejects.toThrow(/maxmemory-policy is allkeys-lru.*noeviction.*REDIS_ALLOW_EVICTION=true/);
      const allowed = new RedisStore({ url: redis.url, prefix: 'evict:', historyLimit: 10, historyMaxBytes: 100_000, clientTtlMs: 1000, allowEviction: true }, () => undefined, logger);
      await allowed.connect();
      await allowed.close();
      expect(lines.map((l) => JSON.parse(l) as { level: number; policy: string }).map((l) => [l.level, l.policy])).toEqual([[40, 'allkeys-lru']]);
    } finally {
      await admin.config('SET', 'maxmemory-policy', before);
      admin.disconnect();
    }
  });

  test('an unreachable Redis is named without its password', async () => {
    const store = new RedisStore({ url: 'redis://:hunter2@127.0.0.1:1', prefix: 'x:', historyLimit: 10, historyMaxBytes: 100_000, clientTtlMs: 1000 }, () => undefined, createLogger('silent'));
    await expect(store.connect()).rejects.toThrow(/^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 did not answer: /);
  });
});
