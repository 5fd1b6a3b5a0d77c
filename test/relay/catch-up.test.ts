// Catch-up over real sockets: a subscriber that says where it stands (since) gets exactly the changes
// it lacks, as patches while history holds them and the epoch matches, else one snapshot; live changes
// that arrive meanwhile follow in order with no gap or duplicate.

import { gridHash } from '../../shared/protocol/canonical-hash';
import type { Position, ServerMessage } from '../../shared/protocol/messages';
import { subscribe, type TestSocket } from '../helpers/ws-client';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { ModelSheet, newChannel, postChange, register, type TestChannel } from './support/relay-api';

let relay: InProcessRelay;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  relay = await startInProcessRelay({ HISTORY_LIMIT: '5', REQUEST_RATE: '10000', REQUEST_BURST: '10000', MAX_SOCKETS_PER_CHANNEL: '1000' });
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await relay?.close();
});

/** A registered channel with `count` patches committed; returns the epoch and each change. */
async function channelWith(count: number, target = relay): Promise<{ channel: TestChannel; sheet: ModelSheet; epoch: string; ids: string[] }> {
  const channel = newChannel();
  const epoch = ((await register(target.url, channel, channel.secret)).body as { epoch: string }).epoch;
  const sheet = new ModelSheet();
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const change = sheet.patch(1, 'T', i, 1, [[`v${i}`]]);
    ids.push(change.id);
    expect((await postChange(target.url, channel, change)).status).toBe(200);
  }
  return { channel, sheet, epoch, ids };
}

async function subscribed(channel: TestChannel, since?: Position, target = relay): Promise<Awaited<ReturnType<typeof subscribe>>> {
  const result = await subscribe(target.url, channel.channelId, channel.token, since ? { since } : {});
  sockets.push(result.socket);
  return result;
}

/** Sends ping and collects everything up to the pong: what the relay sent before it. */
async function drain(socket: TestSocket): Promise<ServerMessage[]> {
  socket.send({ type: 'ping' });
  const out: ServerMessage[] = [];
  for (;;) {
    const message = await socket.next();
    if (message.type === 'pong') return out;
    out.push(message);
  }
}

function summary(messages: ServerMessage[]): string[] {
  return messages.map((m) => ('seq' in m ? `${m.type}:${m.seq}` : m.type));
}

test('a subscriber at the head gets welcome with recovery current and nothing else', async () => {
  const { channel, epoch } = await channelWith(3);
  const { socket, welcome } = await subscribed(channel, { epoch, seq: 3 });
  expect(welcome).toEqual({ type: 'welcome', v: 2, channelId: channel.channelId, epoch, seq: 3, recovery: 'current' });
  expect(await drain(socket)).toEqual([]);
});

test('a subscriber a few changes behind gets exactly the missed patches, in order', async () => {
  const { channel, epoch, ids } = await channelWith(5);
  const { socket, welcome } = await subscribed(channel, { epoch, seq: 2 });
  expect(welcome).toEqual({ type: 'welcome', v: 2, channelId: channel.channelId, epoch, seq: 5, recovery: 'patches' });
  const missed = await drain(socket);
  expect(missed.map((m) => (m.type === 'patch' ? [m.seq, m.id] : m.type))).toEqual([
    [3, ids[2]],
    [4, ids[3]],
    [5, ids[4]],
  ]);
});

test('a subscriber whose missed changes were trimmed from history gets one snapshot', async () => {
  const { channel, sheet, epoch } = await channelWith(9);
  const { socket, welcome } = await subscribed(channel, { epoch, seq: 2 });
  expect(welcome.recovery).toBe('snapshot');
  const [snapshot, ...rest] = await drain(socket);
  expect(rest).toEqual([]);
  expect(snapshot).toEqual({ type: 'snapshot', epoch, seq: 9, tabs: [{ tabId: 1, name: 'T', values: sheet.grid.tabs[0]!.rows }], hash: expect.any(String), at: expect.any(Number) });
});

