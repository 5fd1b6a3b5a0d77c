// Row 4 of issue 11, connection floods: idle, slow-header, slow-body and socket connections from one
// address, and idle ones from many. Each flood is held to the relay's bounds (connections per address
// and in total, headers/request/hello timeouts in seconds) while a well-behaved channel beside it
// keeps every change, and a new subscriber can still join.

import { randomBytes } from 'node:crypto';
import { channelIdForClaim } from '../../shared/protocol/channel-claim';
import { paths } from '../../shared/protocol/messages';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { subscribe } from '../helpers/ws-client';
import { getJson, newChannel, register, signedHeaders } from '../relay/support/relay-api';
import { attackerAddresses, httpFrom } from './support/attacker';
import { connectionFlood, type ConnectionFlood } from './support/attack-connection-flood';
import { processMemory, startBystander, type Bystander } from './support/bystander';
import { expectBystanderUnharmed, WELL_BEHAVED } from './support/unharmed';
import { eventually, PRODUCTION_CLIENT_LIMITS } from './support/relay-env';

const HEADERS_TIMEOUT_S = 2;
const REQUEST_TIMEOUT_S = 4;
const HELLO_TIMEOUT_MS = 2000;
const PER_IP = Number(PRODUCTION_CLIENT_LIMITS.MAX_CONNECTIONS_PER_IP);
const RATE_PER_IP = Number(PRODUCTION_CLIENT_LIMITS.CONNECTIONS_PER_IP_PER_SECOND);
/** Slack for Node's once-a-second timeout check and a busy machine. */
const SLACK_MS = 4000;
let relay: RelayProcess;
let bystander: Bystander | undefined;
const floods: ConnectionFlood[] = [];

beforeAll(async () => {
  relay = await startRelayProcess({
    ...PRODUCTION_CLIENT_LIMITS,
    HEADERS_TIMEOUT_S: String(HEADERS_TIMEOUT_S),
    REQUEST_TIMEOUT_S: String(REQUEST_TIMEOUT_S),
    IDLE_TIMEOUT_S: String(REQUEST_TIMEOUT_S),
    HELLO_TIMEOUT_MS: String(HELLO_TIMEOUT_MS),
    MAX_CONNECTIONS: '1000',
  });
});
afterEach(async () => {
  await Promise.all(floods.splice(0).map((f) => f.stop()));
  await bystander?.stop();
  bystander = undefined;
});
afterAll(async () => {
  await relay?.stop();
});

test('2,000 idle connections from one address: at most MAX_CONNECTIONS_PER_IP are held, each cut within HEADERS_TIMEOUT_S; a new subscriber still joins', async () => {
  bystander = await startBystander(relay.url, WELL_BEHAVED);
  const window = bystander.mark();
  const flood = await connectionFlood(relay.url, { kind: 'idle', count: 2000, parallel: 100 });
  floods.push(flood);
  expect(flood.connected).toBe(2000);
  // The refused ones get their answer and go; what stays is what the relay admitted.
  expect(await eventually(() => flood.openNow() <= PER_IP, 5000)).toBe(true);
  expect(flood.answers()['429 TOO_MANY_CONNECTIONS']).toBeGreaterThanOrEqual(2000 - PER_IP);
  const joiner = newChannel();
  await register(relay.url, joiner, joiner.secret);
  const { socket } = await subscribe(relay.url, joiner.channelId, joiner.token);
  await socket.close();
  expect(await eventually(() => flood.openNow() === 0, HEADERS_TIMEOUT_S * 1000 + SLACK_MS)).toBe(true);
  expect(Math.max(...flood.lifetimesMs())).toBeLessThan(HEADERS_TIMEOUT_S * 1000 + SLACK_MS);
  await expectBystanderUnharmed(bystander, window);
  expect(processMemory(relay.child.pid!).peakRssBytes).toBeLessThan(256 * 1024 * 1024);
});

test('slow-header connections are cut within HEADERS_TIMEOUT_S however steadily they trickle; past the per-address rate they are refused at once', async () => {
  bystander = await startBystander(relay.url, WELL_BEHAVED);
  const window = bystander.mark();
  const flood = await connectionFlood(relay.url, { kind: 'slow-header', count: PER_IP, addresses: attackerAddresses(1, 3), trickleMs: 200 });
  floods.push(flood);
  expect(await eventually(() => flood.openNow() === 0, HEADERS_TIMEOUT_S * 1000 + SLACK_MS)).toBe(true);
  const answers = flood.answers();
  // A burst of twice CONNECTIONS_PER_IP_PER_SECOND gets in and is cut by the headers timeout; the rest are refused.
  expect(answers['400 BAD_REQUEST']).toBeGreaterThanOrEqual(2 * RATE_PER_IP);
  expect(answers['400 BAD_REQUEST']! + (answers['429 TOO_MANY_CONNECTIONS'] ?? 0)).toBe(PER_IP);
  expect(Math.max(...flood.lifetimesMs())).toBeLessThan(HEADERS_TIMEOUT_S * 1000 + SLACK_MS);
  await expectBystanderUnharmed(bystander, window);
});

