// The relay's HTTP endpoints over real HTTP on loopback: what each accepts, and each refusal with its
// exact status and error code.

import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { gridHash } from '../../shared/protocol/canonical-hash';
import { ERRORS } from '../../shared/protocol/errors';
import { paths } from '../../shared/protocol/messages';
import { expectError } from './support/expect-error';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { getJson, getStatus, ModelSheet, newChannel, postChange, register, signedHeaders, type TestChannel } from './support/relay-api';

const REGISTRATION_KEY = 'registration-key-0123456789';
let relay: InProcessRelay;
let keyed: InProcessRelay;

beforeAll(async () => {
  relay = await startInProcessRelay({ MAX_BODY_BYTES: '8192', SLOW_CONSUMER_BYTES: '16384', REQUEST_RATE: '1000', REQUEST_BURST: '1000' });
  keyed = await startInProcessRelay({ REGISTRATION_KEY });
});
afterAll(async () => {
  await relay?.close();
  await keyed?.close();
});

async function registered(target = relay): Promise<TestChannel> {
  const channel = newChannel();
  const answer = await register(target.url, channel, channel.secret, target === keyed ? { registrationKey: REGISTRATION_KEY } : {});
  expect(answer.status).toBe(201);
  return channel;
}

describe('health, readiness and metrics', () => {
  test('GET /healthz answers 200 {ok: true}', async () => {
    const answer = await getJson(`${relay.url}/healthz`);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { ok: true } });
  });

  test('HEAD /healthz answers 200 without a body (load-balancer probes)', async () => {
    const answer = await getJson(`${relay.url}/healthz`, { method: 'HEAD' });
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: '' });
  });

  test('GET /readyz answers 200 once the store answers', async () => {
    const answer = await getJson(`${relay.url}/readyz`);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { ok: true, store: 'sqlite' } });
  });

  test('GET /metrics answers Prometheus text with the relay metrics', async () => {
    const answer = await getJson(`${relay.url}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    for (const name of ['relay_connections', 'relay_messages_in_total', 'relay_messages_out_total', 'relay_publish_to_send_seconds', 'relay_store_seconds', 'relay_rejections_total']) {
      expect(answer.body).toContain(`# TYPE ${name} `);
    }
  });

  test('a channel path of another protocol version answers 426 UNSUPPORTED_VERSION naming the relay\'s version', async () => {
    expectError(await getJson(`${relay.url}/v1/channels/ch_4f9a2b7c1d3e5f60/status`), 'UNSUPPORTED_VERSION', 'this relay speaks protocol v2 (paths /v2/…); update the add-on');
  });

  test('an unknown path answers 404 NOT_FOUND', async () => {
    expectError(await getJson(`${relay.url}/v2/nothing`), 'NOT_FOUND', 'GET /v2/nothing');
  });

  test('a known path with the wrong method answers 405 METHOD_NOT_ALLOWED and lists the allowed ones', async () => {
    const answer = await getJson(`${relay.url}/healthz`, { method: 'POST' });
    expectError(answer, 'METHOD_NOT_ALLOWED', '/healthz takes GET');
    expect(answer.headers.get('allow')).toBe('GET');
  });

  test('the socket path without an upgrade answers 400 BAD_REQUEST', async () => {
    expectError(await getJson(`${relay.url}${paths.socket(newChannel().channelId)}`), 'BAD_REQUEST', /WebSocket/);
  });

  test('every answer carries an X-Request-Id, echoing a well-formed one the client sent', async () => {
    const mine = await getJson(`${relay.url}/healthz`, { headers: { 'x-request-id': 'req-123' } });
    expect(mine.headers.get('x-request-id')).toBe('req-123');
    const generated = await getJson(`${relay.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('PUT /v2/channels/:id (register and rotate)', () => {
  test('the first claim registers the channel: 201 with epoch and seq 0', async () => {
    const channel = newChannel();
    const answer = await register(relay.url, channel, channel.secret);
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 201,
      body: { channelId: channel.channelId, epoch: expect.stringMatching(/^[A-Za-z0-9_-]{12}$/), seq: 0, rotated: false },
    });
  });

  test('repeating the first claim with the same secret answers 200 with the same epoch (a lost answer can be retried)', async () => {
    const channel = newChannel();
    const first = (await register(relay.url, channel, channel.secret)).body as { epoch: string };
    const again = await register(relay.url, channel, channel.secret);
    expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: { channelId: channel.channelId, epoch: first.epoch, seq: 0, rotated: false } });
  });

  test('an unsigned claim of a taken id with another secret answers 409 CHANNEL_TAKEN', async () => {
    const channel = await registered();
    expectError(await register(relay.url, channel, newChannel().secret), 'CHANNEL_TAKEN');
  });

  test('a secret shorter than 32 bytes answers 422 WEAK_SECRET', async () => {
    const channel = newChannel();
    expectError(await register(relay.url, channel, 'c2hvcnQ'), 'WEAK_SECRET', 'secret must be at least 43 base64url characters (32 random bytes)');
  });

  test('a body that is not JSON answers 400 BAD_JSON', async () => {
    expectError(await register(relay.url, newChannel(), '', { rawBody: '{"secret":' }), 'BAD_JSON', /^not valid JSON/);
  });

  test('a body with an unknown field answers 400 BAD_REQUEST naming it', async () => {
    const channel = newChannel();
    expectError(await register(relay.url, channel, '', { rawBody: JSON.stringify({ secret: channel.secret, extra: 1 }) }), 'BAD_REQUEST', 'extra is not a known field');
  });

  test('a malformed channel id answers 400 BAD_REQUEST', async () => {
    const channel = newChannel();
    expectError(await register(relay.url, { channelId: 'short' }, channel.secret), 'BAD_REQUEST', 'a channel id is 16-64 characters of A-Z a-z 0-9 _ -');
  });

  test('a body sent as text/plain answers 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const channel = newChannel();
    expectError(await register(relay.url, channel, channel.secret, { headers: { 'content-type': 'text/plain' } }), 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type was "text/plain"');
  });

  test('with REGISTRATION_KEY set, a claim without the key answers 401 REGISTRATION_KEY_REQUIRED', async () => {
    const channel = newChannel();
    expectError(await register(keyed.url, channel, channel.secret), 'REGISTRATION_KEY_REQUIRED');
  });

  test('with REGISTRATION_KEY set, a claim with a wrong key answers 401 REGISTRATION_KEY_REQUIRED', async () => {
    const channel = newChannel();
    expectError(await register(keyed.url, channel, channel.secret, { registrationKey: 'not-the-key-0123456789' }), 'REGISTRATION_KEY_REQUIRED');
  });

  test('with REGISTRATION_KEY set, a claim bearing the key registers', async () => {
    const channel = newChannel();
    expect((await register(keyed.url, channel, channel.secret, { registrationKey: REGISTRATION_KEY })).status).toBe(201);
  });

  test('a rotation signed with the current secret answers 200 rotated, and only the new secret signs afterwards', async () => {
    const channel = await registered();
    const next = newChannel().secret;
    const answer = await register(relay.url, channel, next, { signWith: channel.secret });
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 200,
      body: { channelId: channel.channelId, epoch: expect.any(String), seq: 0, rotated: true },
    });
    const sheet = new ModelSheet();
    expectError(await postChange(relay.url, channel, sheet.patch(1, 'T', 1, 1, [['a']])), 'BAD_SIGNATURE');
    expect((await postChange(relay.url, { ...channel, secret: next }, sheet.patch(1, 'T', 1, 1, [['a']]))).status).toBe(200);
  });

  test('a rotation signed with a wrong secret answers 401 BAD_SIGNATURE and changes nothing', async () => {
    const channel = await registered();
    expectError(await register(relay.url, channel, newChannel().secret, { signWith: newChannel().secret }), 'BAD_SIGNATURE');
    expect((await postChange(relay.url, channel, new ModelSheet().patch(1, 'T', 1, 1, [['a']]))).status).toBe(200);
  });

  test('a signed request bringing the current secret answers 200 rotated false', async () => {
    const channel = await registered();
    const answer = await register(relay.url, channel, channel.secret, { signWith: channel.secret });
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { channelId: channel.channelId, epoch: expect.any(String), seq: 0, rotated: false } });
  });
});

describe('POST /v2/channels/:id/changes', () => {
  test('a valid patch is committed: 200 {epoch, seq, hash}, seqs counting up from 1', async () => {
    const channel = await registered();
    const sheet = new ModelSheet();
    const first = sheet.patch(7, 'Colors', 1, 1, [['Name', 'Value'], ['brand', '#ff0000']]);
    const a = await postChange(relay.url, channel, first);
    expect({ status: a.status, body: a.body }).toEqual({ status: 200, body: { epoch: expect.any(String), seq: 1, hash: first.hash } });
    const second = sheet.patch(7, 'Colors', 2, 2, [['#00ff00']]);
    const b = await postChange(relay.url, channel, second);
    expect({ status: b.status, body: b.body }).toEqual({ status: 200, body: { epoch: (a.body as { epoch: string }).epoch, seq: 2, hash: second.hash } });
  });

  test('a gzip body is accepted; the signature covers the uncompressed text', async () => {
    const channel = await registered();
    const change = new ModelSheet().patch(1, 'T', 1, 1, [['zipped']]);
    const answer = await postChange(relay.url, channel, change, { gzip: true });
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { epoch: expect.any(String), seq: 1, hash: change.hash } });
  });

  test('the same change id again answers the original seq with duplicate: true and is not applied twice', async () => {
    const channel = await registered();
    const sheet = new ModelSheet();
    const change = sheet.patch(1, 'T', 1, 1, [['once']]);
    const original = await postChange(relay.url, channel, change);
    const retry = await postChange(relay.url, channel, change);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 200, body: { ...(original.body as object), duplicate: true } });
    const next = await postChange(relay.url, channel, sheet.patch(1, 'T', 2, 1, [['twice']]));
    expect((next.body as { seq: number }).seq).toBe(2);
  });

  test('two identical changes sent at once are committed once: one answer is the duplicate of the other', async () => {
    const channel = await registered();
    const change = new ModelSheet().patch(1, 'T', 1, 1, [['race']]);
    // Each request is signed anew (another timestamp), as a retry is; the same signature would be a replay.
    const now = Date.now();
    const answers = await Promise.all([postChange(relay.url, channel, change, { timestamp: now }), postChange(relay.url, channel, change, { timestamp: now - 1 })]);
    const bodies = answers.map((a) => a.body as { seq: number; duplicate?: boolean });
    expect(bodies.map((b) => b.seq)).toEqual([1, 1]);
    expect(bodies.filter((b) => b.duplicate === true)).toHaveLength(1);
  });

  test('a patch whose hash differs from the relay grid answers 409 HASH_MISMATCH with both hashes, and is not stored', async () => {
    const channel = await registered();
    const sheet = new ModelSheet();
    await postChange(relay.url, channel, sheet.patch(1, 'T', 1, 1, [['a']]));
    const stale = new ModelSheet().patch(1, 'T', 2, 1, [['b']]);
    const answer = await postChange(relay.url, channel, stale);
    sheet.patch(1, 'T', 2, 1, [['b']]);
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 409,
      body: {
        error: { code: 'HASH_MISMATCH', message: ERRORS.HASH_MISMATCH.message, detail: `change ${stale.id}: send a snapshot` },
        expected: stale.hash,
        actual: gridHash(sheet.grid),
      },
    });
    const snapshot = sheet.fullSnapshot();
    const accepted = await postChange(relay.url, channel, snapshot);
    expect({ status: accepted.status, body: accepted.body }).toEqual({ status: 200, body: { epoch: expect.any(String), seq: 2, hash: snapshot.hash } });
  });

  test('a change for an unregistered channel answers 404 UNKNOWN_CHANNEL', async () => {
    expectError(await postChange(relay.url, newChannel(), new ModelSheet().patch(1, 'T', 1, 1, [['a']])), 'UNKNOWN_CHANNEL');
  });

  test('a change without signature headers answers 401 MISSING_SIGNATURE', async () => {
    const channel = await registered();
    const answer = await postChange(relay.url, channel, new ModelSheet().patch(1, 'T', 1, 1, [['a']]), { headers: { 'x-sync-signature': undefined, 'x-sync-timestamp': undefined } });
    expectError(answer, 'MISSING_SIGNATURE');
  });

  test('a change signed with another secret answers 401 BAD_SIGNATURE', async () => {
    const channel = await registered();
    expectError(await postChange(relay.url, channel, new ModelSheet().patch(1, 'T', 1, 1, [['a']]), { secret: newChannel().secret }), 'BAD_SIGNATURE');
  });

  test('a change whose body was altered after signing answers 401 BAD_SIGNATURE', async () => {
    const channel = await registered();
    const change = new ModelSheet().patch(1, 'T', 1, 1, [['a']]);
    const text = JSON.stringify(change);
    const headers = signedHeaders(channel.secret, 'POST', paths.changes(channel.channelId), text);
    const answer = await getJson(relay.url + paths.changes(channel.channelId), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: text.replace('"a"', '"b"'),
    });
    expectError(answer, 'BAD_SIGNATURE');
  });

  test('a change stamped more than 5 minutes ago answers 401 CLOCK_SKEW', async () => {
    const channel = await registered();
    expectError(await postChange(relay.url, channel, new ModelSheet().patch(1, 'T', 1, 1, [['a']]), { timestamp: Date.now() - 6 * 60_000 }), 'CLOCK_SKEW');
  });

  test('the same signed request sent twice answers 401 REPLAYED the second time', async () => {
    const channel = await registered();
    const text = JSON.stringify(new ModelSheet().patch(1, 'T', 1, 1, [['a']]));
    const init = { method: 'POST', headers: { 'content-type': 'application/json', ...signedHeaders(channel.secret, 'POST', paths.changes(channel.channelId), text) }, body: text };
    expect((await getJson(relay.url + paths.changes(channel.channelId), init)).status).toBe(200);
    expectError(await getJson(relay.url + paths.changes(channel.channelId), init), 'REPLAYED');
  });

  test('a body over MAX_BODY_BYTES answers 413 BODY_TOO_LARGE', async () => {
    const channel = await registered();
    const change = new ModelSheet().patch(1, 'T', 1, 1, [['x'.repeat(9000)]]);
    const length = Buffer.byteLength(JSON.stringify(change));
    expectError(await postChange(relay.url, channel, change), 'BODY_TOO_LARGE', `Content-Length ${length} is over the limit of 8192 bytes`);
  });

  test('a client still sending a body over MAX_BODY_BYTES reads the 413, not a reset (the rest is read and thrown away)', async () => {
    // Answering and closing while the client still sends makes the kernel reset the connection; a
    // proxy like UrlFetchApp then reports a network error and the add-on retries forever.
    const channel = await registered();
    const path = paths.changes(channel.channelId);
    const text = JSON.stringify(new ModelSheet().patch(1, 'T', 1, 1, [['x'.repeat(600_000)]]));
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(relay.url + path, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...signedHeaders(channel.secret, 'POST', path, text) } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      // In 16 KB pieces, a little apart: the relay has answered long before the last one.
      const bytes = Buffer.from(text);
      let at = 0;
      const next = (): void => {
        if (at >= bytes.length) return void req.end();
        req.write(bytes.subarray(at, (at += 16 * 1024)));
        setTimeout(next, 2);
      };
      next();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });
  });

  test('a gzip body that inflates past MAX_BODY_BYTES answers 413 BODY_TOO_LARGE', async () => {
    const channel = await registered();
    const change = new ModelSheet().patch(1, 'T', 1, 1, [['x'.repeat(20000)]]);
    expectError(await postChange(relay.url, channel, change, { gzip: true }), 'BODY_TOO_LARGE', 'the body is over the limit of 8192 bytes once uncompressed');
  });

  test('a change that would grow the grid past MAX_BODY_BYTES answers 413 BODY_TOO_LARGE', async () => {
    const channel = await registered();
    const sheet = new ModelSheet();
    expect((await postChange(relay.url, channel, sheet.patch(1, 'T', 1, 1, [['y'.repeat(5000)]]))).status).toBe(200);
    expectError(await postChange(relay.url, channel, sheet.patch(1, 'T', 2, 1, [['z'.repeat(5000)]])), 'BODY_TOO_LARGE', "after this change the channel's grid would hold 10010 bytes of row text, more than the limit of 8192 bytes");
  });

  test('a small patch naming a far cell answers 413 BODY_TOO_LARGE before the relay builds the rows up to it', async () => {
    const channel = await registered();
    // 4,999 empty rows (3 bytes each: "[]" and a newline) and one with a value in column B.
    const answer = await postChange(relay.url, channel, new ModelSheet().patch(1, 'T', 5000, 2, [['far']]));
    expectError(answer, 'BODY_TOO_LARGE', "after this change the channel's grid would hold at least 15003 bytes of row text, more than the limit of 8192 bytes");
  });

  test('a body claiming gzip that is not gzip answers 400 BAD_JSON', async () => {
    const channel = await registered();
    const text = JSON.stringify(new ModelSheet().patch(1, 'T', 1, 1, [['a']]));
    const answer = await getJson(relay.url + paths.changes(channel.channelId), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...signedHeaders(channel.secret, 'POST', paths.changes(channel.channelId), text) },
      body: text,
    });
    expectError(answer, 'BAD_JSON', 'the body is not valid gzip although Content-Encoding says gzip');
  });

  test('a body that is not JSON answers 400 BAD_JSON', async () => {
    const channel = await registered();
    expectError(await postChange(relay.url, channel, '{"v":2,'), 'BAD_JSON', /^not valid JSON/);
  });

  test('a change that breaks the schema answers 422 BAD_CHANGE naming the field', async () => {
    const channel = await registered();
    const change = new ModelSheet().patch(1, 'T', 1, 1, [['a']]);
    const broken = { ...change, tabs: [{ tabId: 1, name: 'T', ranges: [{ row: 0, col: 1, values: [['a']] }] }] };
    expectError(await postChange(relay.url, channel, JSON.stringify(broken)), 'BAD_CHANGE', 'tabs[0].ranges[0].row must be ≥ 1');
  });

  test('a change sent as text/plain answers 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const channel = await registered();
    expectError(await postChange(relay.url, channel, new ModelSheet().patch(1, 'T', 1, 1, [['a']]), { headers: { 'content-type': 'text/plain' } }), 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type was "text/plain"');
  });

  test('a change in an encoding other than gzip answers 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const channel = await registered();
    const answer = await postChange(relay.url, channel, new ModelSheet().patch(1, 'T', 1, 1, [['a']]), { headers: { 'content-encoding': 'br' } });
    expectError(answer, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Encoding "br" is not accepted');
  });

  test('gzip round trip keeps unicode cell text intact', async () => {
    const channel = await registered();
    const change = new ModelSheet().patch(1, 'Tokens ✓', 1, 1, [['名前', 'ünïcødé 🎨']]);
    expect(gzipSync(JSON.stringify(change)).length).toBeGreaterThan(0);
    const answer = await postChange(relay.url, channel, change, { gzip: true });
    expect((answer.body as { hash: string }).hash).toBe(change.hash);
  });
});

describe('request rate per channel', () => {
  let limited: InProcessRelay;
  beforeAll(async () => {
    limited = await startInProcessRelay({ REQUEST_RATE: '1', REQUEST_BURST: '2' });
  });
  afterAll(async () => {
    await limited?.close();
  });

  test('signed requests past the burst answer 429 RATE_LIMITED, and another channel is not affected', async () => {
    const busy = newChannel();
    const calm = newChannel();
    await register(limited.url, busy, busy.secret);
    await register(limited.url, calm, calm.secret);
    const sheet = new ModelSheet();
    expect((await postChange(limited.url, busy, sheet.patch(1, 'T', 1, 1, [['1']]))).status).toBe(200);
    expect((await postChange(limited.url, busy, sheet.patch(1, 'T', 1, 1, [['2']]))).status).toBe(200);
    const refused = await postChange(limited.url, busy, sheet.patch(1, 'T', 1, 1, [['3']]));
    expectError(refused, 'RATE_LIMITED', 'more than 1 requests per second for this channel');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await postChange(limited.url, calm, new ModelSheet().patch(1, 'T', 1, 1, [['1']]))).status).toBe(200);
  });
});

describe('GET /v2/channels/:id/status', () => {
  test('a signed request answers the channel status with no clients', async () => {
    const channel = await registered();
    const change = new ModelSheet().patch(1, 'T', 1, 1, [['a']], { title: 'Design tokens' });
    await postChange(relay.url, channel, change);
    const answer = await getStatus(relay.url, channel);
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 200,
      body: { channelId: channel.channelId, epoch: expect.any(String), seq: 1, hash: change.hash, title: 'Design tokens', clients: [], clientCount: 0 },
    });
  });

  test('an unsigned status request answers 401 MISSING_SIGNATURE', async () => {
    const channel = await registered();
    expectError(await getJson(relay.url + paths.status(channel.channelId)), 'MISSING_SIGNATURE');
  });

  test('a status request signed with another secret answers 401 BAD_SIGNATURE', async () => {
    const channel = await registered();
    expectError(await getStatus(relay.url, channel, { secret: newChannel().secret }), 'BAD_SIGNATURE');
  });

  test('the status of an unregistered channel answers 404 UNKNOWN_CHANNEL', async () => {
    expectError(await getStatus(relay.url, newChannel()), 'UNKNOWN_CHANNEL');
  });
});