test('the oldest change history still holds is enough for patches (HISTORY_LIMIT changes back)', async () => {
  const { channel, epoch } = await channelWith(9);
  const { socket, welcome } = await subscribed(channel, { epoch, seq: 4 });
  expect(welcome.recovery).toBe('patches');
  expect(summary(await drain(socket))).toEqual(['patch:5', 'patch:6', 'patch:7', 'patch:8', 'patch:9']);
});

test('a subscriber from another epoch gets a snapshot, never patches', async () => {
  const { channel } = await channelWith(3);
  const { socket, welcome } = await subscribed(channel, { epoch: 'some-older-epoch', seq: 2 });
  expect(welcome.recovery).toBe('snapshot');
  expect(summary(await drain(socket))).toEqual(['snapshot:3']);
});

test('a subscriber claiming a seq ahead of the channel gets a snapshot', async () => {
  const { channel, epoch } = await channelWith(2);
  const { socket, welcome } = await subscribed(channel, { epoch, seq: 40 });
  expect(welcome.recovery).toBe('snapshot');
  expect(summary(await drain(socket))).toEqual(['snapshot:2']);
});

test('a snapshot change among the missed ones makes the catch-up one snapshot of the head (history keeps no copy of it)', async () => {
  const { channel, sheet, epoch } = await channelWith(2);
  await postChange(relay.url, channel, sheet.fullSnapshot());
  await postChange(relay.url, channel, sheet.patch(1, 'T', 9, 1, [['after']]));
  const { socket, welcome } = await subscribed(channel, { epoch, seq: 1 });
  expect(welcome.recovery).toBe('snapshot');
  expect(summary(await drain(socket))).toEqual(['snapshot:4']);
});

test('history is also bounded by HISTORY_MAX_BYTES: older changes then come as a snapshot', async () => {
  const small = await startInProcessRelay({ HISTORY_MAX_BYTES: '2048' });
  try {
    const channel = newChannel();
    const epoch = ((await register(small.url, channel, channel.secret)).body as { epoch: string }).epoch;
    const sheet = new ModelSheet();
    for (let i = 1; i <= 6; i++) await postChange(small.url, channel, sheet.patch(1, 'T', i, 1, [['x'.repeat(600)]]));
    const recent = await subscribe(small.url, channel.channelId, channel.token, { since: { epoch, seq: 5 } });
    const old = await subscribe(small.url, channel.channelId, channel.token, { since: { epoch, seq: 1 } });
    expect([recent.welcome.recovery, old.welcome.recovery]).toEqual(['patches', 'snapshot']);
    await recent.socket.close();
    await old.socket.close();
  } finally {
    await small.close();
  }
});

test('subscribers that join while changes stream in each get a gap-free, duplicate-free sequence to the end', async () => {
  const { channel, sheet, epoch } = await channelWith(1);
  const total = 60;
  const joining: Promise<Awaited<ReturnType<typeof subscribed>>>[] = [subscribed(channel)];
  for (let i = 2; i <= total; i++) {
    // New subscribers join while the stream goes on (not awaited), some with since, some without.
    if (i % 6 === 0) joining.push(subscribed(channel, i % 12 === 0 ? { epoch, seq: i - 4 } : undefined));
    expect((await postChange(relay.url, channel, sheet.patch(1, 'T', 1 + (i % 7), 2, [[i]]))).status).toBe(200);
  }
  const joined = (await Promise.all(joining)).map((j) => j.socket);
  for (const socket of joined) {
    await socket.waitFor((m) => (m.type === 'patch' || m.type === 'snapshot') && m.seq === total, 10_000);
    const seqs = socket.messages.filter((m): m is Extract<ServerMessage, { type: 'patch' | 'snapshot' }> => m.type === 'patch' || m.type === 'snapshot').map((m) => m.seq);
    const start = seqs[0]!;
    expect(seqs).toEqual(Array.from({ length: total - start + 1 }, (_, k) => start + k));
    // The last message's hash is the channel's: the subscriber's grid is whole.
    const last = socket.messages[socket.messages.length - 1] as { hash: string };
    expect(last.hash).toBe(gridHash(sheet.grid));
  }
});
