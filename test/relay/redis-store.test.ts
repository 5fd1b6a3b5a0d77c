// Two relay processes sharing one real redis-server: one seq order for everyone, changes published
// on either process reach subscribers on both, and a subscriber that loses its process resumes on the
// other with since and misses nothing. Status, rotation, duplicates and replays hold across processes.

import { gridHash } from '../../shared/protocol/canonical-hash';
import type { ChangeAccepted, ServerMessage } from '../../shared/protocol/messages';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { subscribe, type TestSocket } from '../helpers/ws-client';
import { expectError } from './support/expect-error';
import { getJson, getStatus, ModelSheet, newChannel, postChange, register, signedHeaders, type TestChannel } from './support/relay-api';
import { paths } from '../../shared/protocol/messages';
import { startInProcessRelay } from './support/in-process-relay';

let redis: TestRedis;
let a: RelayProcess;
let b: RelayProcess;
const sockets: TestSocket[] = [];
const extra: RelayProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  // Many changes of one channel at once (the compare-and-set under load), more than a sheet ever sends.
  const env = { REDIS_URL: redis.url, REDIS_PREFIX: `test${process.pid}:`, REQUEST_RATE: '10000', REQUEST_BURST: '10000', INGEST_QUEUE_PER_CHANNEL: '100' };
  [a, b] = await Promise.all([startRelayProcess(env), startRelayProcess(env)]);
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await Promise.all(extra.splice(0).map((r) => r.stop('SIGKILL')));
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

async function registered(on: RelayProcess = a): Promise<{ channel: TestChannel; epoch: string }> {
  const channel = newChannel();
  const answer = await register(on.url, channel, channel.secret);
  expect(answer.status).toBe(201);
  return { channel, epoch: (answer.body as { epoch: string }).epoch };
}

async function subscribed(on: RelayProcess, channel: TestChannel, options: Parameters<typeof subscribe>[3] = {}): Promise<Awaited<ReturnType<typeof subscribe>>> {
  const result = await subscribe(on.url, channel.channelId, channel.token, options);
  sockets.push(result.socket);
  return result;
}

function changesOf(messages: ServerMessage[]): string[] {
  return messages.filter((m) => m.type === 'patch' || m.type === 'snapshot').map((m) => `${m.type}:${(m as { seq: number }).seq}:${(m as { hash: string }).hash.slice(0, 8)}`);
}

test('both processes report a Redis store that is ready', async () => {
  for (const relay of [a, b]) {
    const answer = await getJson(`${relay.url}/readyz`);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { ok: true, store: 'redis' } });
  }
});

test('a channel registered on one process is known to the other', async () => {
  const { channel, epoch } = await registered(a);
  const again = await register(b.url, channel, channel.secret);
  expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: { channelId: channel.channelId, epoch, seq: 0, rotated: false } });
});

test('changes published alternately to A and B reach subscribers on both in one identical order', async () => {
  const { channel } = await registered(a);
  const onA = await subscribed(a, channel);
  const onB = await subscribed(b, channel);
  const sheet = new ModelSheet();
  const total = 30;
  for (let i = 1; i <= total; i++) {
    const answer = await postChange(i % 2 ? a.url : b.url, channel, sheet.patch(1, 'T', i, 1 + (i % 4), [[`#${i}`]]));
    expect((answer.body as ChangeAccepted).seq).toBe(i);
  }
  await onA.socket.waitFor((m) => m.type === 'patch' && m.seq === total);
  await onB.socket.waitFor((m) => m.type === 'patch' && m.seq === total);
  const seenOnA = changesOf(onA.socket.messages);
  expect(changesOf(onB.socket.messages)).toEqual(seenOnA);
  expect(seenOnA.slice(1).map((s) => Number(s.split(':')[1]))).toEqual(Array.from({ length: total }, (_, k) => k + 1));
  const last = onA.socket.messages[onA.socket.messages.length - 1] as { hash: string };
  expect(last.hash).toBe(gridHash(sheet.grid));
});

test('snapshots posted concurrently to A and B are all committed with gap-free seqs; subscribers on both see the head move forward to the last', async () => {
  const { channel } = await registered(a);
  const onA = await subscribed(a, channel);
  const onB = await subscribed(b, channel);
  const count = 24;
  const posts = Array.from({ length: count }, (_, i) => {
    const change = new ModelSheet().snapshot([{ tabId: 1, name: 'T', values: [[`snapshot ${i}`]] }]);
    return postChange(i % 2 ? a.url : b.url, channel, change).then((answer) => ({ answer, change }));
  });
  const results = await Promise.all(posts);
  expect(results.map((r) => r.answer.status)).toEqual(Array(count).fill(200));
  const seqs = results.map((r) => (r.answer.body as ChangeAccepted).seq).sort((x, y) => x - y);
  expect(seqs).toEqual(Array.from({ length: count }, (_, k) => k + 1));
  await onA.socket.waitFor((m) => m.type === 'snapshot' && m.seq === count);
  await onB.socket.waitFor((m) => m.type === 'snapshot' && m.seq === count);
  // A snapshot change reaches a subscriber as the head's snapshot when it catches up: one that is a
  // few changes behind takes the latest, so each sees an increasing run of seqs ending at the last.
  const hashBySeq = new Map(results.map((r) => [(r.answer.body as ChangeAccepted).seq, r.change.hash]));
  for (const socket of [onA.socket, onB.socket]) {
    const seen = socket.messages.filter((m) => m.type === 'snapshot' && m.seq > 0) as { seq: number; hash: string }[];
    expect(seen.map((m) => m.seq)).toEqual([...new Set(seen.map((m) => m.seq))].sort((x, y) => x - y));
    expect(seen[seen.length - 1]!.seq).toBe(count);
    // Each seq carries the hash of the change that the relay acknowledged with that seq.
    for (const m of seen) expect(m.hash).toBe(hashBySeq.get(m.seq));
  }
});

