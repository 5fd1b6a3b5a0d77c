// Changes through both ingest paths: on the main thread (small bodies) and in an ingest worker (every
// body, with INGEST_INLINE_BYTES=0), which must answer, store and fan out exactly alike; and the
// admission limits, per channel and in total, answered with 503 RELAY_BUSY and Retry-After.

import { ChangeIngest } from '../../relay/change-ingest';
import { HeadCache } from '../../relay/head-cache';
import { IngestPool } from '../../relay/ingest-pool';
import { createLogger } from '../../relay/logger';
import { RelayMetrics } from '../../relay/metrics';
import type { Store } from '../../relay/store';
import type { Change } from '../../shared/protocol/messages';
import { subscribe, type TestSocket } from '../helpers/ws-client';
import { expectError } from './support/expect-error';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { ModelSheet, newChannel, postChange, register, type TestChannel } from './support/relay-api';

let inline: InProcessRelay;
let worker: InProcessRelay;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  const env = { MAX_BODY_BYTES: '1048576', REQUEST_RATE: '1000', REQUEST_BURST: '1000' };
  [inline, worker] = await Promise.all([startInProcessRelay(env), startInProcessRelay({ ...env, INGEST_INLINE_BYTES: '0' })]);
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await Promise.all([inline?.close(), worker?.close()]);
});

async function registered(relay: InProcessRelay): Promise<TestChannel> {
  const channel = newChannel();
  expect((await register(relay.url, channel, channel.secret)).status).toBe(201);
  return channel;
}

/** A session of changes: snapshots and patches that cross chunks, grow, clear, rename and add tabs. */
function session(sheet: ModelSheet): Change[] {
  const big = Array.from({ length: 900 }, (_, i) => [`color/token-${i}`, `#${(i * 7919).toString(16).padStart(6, '0').slice(-6)}`, i % 3 === 0 ? '' : i]);
  return [
    sheet.snapshot([{ tabId: 5, name: 'Colors', values: big }, { tabId: 2, name: 'Flags', values: [['Name', 'Value'], ['beta', true]] }], { title: 'Tokens' }),
    sheet.patch(5, 'Colors', 300, 2, [['#ffffff']]),
    sheet.patch(5, 'Colors', 250, 1, Array.from({ length: 20 }, (_, i) => [`moved-${i}`])),
    sheet.patch(5, 'Colors ✓', 1500, 4, [['far']]),
    sheet.patch(5, 'Colors ✓', 800, 1, Array.from({ length: 701 }, () => ['', '', '', ''])),
    sheet.patch(9, 'New', 1, 1, [['a', 'b']]),
  ];
}

