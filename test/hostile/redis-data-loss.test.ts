// Issue 11, row 7: after Redis lost its data, fan-out compared seq without epoch: a plugin at seq 10 got
// only seqs 11-13 of the channel's new epoch, silently stale. Now hubs and sockets compare {epoch, seq}:
// once the channel is registered again (a new epoch) its first change reaches every connected plugin,
// on every relay process, as a snapshot of the new epoch, never as a patch that looks like a continuation.

import Redis from 'ioredis';
import { gridHash } from '../../shared/protocol/canonical-hash';
import type { ServerMessage } from '../../shared/protocol/messages';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { subscribe, type TestSocket } from '../helpers/ws-client';
import { ModelSheet, newChannel, postChange, register } from '../relay/support/relay-api';

let redis: TestRedis;
let relays: RelayProcess[] = [];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await Promise.all(relays.map((r) => r.stop()));
  relays = [];
});
afterAll(async () => {
  await redis?.stop();
});

test('plugins at seq 10 on two processes get the new epoch as a snapshot after Redis loses its data and the channel is registered again', async () => {
  // The private redis-server of this run is flushed; never an external one.
  if (redis.external) return;
  const env = { REDIS_URL: redis.url, REDIS_PREFIX: `loss${process.pid}:`, REQUEST_RATE: '1000', REQUEST_BURST: '1000' };
  relays = [await startRelayProcess(env), await startRelayProcess(env)];
  const [a, b] = relays as [RelayProcess, RelayProcess];
  const channel = newChannel();
  const first = await register(a.url, channel, channel.secret);
  expect(first.status).toBe(201);
  const oldEpoch = (first.body as { epoch: string }).epoch;
  const before = new ModelSheet();
  for (let i = 1; i <= 10; i++) expect((await postChange(a.url, channel, before.patch(0, 'T', i, 1, [[`old ${i}`]]))).status).toBe(200);
  const plugins = [];
  for (const relay of [a, b]) {
    const { socket } = await subscribe(relay.url, channel.channelId, channel.token, { since: { epoch: oldEpoch, seq: 10 } });
    sockets.push(socket);
    plugins.push(socket);
  }

  const admin = new Redis(redis.url);
  await admin.flushall();
  admin.disconnect();
  // The add-on registers the same id and secret again when the relay has forgotten it: a new epoch.
  const again = await register(a.url, channel, channel.secret);
  expect(again.status).toBe(201);
  const newEpoch = (again.body as { epoch: string }).epoch;
  expect(newEpoch).not.toBe(oldEpoch);
  // The sheet's next edits: in the new epoch seqs start over, 1 to 13.
  const after = new ModelSheet();
  for (let i = 1; i <= 13; i++) expect((await postChange(a.url, channel, after.patch(0, 'T', i, 1, [[`new ${i}`]]))).status).toBe(200);

  for (const plugin of plugins) {
    const last = (await plugin.waitFor((m) => (m.type === 'patch' || m.type === 'snapshot') && m.epoch === newEpoch && m.seq === 13, 10_000)) as Extract<ServerMessage, { type: 'patch' }>;
    const ofNewEpoch = plugin.messages.filter((m): m is Extract<ServerMessage, { type: 'patch' | 'snapshot' }> => (m.type === 'patch' || m.type === 'snapshot') && m.epoch === newEpoch);
    // The first message of the new epoch is a snapshot: the plugin replaces its grid, never patches the old one.
    expect(ofNewEpoch[0]!.type).toBe('snapshot');
    // Nothing of the new epoch came before it as a patch, and what follows continues it gap-free.
    const seqs = ofNewEpoch.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(last.hash).toBe(gridHash(after.grid));
  }
}, 60_000);
