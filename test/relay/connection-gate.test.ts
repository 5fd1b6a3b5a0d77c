// Connections in total and per client address, their timeouts in seconds, and who the client is
// behind a trusted proxy: each limit refuses with its code and counts in relay_limited_total.

import { paths } from '../../shared/protocol/messages';
import { openConnection, type RawConnection } from '../helpers/raw-connection';
import { openSocket, subscribe, tryOpenSocket, type TestSocket } from '../helpers/ws-client';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { newChannel, register } from './support/relay-api';

const relays: InProcessRelay[] = [];
const connections: RawConnection[] = [];
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) c.destroy();
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

async function connection(relay: InProcessRelay): Promise<RawConnection> {
  const c = await openConnection(relay.url);
  connections.push(c);
  return c;
}

/** Read from the registry in the process: a request to /metrics would itself meet the limits under test. */
async function metric(relay: InProcessRelay, pattern: RegExp): Promise<number> {
  const text = await relay.relay.metrics.registry.metrics();
  const m = pattern.exec(text);
  return m ? Number(m[1]) : 0;
}

const errorCode = (body: unknown): string | undefined => (body as { error?: { code?: string } }).error?.code;

test('past MAX_CONNECTIONS a new connection is closed as it is accepted, unread; once one closes, the next gets in', async () => {
  const relay = await start({ MAX_CONNECTIONS: '3' });
  const held = [await connection(relay), await connection(relay), await connection(relay)];
  const refused = await connection(relay);
  refused.write('GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n');
  await refused.closed;
  expect(refused.received()).toBe('');
  held[0]!.destroy();
  await held[0]!.closed;
  // The relay learns of the close a moment later: the next connection is admitted once it has.
  let admitted: number | undefined;
  for (let i = 0; i < 50 && admitted !== 200; i++) {
    const next = await connection(relay);
    next.write('GET /healthz HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n');
    admitted = (await next.answer()).status;
    if (admitted !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(admitted).toBe(200);
  held[1]!.destroy();
  held[2]!.destroy();
  await Promise.all([held[1]!.closed, held[2]!.closed]);
  expect(await metric(relay, /^relay_limited_total\{limit="connections"\} (\d+)$/m)).toBeGreaterThanOrEqual(1);
});

test('past MAX_CONNECTIONS_PER_IP an address gets 429 TOO_MANY_CONNECTIONS', async () => {
  const relay = await start({ MAX_CONNECTIONS_PER_IP: '2' });
  await connection(relay);
  await connection(relay);
  const refused = await connection(relay);
  const answer = await refused.answer();
  expect([answer.status, errorCode(answer.body)]).toEqual([429, 'TOO_MANY_CONNECTIONS']);
  expect(answer.body).toEqual(expect.objectContaining({ error: expect.objectContaining({ detail: 'more than 2 open connections from this address (MAX_CONNECTIONS_PER_IP)' }) }));
});

test('past CONNECTIONS_PER_IP_PER_SECOND (bursts of twice that) an address gets 429 TOO_MANY_CONNECTIONS', async () => {
  const relay = await start({ CONNECTIONS_PER_IP_PER_SECOND: '1' });
  const first = [await connection(relay), await connection(relay)];
  const refused = await connection(relay);
  const answer = await refused.answer();
  expect([answer.status, errorCode(answer.body)]).toEqual([429, 'TOO_MANY_CONNECTIONS']);
  expect(first.every((c) => !c.socket.destroyed)).toBe(true);
  expect(await metric(relay, /^relay_limited_total\{limit="connection_rate_per_ip"\} (\d+)$/m)).toBe(1);
});

describe('timeouts in seconds', () => {
  let relay: InProcessRelay;
  beforeAll(async () => {
    relay = await start({ HEADERS_TIMEOUT_S: '1', REQUEST_TIMEOUT_S: '2', IDLE_TIMEOUT_S: '2', KEEP_ALIVE_TIMEOUT_S: '1', HEARTBEAT_MS: '60000' });
  });

  test('a connection that sends no request, or half a request line, is closed after HEADERS_TIMEOUT_S', async () => {
    const silent = await connection(relay);
    const slow = await connection(relay);
    slow.write('GET /heal');
    const started = Date.now();
    await Promise.all([silent.closed, slow.closed]);
    // Node checks the timeout on an interval (half of it here): closed within the timeout and that interval, with slack.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(errorCode((await slow.answer()).body)).toBe('BAD_REQUEST');
  });

  test('a body that trickles in slower than REQUEST_TIMEOUT_S allows is cut', async () => {
    const channel = newChannel();
    await register(relay.url, channel, channel.secret);
    const slow = await connection(relay);
    slow.write(`POST ${paths.changes(channel.channelId)} HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
    const timer = setInterval(() => slow.write(' '), 300);
    try {
      await slow.closed;
    } finally {
      clearInterval(timer);
    }
    expect(slow.socket.destroyed).toBe(true);
  });

  test('an idle keep-alive connection is closed after KEEP_ALIVE_TIMEOUT_S', async () => {
    const kept = await connection(relay);
    kept.write('GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n');
    expect((await kept.answer()).status).toBe(200);
    await kept.closed;
  });

  test('a WebSocket outlives every HTTP timeout (the heartbeat watches it)', async () => {
    const channel = newChannel();
    await register(relay.url, channel, channel.secret);
    const { socket } = await subscribe(relay.url, channel.channelId, channel.token);
    sockets.push(socket);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    socket.send({ type: 'ping' });
    expect((await socket.waitFor((m) => m.type === 'pong')).type).toBe('pong');
  });
});

describe('behind a trusted proxy', () => {
  let relay: InProcessRelay;
  beforeAll(async () => {
    relay = await start({ TRUSTED_PROXY: 'loopback', OPEN_REGISTRATION: 'yes', CONNECTIONS_PER_IP_PER_SECOND: '1', MAX_CONNECTIONS_PER_IP: '1' });
  });

  test('X-Forwarded-For names the client: its requests are logged with that address and rate limited as its own', async () => {
    const ask = (ip: string) => fetch(`${relay.url}/v2/channels/${'x'.repeat(20)}/status`, { headers: { 'x-forwarded-for': `${ip}, 127.0.0.1`, 'x-request-id': `req-${ip}` } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await ask('203.0.113.7')).status);
    statuses.push((await ask('198.51.100.9')).status);
    // Unknown channel (404) twice in the burst, then the rate; another client is not affected.
    expect(statuses).toEqual([404, 404, 429, 404]);
    const logged = await relay.waitForLog((e) => e.msg === 'request' && e.reqId === 'req-198.51.100.9');
    expect(logged.ip).toBe('198.51.100.9');
  });

  test('sockets count against MAX_CONNECTIONS_PER_IP per forwarded address', async () => {
    const channel = newChannel();
    await register(relay.url, channel, channel.secret);
    sockets.push(await openSocket(relay.url, channel.channelId, { headers: { 'x-forwarded-for': '192.0.2.10' } }));
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the rate (1 a second) is not what is tested here
    const refused = await tryOpenSocket(relay.url, channel.channelId, { headers: { 'x-forwarded-for': '192.0.2.10' } });
    expect('refused' in refused && [refused.status, errorCode(refused.body)]).toEqual([429, 'TOO_MANY_CONNECTIONS']);
    const other = await tryOpenSocket(relay.url, channel.channelId, { headers: { 'x-forwarded-for': '192.0.2.11' } });
    expect('refused' in other).toBe(false);
    if (!('refused' in other)) sockets.push(other);
  });
});

test('without TRUSTED_PROXY, X-Forwarded-For is ignored: the TCP peer is the client', async () => {
  const relay = await start({});
  await fetch(`${relay.url}/healthz`, { headers: { 'x-forwarded-for': '203.0.113.7', 'x-request-id': 'no-proxy' } });
  await fetch(`${relay.url}/v2/channels/${'y'.repeat(20)}/status`, { headers: { 'x-forwarded-for': '203.0.113.7', 'x-request-id': 'no-proxy-2' } });
  const logged = await relay.waitForLog((e) => e.msg === 'request' && e.reqId === 'no-proxy-2');
  expect(logged.ip).toBe('127.0.0.1');
});