test('a subscriber whose process is killed resumes on the other with since and misses nothing', async () => {
  const env = { REDIS_URL: redis.url, REDIS_PREFIX: `test${process.pid}:` };
  const doomed = await startRelayProcess(env);
  extra.push(doomed);
  const { channel, epoch } = await registered(a);
  const sheet = new ModelSheet();
  const first = await subscribe(doomed.url, channel.channelId, channel.token);
  await first.socket.nextOf('snapshot');
  for (let i = 1; i <= 5; i++) await postChange(b.url, channel, sheet.patch(1, 'T', i, 1, [[i]]));
  await first.socket.waitFor((m) => m.type === 'patch' && m.seq === 5);

  await doomed.kill();
  expect((await first.socket.closed).code).toBe(1006);
  const position = first.socket.position()!;
  expect(position).toEqual({ epoch, seq: 5 });
  for (let i = 6; i <= 12; i++) await postChange(a.url, channel, sheet.patch(1, 'T', i, 2, [[i]]));

  const resumed = await subscribed(b, channel, { since: position });
  expect(resumed.welcome).toEqual({ type: 'welcome', v: 2, channelId: channel.channelId, epoch, seq: 12, recovery: 'patches' });
  const missed = await resumed.socket.take(7);
  expect(missed.map((m) => (m.type === 'patch' ? m.seq : m.type))).toEqual([6, 7, 8, 9, 10, 11, 12]);
  await postChange(a.url, channel, sheet.patch(1, 'T', 13, 1, [[13]]));
  expect(await resumed.socket.next()).toEqual(expect.objectContaining({ type: 'patch', seq: 13, hash: gridHash(sheet.grid) }));
});

test('the status on one process lists a client connected to the other, with what it applied', async () => {
  const { channel } = await registered(a);
  await postChange(a.url, channel, new ModelSheet().patch(1, 'T', 1, 1, [['x']]));
  const { socket } = await subscribed(a, channel, { client: { name: 'File on A' } });
  await socket.nextOf('snapshot');
  socket.send({ type: 'applied', seq: 1, errors: [], errorCount: 0 });
  socket.send({ type: 'ping' });
  await socket.nextOf('pong');
  const status = await getStatus(b.url, channel);
  expect((status.body as { clients: unknown[] }).clients).toEqual([
    { id: expect.any(String), name: 'File on A', connectedAt: expect.any(Number), appliedSeq: 1, appliedAt: expect.any(Number), errors: [], errorCount: 0 },
  ]);
});

test('rotating the secret on A closes a socket on B with 4403 TOKEN_REVOKED', async () => {
  const { channel } = await registered(a);
  const { socket } = await subscribed(b, channel);
  await socket.nextOf('snapshot');
  expect((await register(a.url, channel, newChannel().secret, { signWith: channel.secret })).status).toBe(200);
  expect(await socket.closed).toEqual({ code: 4403, reason: 'TOKEN_REVOKED' });
});

test('a change retried on the other process answers the original seq as a duplicate', async () => {
  const { channel } = await registered(a);
  const change = new ModelSheet().patch(1, 'T', 1, 1, [['once']]);
  const original = await postChange(a.url, channel, change);
  const retry = await postChange(b.url, channel, change, { timestamp: Date.now() - 1 });
  expect(retry.body).toEqual({ ...(original.body as object), duplicate: true });
});

test('a signed request replayed to the other process answers 401 REPLAYED', async () => {
  const { channel } = await registered(a);
  const text = JSON.stringify(new ModelSheet().patch(1, 'T', 1, 1, [['a']]));
  const init = { method: 'POST', headers: { 'content-type': 'application/json', ...signedHeaders(channel.secret, 'POST', paths.changes(channel.channelId), text) }, body: text };
  expect((await getJson(a.url + paths.changes(channel.channelId), init)).status).toBe(200);
  expectError(await getJson(b.url + paths.changes(channel.channelId), init), 'REPLAYED');
});

test('a patch that does not match the shared grid answers 409 on either process', async () => {
  const { channel } = await registered(a);
  const sheet = new ModelSheet();
  await postChange(a.url, channel, sheet.patch(1, 'T', 1, 1, [['a']]));
  const stale = new ModelSheet().patch(1, 'T', 2, 1, [['b']]);
  expect((await postChange(b.url, channel, stale)).status).toBe(409);
});

test('when Redis goes away, /readyz and a change answer 503 STORE_UNAVAILABLE with Retry-After, and the process stays up', async () => {
  const ownRedis = await startRedis();
  const relay = await startInProcessRelay({ REDIS_URL: ownRedis.url });
  try {
    const channel = newChannel();
    await register(relay.url, channel, channel.secret);
    await ownRedis.stop();
    const ready = await getJson(`${relay.url}/readyz`);
    // No detail: Redis's error text (addresses, ports) is for the log only.
    expectError(ready, 'STORE_UNAVAILABLE');
    const change = await postChange(relay.url, channel, new ModelSheet().patch(1, 'T', 1, 1, [['a']]));
    expectError(change, 'STORE_UNAVAILABLE');
    expect(await relay.waitForLog((e) => e.msg === 'store not ready')).toMatchObject({ store: 'redis', err: expect.stringMatching(/./) });
    expect(await relay.waitForLog((e) => e.msg === 'redis call failed')).toMatchObject({ err: expect.stringMatching(/./) });
    expect(change.headers.get('retry-after')).toBe('5');
    expect((await getJson(`${relay.url}/healthz`)).status).toBe(200);
  } finally {
    await relay.close();
    await ownRedis.stop();
  }
});