test('the main thread and an ingest worker accept the same changes with the same answers, hashes and snapshots', async () => {
  const results: unknown[] = [];
  for (const relay of [inline, worker]) {
    const channel = await registered(relay);
    const { socket } = await subscribe(relay.url, channel.channelId, channel.token);
    sockets.push(socket);
    await socket.nextOf('snapshot');
    const sheet = new ModelSheet();
    const answers = [];
    for (const change of session(sheet)) {
      const answer = await postChange(relay.url, channel, change);
      answers.push([answer.status, (answer.body as { seq: number }).seq]);
    }
    const last = await socket.waitFor((m) => m.type === 'patch' && m.seq === 6);
    socket.send({ type: 'resync' });
    const snapshot = await socket.nextOf('snapshot', 10_000);
    results.push({ answers, lastHash: (last as { hash: string }).hash, snapshot: { ...snapshot, epoch: 'e', at: 0 }, model: sheet.grid.tabs.length });
  }
  expect(results[1]).toEqual(results[0]);
  const metrics = await (await fetch(`${worker.url}/metrics`)).text();
  expect(Number(/^relay_ingest_seconds_count\{where="worker"\} (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(6);
});

test('through a worker, a hash mismatch, bad JSON, a bad field, an oversized grid and a duplicate answer as on the main thread', async () => {
  for (const relay of [inline, worker]) {
    const channel = await registered(relay);
    const sheet = new ModelSheet();
    const first = sheet.patch(1, 'T', 1, 1, [['a']]);
    expect((await postChange(relay.url, channel, first)).status).toBe(200);
    const stale = { ...new ModelSheet().patch(1, 'T', 2, 1, [['b']]) };
    const mismatch = await postChange(relay.url, channel, stale);
    expect([mismatch.status, (mismatch.body as { error: { detail: string } }).error.detail]).toEqual([409, `change ${stale.id}: send a snapshot`]);
    expectError(await postChange(relay.url, channel, '{"v":2,'), 'BAD_JSON', /^not valid JSON/);
    expectError(await postChange(relay.url, channel, JSON.stringify({ ...first, id: 'x-1', tabs: [{ tabId: 1, name: 'T', ranges: [{ row: 0, col: 1, values: [['a']] }] }] })), 'BAD_CHANGE', 'tabs[0].ranges[0].row must be ≥ 1');
    expectError(await postChange(relay.url, channel, new ModelSheet().patch(1, 'T', 400_000, 1, [['far']])), 'BODY_TOO_LARGE', /at least 1200\d+ bytes of row text, more than the limit of 1048576 bytes/);
    const again = await postChange(relay.url, channel, first);
    expect(again.body).toEqual({ epoch: expect.any(String), seq: 1, hash: first.hash, duplicate: true });
  }
});

describe('admission', () => {
  /** A store whose head never comes: the first change of a channel stays in progress. */
  function stuckIngest(settings: { queuePerChannel: number; queueBytes: number }): ChangeIngest {
    const store = { findAnswer: async () => undefined, head: () => new Promise(() => undefined), getChannel: async () => undefined } as unknown as Store;
    const logger = createLogger('silent');
    return new ChangeIngest(store, new HeadCache(1024), new IngestPool(1, logger), { maxGridBytes: 1 << 20, inlineBytes: 1 << 20, ...settings }, new RelayMetrics({ processMetrics: false }), logger);
  }
  /** A valid change body of exactly `size` characters. */
  const body = (size: number) => {
    const of = (cell: string) => JSON.stringify({ v: 2, id: 'c', kind: 'patch', tabs: [{ tabId: 1, name: 'T', values: [[cell]] }], hash: '0'.repeat(64) });
    return Buffer.from(of('x'.repeat(size - of('').length)));
  };

  test('past INGEST_QUEUE_PER_CHANNEL changes of one channel, the next is refused with RELAY_BUSY; another channel is taken', async () => {
    const ingest = stuckIngest({ queuePerChannel: 2, queueBytes: 1 << 20 });
    void ingest.submit('channel-a', body(200), 0);
    void ingest.submit('channel-a', body(200), 0);
    await expect(ingest.submit('channel-a', body(200), 0)).rejects.toMatchObject({ code: 'RELAY_BUSY', detail: expect.stringMatching(/^2 changes of this channel are waiting or in progress/) });
    void ingest.submit('channel-b', body(200), 0);
    expect(ingest.queued).toEqual({ changes: 3, bytes: 600 });
  });

  test('past INGEST_QUEUE_BYTES in total the next change is refused, but a lone change of any size is always taken', async () => {
    const ingest = stuckIngest({ queuePerChannel: 10, queueBytes: 1000 });
    void ingest.submit('channel-a', body(5000), 0);
    await expect(ingest.submit('channel-b', body(200), 0)).rejects.toMatchObject({ code: 'RELAY_BUSY', detail: 'the relay is working on 5000 bytes of changes, its limit is 1000' });
  });

  test('the refusal reaches the sheet as 503 RELAY_BUSY with Retry-After', async () => {
    const relay = await startInProcessRelay({ INGEST_QUEUE_BYTES: '1024', INGEST_INLINE_BYTES: '0', REQUEST_RATE: '1000', REQUEST_BURST: '1000' });
    try {
      const channels = [await registered(relay), await registered(relay), await registered(relay)];
      const big = (i: number) => new ModelSheet().snapshot([{ tabId: 1, name: 'T', values: Array.from({ length: 3000 }, (_, r) => [`${i}-${r}`.padEnd(60, 'x')]) }]);
      const answers = await Promise.all(channels.flatMap((c, i) => [postChange(relay.url, c, big(i)), postChange(relay.url, c, big(i + 10))]));
      const busy = answers.filter((a) => a.status === 503);
      expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
      expect(busy.length).toBeGreaterThan(0);
      for (const a of busy) {
        expect((a.body as { error: { code: string } }).error.code).toBe('RELAY_BUSY');
        expect(a.headers.get('retry-after')).toBe('2');
      }
    } finally {
      await relay.close();
    }
  });
});
