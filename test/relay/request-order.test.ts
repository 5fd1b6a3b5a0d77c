// The order of a signed request's checks: what the headers say (channel, timestamp, rate) is refused
// before the body is read; the rate limit comes before the replay guard remembers a signature; and all
// requests together hold at most MAX_INFLIGHT_BODY_BYTES of bodies.

import { paths } from '../../shared/protocol/messages';
import { openConnection, type RawConnection } from '../helpers/raw-connection';
import { expectError } from './support/expect-error';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { getJson, ModelSheet, newChannel, register, signedHeaders, type Answer, type TestChannel } from './support/relay-api';

const relays: InProcessRelay[] = [];
const connections: RawConnection[] = [];
afterEach(() => {
  for (const c of connections.splice(0)) c.destroy();
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

/** Sends the request line and headers of a POST to the channel's changes, and `body` (maybe only part of the declared length). */
async function postHead(relay: InProcessRelay, channel: TestChannel, headers: Record<string, string>, contentLength: number, body = ''): Promise<RawConnection> {
  const connection = await openConnection(relay.url);
  connections.push(connection);
  const lines = [`POST ${paths.changes(channel.channelId)} HTTP/1.1`, 'Host: relay', 'Content-Type: application/json', `Content-Length: ${contentLength}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  connection.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  return connection;
}

function asAnswer(raw: { status: number; headers: Record<string, string>; body: unknown }): Answer {
  return { status: raw.status, body: raw.body, headers: new Headers(raw.headers) };
}

describe('refused before the body is read', () => {
  let relay: InProcessRelay;
  beforeAll(async () => {
    relay = await start({ REQUEST_RATE: '1', REQUEST_BURST: '1' });
  });

  test('a stale timestamp answers 401 CLOCK_SKEW while the announced body has not arrived', async () => {
    const channel = await registered(relay);
    const connection = await postHead(relay, channel, signedHeaders(channel.secret, 'POST', paths.changes(channel.channelId), 'x', Date.now() - 3_600_000), 1_000_000);
    expectError(asAnswer(await connection.answer()), 'CLOCK_SKEW');
  });

  test('no signature headers answer 401 MISSING_SIGNATURE while the announced body has not arrived', async () => {
    const channel = await registered(relay);
    const connection = await postHead(relay, channel, {}, 1_000_000);
    expectError(asAnswer(await connection.answer()), 'MISSING_SIGNATURE');
  });

  test('a channel past its rate answers 429 while the announced body has not arrived', async () => {
    const channel = await registered(relay);
    const headers = signedHeaders(channel.secret, 'POST', paths.changes(channel.channelId), 'never sent');
    await postHead(relay, channel, headers, 1_000_000);
    const second = await postHead(relay, channel, signedHeaders(channel.secret, 'POST', paths.changes(channel.channelId), 'never sent either'), 1_000_000);
    expectError(asAnswer(await second.answer()), 'RATE_LIMITED', 'more than 1 requests per second for this channel');
  });
});

test('a request refused by the rate limit leaves no trace in the replay guard: sent again later, it is accepted', async () => {
  const relay = await start({ REQUEST_RATE: '1', REQUEST_BURST: '1' });
  const channel = await registered(relay);
  const sheet = new ModelSheet();
  const first = JSON.stringify(sheet.patch(1, 'T', 1, 1, [['a']]));
  const second = JSON.stringify(sheet.patch(1, 'T', 1, 1, [['b']]));
  const send = (body: string, headers: Record<string, string>): Promise<Answer> =>
    fetch(relay.url + paths.changes(channel.channelId), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as unknown,
      headers: r.headers,
    }));
  expect((await send(first, signedHeaders(channel.secret, 'POST', paths.changes(channel.channelId), first))).status).toBe(200);
  const headers = signedHeaders(channel.secret, 'POST', paths.changes(channel.channelId), second);
  expectError(await send(second, headers), 'RATE_LIMITED', 'more than 1 requests per second for this channel');
  // One token comes back each second; the same signed request (same signature) is then taken, not REPLAYED.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect((await send(second, headers)).status).toBe(200);
});

test('bodies held by requests in progress are bounded in total: past MAX_INFLIGHT_BODY_BYTES a request gets 503 OVERLOADED, the others go on', async () => {
  const relay = await start({ MAX_BODY_BYTES: '65536', SLOW_CONSUMER_BYTES: '131072', MAX_INFLIGHT_BODY_BYTES: '100000' });
  const channel = await registered(relay);
  const sheet = new ModelSheet();
  // A valid change of some 60 KB, sent whole but for its last byte, holds 60 KB of the budget.
  const big = JSON.stringify(sheet.patch(1, 'T', 1, 1, [['x'.repeat(30_000), 'y'.repeat(30_000)]]));
  const holder = await postHead(relay, channel, signedHeaders(channel.secret, 'POST', paths.changes(channel.channelId), big), Buffer.byteLength(big), big.slice(0, -1));
  let held = 0;
  for (let i = 0; i < 100 && held < 59_000; i++) {
    held = Number(String((await getJson(`${relay.url}/metrics`)).body).match(/^relay_inflight_body_bytes (\d+)/m)?.[1] ?? 0);
    if (held < 59_000) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(held).toBeGreaterThanOrEqual(59_000);
  const other = newChannel();
  await register(relay.url, other, other.secret);
  const refused = await postHead(relay, other, signedHeaders(other.secret, 'POST', paths.changes(other.channelId), big), Buffer.byteLength(big), big);
  const answer = asAnswer(await refused.answer());
  expectError(answer, 'OVERLOADED', 'too many request bytes are in flight on this relay (MAX_INFLIGHT_BODY_BYTES)');
  expect(answer.headers.get('retry-after')).toBe('1');
  holder.write(big.slice(-1));
  expect((await holder.answer()).status).toBe(200);
  const after = Number(String((await getJson(`${relay.url}/metrics`)).body).match(/^relay_inflight_body_bytes (\d+)/m)?.[1] ?? -1);
  expect(after).toBe(0);
  expect((await getJson(`${relay.url}/metrics`)).body).toMatch(/^relay_limited_total\{limit="body_bytes_in_flight"\} 1$/m);
});