test('slow-body requests to a channel are held at most REQUEST_TIMEOUT_S, and past the channel rate are refused before any body', async () => {
  const attacker = '127.0.0.4';
  const claim = randomBytes(32).toString('base64url');
  const channelId = channelIdForClaim(claim);
  const secret = randomBytes(32).toString('base64url');
  const claimed = await httpFrom(relay.url + paths.channel(channelId), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret, claim }), localAddress: attacker });
  expect(claimed.status).toBe(201);
  bystander = await startBystander(relay.url, WELL_BEHAVED);
  const window = bystander.mark();
  const path = paths.changes(channelId);
  const flood = await connectionFlood(relay.url, {
    kind: 'slow-body',
    count: 150,
    // From 15 addresses, 10 each: within every per-address bound, so the channel's own rate is what refuses.
    addresses: attackerAddresses(15, 100),
    path,
    // A fresh timestamp passes the checks made before the body; the signature can only be checked after it.
    headers: signedHeaders(secret, 'POST', path, 'the body that never comes'),
    bodyBytes: 5_000_000,
    trickleMs: 200,
  });
  floods.push(flood);
  expect(await eventually(() => flood.openNow() === 0, REQUEST_TIMEOUT_S * 1000 + SLACK_MS)).toBe(true);
  const answers = flood.answers();
  // REQUEST_BURST (100) go on to their body, the rest are refused at once; all are gone by REQUEST_TIMEOUT_S.
  expect(answers['429 RATE_LIMITED']).toBeGreaterThanOrEqual(45);
  expect(answers['429 RATE_LIMITED']! + (answers['400 BAD_REQUEST'] ?? 0)).toBe(150);
  expect(Math.max(...flood.lifetimesMs())).toBeLessThan(REQUEST_TIMEOUT_S * 1000 + SLACK_MS);
  await expectBystanderUnharmed(bystander, window);
});

test('500 WebSocket upgrades from one address: at most MAX_CONNECTIONS_PER_IP open, and those without a hello closed after HELLO_TIMEOUT_MS', async () => {
  const channel = newChannel();
  await register(relay.url, channel, channel.secret);
  bystander = await startBystander(relay.url, WELL_BEHAVED);
  const window = bystander.mark();
  const flood = await connectionFlood(relay.url, { kind: 'socket', count: 500, addresses: attackerAddresses(1, 5), path: paths.socket(channel.channelId) });
  floods.push(flood);
  expect(await eventually(() => flood.openNow() === 0, HELLO_TIMEOUT_MS + SLACK_MS + 3000)).toBe(true);
  const answers = flood.answers();
  expect(answers['101']).toBeLessThanOrEqual(PER_IP);
  expect({ ...answers, '101': undefined, '429 TOO_MANY_CONNECTIONS': undefined }).toEqual({ '101': undefined, '429 TOO_MANY_CONNECTIONS': undefined });
  expect(answers['101']! + answers['429 TOO_MANY_CONNECTIONS']!).toBe(500);
  await expectBystanderUnharmed(bystander, window);
});

test('idle connections from 60 addresses meet MAX_CONNECTIONS: the rest are closed as they are accepted, and the bystander loses nothing', async () => {
  bystander = await startBystander(relay.url, WELL_BEHAVED);
  const window = bystander.mark();
  const flood = await connectionFlood(relay.url, { kind: 'idle', count: 3000, addresses: attackerAddresses(60, 10), parallel: 200 });
  floods.push(flood);
  // The bystander holds a few connections too: the attackers got at most the rest of MAX_CONNECTIONS.
  expect(await eventually(() => flood.openNow() <= 1000, 5000)).toBe(true);
  expect(flood.answers()['closed without answer']).toBeGreaterThanOrEqual(1000);
  expect(Number(/^relay_limited_total\{limit="connections"\} (\d+)$/m.exec(String((await getJson(`${relay.url}/metrics`)).body))?.[1])).toBeGreaterThanOrEqual(1000);
  expect(await eventually(() => flood.openNow() === 0, HEADERS_TIMEOUT_S * 1000 + SLACK_MS)).toBe(true);
  await expectBystanderUnharmed(bystander, window, { atGlobalCap: true });
});
