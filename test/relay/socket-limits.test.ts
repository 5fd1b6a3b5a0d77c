// Limits on subscriber sockets: WebSocket ping (and pong) frames share the message rate, one address
// holds at most MAX_SOCKETS_PER_CHANNEL_PER_IP sockets of a channel, and /status lists a bounded part
// of a channel's clients with their total count, each with a bounded part of its applied report.

import WebSocket from 'ws';
import { ERRORS } from '../../shared/protocol/errors';
import type { Problem } from '../../shared/protocol/messages';
import { STATUS_CLIENTS_LISTED } from '../../relay/http-routes';
import { CLIENT_PROBLEMS_KEPT_BYTES } from '../../relay/socket-session';
import { openSocket, subscribe, type TestSocket } from '../helpers/ws-client';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { getStatus, newChannel, register, type TestChannel } from './support/relay-api';

const relays: InProcessRelay[] = [];
const sockets: TestSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close().catch(() => undefined)));
});
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
});

async function start(env: Record<string, string>): Promise<InProcessRelay> {
  const relay = await startInProcessRelay(env);
  relays.push(relay);
  return relay;
}

async function registered(relay: InProcessRelay): Promise<TestChannel> {
  const channel = newChannel();
  expect((await register(relay.url, channel, channel.secret)).status).toBe(201);
  return channel;
}

test('ping frames past the message burst close the socket with 4429 RATE_LIMITED', async () => {
  const relay = await start({ MESSAGE_RATE: '1', MESSAGE_BURST: '5' });
  const channel = await registered(relay);
  const { socket } = await subscribe(relay.url, channel.channelId, channel.token);
  sockets.push(socket);
  // hello took one token; ws answers every ping frame itself, so only the rate can stop a flood of them.
  for (let i = 0; i < 10; i++) socket.ws.ping();
  const closed = await socket.closed;
  expect(closed.code).toBe(ERRORS.RATE_LIMITED.closeCode);
  expect(closed.reason).toMatch(/^RATE_LIMITED: more than 5 messages or ping frames at once/);
  expect(await relay.relay.metrics.registry.metrics()).toMatch(/^relay_limited_total\{limit="socket_messages"\} 1$/m);
});

test('a few ping frames are answered with pongs and the socket stays open', async () => {
  const relay = await start({ MESSAGE_RATE: '1', MESSAGE_BURST: '5' });
  const channel = await registered(relay);
  const { socket } = await subscribe(relay.url, channel.channelId, channel.token);
  sockets.push(socket);
  const pong = new Promise<void>((resolve) => socket.ws.once('pong', () => resolve()));
  socket.ws.ping();
  await pong;
  expect(socket.ws.readyState).toBe(WebSocket.OPEN);
});

test('one address may hold MAX_SOCKETS_PER_CHANNEL_PER_IP sockets of a channel; the next closes with 4430, another channel is not affected', async () => {
  const relay = await start({ MAX_SOCKETS_PER_CHANNEL_PER_IP: '2' });
  const channel = await registered(relay);
  for (let i = 0; i < 2; i++) sockets.push((await subscribe(relay.url, channel.channelId, channel.token)).socket);
  const third = await openSocket(relay.url, channel.channelId);
  sockets.push(third);
  third.hello(channel.token);
  const closed = await third.closed;
  expect([closed.code, closed.reason]).toEqual([4430, 'TOO_MANY_SOCKETS: limit is 2 per channel from one address']);
  const other = await registered(relay);
  sockets.push((await subscribe(relay.url, other.channelId, other.token)).socket);
  // A place is given back when a socket closes.
  await sockets[0]!.close();
  sockets.push((await subscribe(relay.url, channel.channelId, channel.token)).socket);
});

test(`/status lists at most ${STATUS_CLIENTS_LISTED} clients, oldest first, with the total count`, async () => {
  const relay = await start({});
  const channel = await registered(relay);
  const count = STATUS_CLIENTS_LISTED + 10;
  for (let i = 0; i < count; i++) sockets.push((await subscribe(relay.url, channel.channelId, channel.token, { client: { name: `file ${i}` } })).socket);
  const listed = (await getStatus(relay.url, channel)).body as { clients: { name: string }[]; clientCount: number };
  expect([listed.clients.length, listed.clientCount]).toEqual([STATUS_CLIENTS_LISTED, count]);
  expect(listed.clients.slice(0, 2).map((c) => c.name)).toEqual(['file 0', 'file 1']);
}, 60_000);

test(`a client's applied report is kept up to ${CLIENT_PROBLEMS_KEPT_BYTES} bytes of problems, with its full errorCount`, async () => {
  const relay = await start({});
  const channel = await registered(relay);
  const problem: Problem = { tab: 'Colors', cell: 'B2', severity: 'error', message: 'm'.repeat(900) };
  const { socket } = await subscribe(relay.url, channel.channelId, channel.token);
  sockets.push(socket);
  socket.send({ type: 'applied', seq: 0, errors: Array.from({ length: 240 }, () => problem), errorCount: 240 });
  await relay.waitForLog((e) => e.msg === 'client applied');
  const [client] = ((await getStatus(relay.url, channel)).body as { clients: { errors: Problem[]; errorCount: number }[] }).clients;
  expect(client!.errorCount).toBe(240);
  expect(client!.errors.length).toBeGreaterThan(20);
  expect(client!.errors.length).toBeLessThan(240);
  expect(Buffer.byteLength(JSON.stringify(client!.errors))).toBeLessThanOrEqual(CLIENT_PROBLEMS_KEPT_BYTES);
  expect(client!.errors.every((p) => p.message === problem.message)).toBe(true);
});
