// GET /v2/channels/:id/tokens through a real relay on loopback: the channel's tokens, mapped from its
// head grid as the CLI's `export` maps CSV tabs, in every format, layout and mode, one file raw, the
// subscribe token as the only key (refused as the socket's hello refuses it), ETags that answer 304
// without mapping, a burst of polls that maps once, and each misuse with its code.

import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ERRORS } from '../../shared/protocol/errors';
import { parseTokensAnswer, paths, type TokensAnswer } from '../../shared/protocol/messages';
import { subscribeToken } from '../../shared/protocol/signing';
import { startRedis } from '../helpers/redis-server';
import { exampleTabs, root } from '../helpers/token-expectations';
import { readCsvTabs } from '../../tools/csv-tabs';
import { expectError } from './support/expect-error';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { getTokens, newChannel, postChange, register, type TestChannel, type TextAnswer } from './support/relay-api';
import { expectedExport, publishCsv, publishTabs } from './support/token-sheet';

const relays: InProcessRelay[] = [];
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
});

async function start(env: Record<string, string> = {}): Promise<InProcessRelay> {
  const relay = await startInProcessRelay(env);
  relays.push(relay);
  return relay;
}

async function registered(relay: InProcessRelay): Promise<TestChannel> {
  const channel = newChannel();
  expect((await register(relay.url, channel, channel.secret)).status).toBe(201);
  return channel;
}

/** How many exports the relay made so far (the count of relay_tokens_export_seconds), by where. */
async function exports(relay: InProcessRelay): Promise<{ inline: number; worker: number }> {
  const text = await relay.relay.metrics.registry.metrics();
  const count = (where: string): number => Number(new RegExp(`^relay_tokens_export_seconds_count\\{where="${where}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { inline: count('inline'), worker: count('worker') };
}

/** A GET with exactly these headers (fetch would add Accept-Encoding itself), its body as bytes. */
function rawGet(url: string, channel: TestChannel, headers: Record<string, string>, file?: string): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const path = `${paths.tokens(channel.channelId)}${file ? `?file=${encodeURIComponent(file)}` : ''}`;
    const req = httpRequest(`${url}${path}`, { headers: { authorization: `Bearer ${channel.token}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function expectErrorText(answer: TextAnswer, code: keyof typeof ERRORS, detail?: string | RegExp): void {
  expectError(answer, code, detail);
}

describe('the tokens of the example sheet', () => {
  let relay: InProcessRelay;
  let channel: TestChannel;
  let grid: ReturnType<typeof readCsvTabs>;
  let position: { epoch: string; seq: number; hash: string };
  beforeAll(async () => {
    relay = await start({ TOKENS_RATE: '1000', TOKENS_BURST: '1000' });
    channel = await registered(relay);
    const published = await publishCsv(relay.url, channel, exampleTabs);
    grid = published.grid;
    position = published.accepted;
  });

  const cases: [string, Record<string, string>, { format: 'dtcg' | 'json' | 'css'; layout?: 'resolver' | 'single'; mode?: string }][] = [
    ['DTCG, resolver layout by default', {}, { format: 'dtcg', layout: 'resolver' }],
    ['DTCG, single layout', { layout: 'single' }, { format: 'dtcg', layout: 'single' }],
    ['DTCG with a mode (the single layout)', { mode: 'Dark' }, { format: 'dtcg', layout: 'single', mode: 'Dark' }],
    ['DTCG single with a mode', { format: 'dtcg', layout: 'single', mode: 'Mobile' }, { format: 'dtcg', layout: 'single', mode: 'Mobile' }],
    ['flat JSON', { format: 'json' }, { format: 'json' }],
    ['flat JSON with a mode', { format: 'json', mode: 'Dark' }, { format: 'json', mode: 'Dark' }],
    ['CSS', { format: 'css' }, { format: 'css' }],
    ['CSS with a mode', { format: 'css', mode: 'Mobile' }, { format: 'css', mode: 'Mobile' }],
  ];

  test.each(cases)('%s: the files and problems `export` makes of the same tabs, at the head position', async (_label, query, options) => {
    const answer = await getTokens(relay.url, channel, query);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const parsed = parseTokensAnswer(answer.body);
    if (!parsed.ok) throw new Error(parsed.message);
    const expected = expectedExport(grid, options);
    const body: TokensAnswer = {
      channelId: channel.channelId,
      epoch: position.epoch,
      seq: position.seq,
      hash: position.hash,
      ...options,
      files: expected.files,
      problems: [],
      errorCount: 0,
      warningCount: 0,
      collections: 4,
      variables: 99,
    };
    expect(answer.body).toEqual(body);
  });

  test('file= answers one file as it is, with its media type; every file of the bundle can be had so', async () => {
    const bundle = (await getTokens(relay.url, channel, {})).body as TokensAnswer;
    expect(bundle.files.map((f) => f.path)).toEqual([
      'Primitives/Value.tokens.json',
      'Semantic/Light.tokens.json',
      'Semantic/Dark.tokens.json',
      'Typography/Desktop.tokens.json',
      'Typography/Mobile.tokens.json',
      'Flags/Value.tokens.json',
      'tokens.resolver.json',
    ]);
    for (const file of bundle.files) {
      const raw = await getTokens(relay.url, channel, { file: file.path });
      expect([raw.status, raw.headers.get('content-type'), raw.text]).toEqual([200, `${file.mediaType}; charset=utf-8`, file.text]);
      expect([raw.headers.get('x-sheet-errors'), raw.headers.get('x-sheet-warnings')]).toEqual(['0', '0']);
    }
    const css = await getTokens(relay.url, channel, { format: 'css', file: 'tokens.css' });
    expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
    expect(css.text).toContain('[data-semantic="dark"] {\n  --semantic-color-bg-default: var(--primitives-color-gray-900);');
  });

  test('a file the format does not make is UNKNOWN_TOKEN_FILE, naming the files there are', async () => {
    expectErrorText(await getTokens(relay.url, channel, { format: 'css', file: 'tokens.json' }), 'UNKNOWN_TOKEN_FILE', '"tokens.json"; the files are "tokens.css"');
  });

  test('a mode no tab has is UNKNOWN_MODE, naming the modes there are, and asking again at the same position maps nothing', async () => {
    const first = await getTokens(relay.url, channel, { format: 'css', mode: 'Darkk' });
    expectErrorText(first, 'UNKNOWN_MODE', '"Darkk"; the modes are "Value", "Light", "Desktop", "Dark", "Mobile"');
    const before = await exports(relay);
    expectErrorText(await getTokens(relay.url, channel, { format: 'json', mode: 'Nope' }), 'UNKNOWN_MODE', /^"Nope"; the modes are /);
    expect(await exports(relay)).toEqual(before);
  });

  test('HEAD answers the headers of GET (its ETag too) without a body', async () => {
    const get = await getTokens(relay.url, channel, {});
    const head = await getTokens(relay.url, channel, {}, { method: 'HEAD' });
    expect([head.status, head.text, head.headers.get('etag'), head.headers.get('content-length')]).toEqual([200, '', get.headers.get('etag'), get.headers.get('content-length')]);
  });

  test('the JSON answer is gzipped for a client that accepts it (Vary: Accept-Encoding), and the same bytes once gunzipped', async () => {
    const plain = await rawGet(relay.url, channel, {});
    const gzipped = await rawGet(relay.url, channel, { 'accept-encoding': 'br, gzip;q=0.8' });
    const refused = await rawGet(relay.url, channel, { 'accept-encoding': 'gzip;q=0, identity' });
    expect([plain.headers['content-encoding'], gzipped.headers['content-encoding'], refused.headers['content-encoding']]).toEqual([undefined, 'gzip', undefined]);
    expect([plain.headers.vary, gzipped.headers.vary]).toEqual(['accept-encoding', 'accept-encoding']);
    expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
    expect(gzipped.body.length * 5).toBeLessThan(plain.body.length);
    expect(refused.body.equals(plain.body)).toBe(true);
    expect(gzipped.headers.etag).toBe(plain.headers.etag);
    const file = await rawGet(relay.url, channel, { 'accept-encoding': 'gzip' }, 'tokens.resolver.json');
    expect(file.headers['content-encoding']).toBeUndefined();
  });
});

describe('ETag and If-None-Match', () => {
  let relay: InProcessRelay;
  beforeAll(async () => {
    relay = await start({ TOKENS_RATE: '1000', TOKENS_BURST: '1000' });
  });

  test('the same ETag answers 304 with no body and maps nothing; a change to the sheet answers 200 with a new ETag', async () => {
    const channel = await registered(relay);
    const { sheet } = await publishCsv(relay.url, channel, exampleTabs);
    const first = await getTokens(relay.url, channel, { format: 'css' });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const before = await exports(relay);
    const again = await getTokens(relay.url, channel, { format: 'css' }, { headers: { 'if-none-match': etag } });
    expect([again.status, again.text, again.headers.get('etag')]).toEqual([304, '', etag]);
    const listed = await getTokens(relay.url, channel, { format: 'css' }, { headers: { 'if-none-match': `"other", ${etag.slice(2)}` } });
    expect(listed.status).toBe(304);
    expect((await getTokens(relay.url, channel, { format: 'css' }, { headers: { 'if-none-match': '*' } })).status).toBe(304);
    expect(await exports(relay)).toEqual(before);

    expect((await postChange(relay.url, channel, sheet.patch(0, 'Primitives', 2, 2, [['#123456']]))).status).toBe(200);
    const changed = await getTokens(relay.url, channel, { format: 'css' }, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.text).toContain('#123456');
  });

  test('the ETag depends on the query: another format, mode or file is another ETag, and a file has a strong one', async () => {
    const channel = await registered(relay);
    await publishCsv(relay.url, channel, exampleTabs);
    const queries: Record<string, string>[] = [{}, { layout: 'single' }, { mode: 'Dark' }, { format: 'css' }, { format: 'json' }, { file: 'tokens.resolver.json' }];
    const tags = await Promise.all(queries.map(async (q) => (await getTokens(relay.url, channel, q)).headers.get('etag')));
    expect(new Set(tags).size).toBe(tags.length);
    expect(tags[5]).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const other = await getTokens(relay.url, channel, { format: 'json' }, { headers: { 'if-none-match': tags[3]! } });
    expect(other.status).toBe(200);
  });

  test('a patch that leaves the grid as it was keeps the ETag: polls stay 304 although the seq moved', async () => {
    const channel = await registered(relay);
    const { sheet } = await publishCsv(relay.url, channel, exampleTabs);
    const etag = (await getTokens(relay.url, channel, {})).headers.get('etag')!;
    const cell = sheet.grid.tabs[0]!.rows[1]![1]!;
    expect((await postChange(relay.url, channel, sheet.patch(0, 'Primitives', 2, 2, [[cell]]))).status).toBe(200);
    expect((await getTokens(relay.url, channel, {}, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });
});

describe('who may read a channel’s tokens', () => {
  let relay: InProcessRelay;
  beforeAll(async () => {
    relay = await start({ TOKENS_RATE: '1000', TOKENS_BURST: '1000' });
  });

  test('no Authorization is BAD_TOKEN, saying how to send the token', async () => {
    const channel = await registered(relay);
    expectErrorText(await getTokens(relay.url, channel, {}, { token: null }), 'BAD_TOKEN', 'send the subscribe token (the t of the pairing code) as Authorization: Bearer <token>');
  });

  test('a token of another channel, or the channel id itself, is BAD_TOKEN', async () => {
    const channel = await registered(relay);
    const other = newChannel();
    expectErrorText(await getTokens(relay.url, channel, {}, { token: other.token }), 'BAD_TOKEN');
    expectErrorText(await getTokens(relay.url, channel, {}, { token: channel.channelId }), 'BAD_TOKEN');
  });

  test('after the secret is rotated the old token is TOKEN_REVOKED and the new one reads the tokens', async () => {
    const channel = await registered(relay);
    await publishCsv(relay.url, channel, exampleTabs);
    const next = newChannel().secret;
    expect((await register(relay.url, channel, next, { signWith: channel.secret })).status).toBe(200);
    expectErrorText(await getTokens(relay.url, channel, {}), 'TOKEN_REVOKED');
    expect((await getTokens(relay.url, channel, {}, { token: subscribeToken(next, channel.channelId) })).status).toBe(200);
  });

  test('a channel the relay does not hold is UNKNOWN_CHANNEL, and a malformed id BAD_REQUEST', async () => {
    expectErrorText(await getTokens(relay.url, newChannel(), {}), 'UNKNOWN_CHANNEL');
    expectErrorText(await getTokens(relay.url, { channelId: 'short', token: 'x' }, {}), 'BAD_REQUEST', 'a channel id is 16-64 characters of A-Z a-z 0-9 _ -');
  });

  test('the token and the cell values never reach the log', async () => {
    const channel = await registered(relay);
    await publishCsv(relay.url, channel, exampleTabs);
    await getTokens(relay.url, channel, { mode: 'Dark' });
    await getTokens(relay.url, channel, {}, { token: `${channel.token}x` });
    const log = relay.logText();
    expect(log).not.toContain(channel.token);
    expect(log).not.toContain('#111827');
    const line = relay.logs.find((e) => e.msg === 'request' && e.route === '/v2/channels/:id/tokens' && e.channel === channel.channelId && e.status === 200);
    expect(line).toMatchObject({ method: 'GET', outcome: expect.stringMatching(/^tokens-(exported|cached|shared)$/), seq: 1 });
  });
});

describe('a query the endpoint does not take', () => {
  let relay: InProcessRelay;
  let channel: TestChannel;
  beforeAll(async () => {
    relay = await start();
    channel = await registered(relay);
  });

  test.each([
    [{ format: 'yaml' }, 'format "yaml" is not one of dtcg, json, css'],
    [{ format: 'css', layout: 'single' }, 'layout applies to the dtcg format only, not css'],
    [{ layout: 'flat' }, 'layout "flat" is not one of resolver, single'],
    [{ layout: 'resolver', mode: 'Dark' }, 'mode picks one mode, and the resolver layout holds every mode; use layout single with a mode'],
    [{ mode: '  ' }, 'mode must be a mode name, e.g. "Dark"'],
    [{ modes: 'Dark' }, '"modes" is not a parameter of /tokens; use format, layout, mode, file'],
    [{ file: '' }, 'file is empty'],
  ])('%j is BAD_REQUEST: %s', async (query, detail) => {
    expectErrorText(await getTokens(relay.url, channel, query as Record<string, string>), 'BAD_REQUEST', detail);
  });

  test('a parameter given twice is BAD_REQUEST', async () => {
    const response = await fetch(`${relay.url}/v2/channels/${channel.channelId}/tokens?format=css&format=json`, { headers: { authorization: `Bearer ${channel.token}` } });
    expect([response.status, ((await response.json()) as { error: { detail: string } }).error.detail]).toEqual([400, 'format is given twice']);
  });

  test('POST is METHOD_NOT_ALLOWED with Allow: GET', async () => {
    const response = await fetch(`${relay.url}/v2/channels/${channel.channelId}/tokens`, { method: 'POST', headers: { authorization: `Bearer ${channel.token}` } });
    expect([response.status, response.headers.get('allow')]).toEqual([405, 'GET']);
  });
});

describe('one export per position and query', () => {
  test('a burst of polls of one position maps once; the polls after it are answered from the cache', async () => {
    const relay = await start({ TOKENS_RATE: '1000', TOKENS_BURST: '1000' });
    const channel = await registered(relay);
    await publishCsv(relay.url, channel, exampleTabs);
    const before = await exports(relay);
    const burst = await Promise.all(Array.from({ length: 25 }, () => getTokens(relay.url, channel, { layout: 'single' })));
    expect(new Set(burst.map((a) => `${a.status} ${a.text}`)).size).toBe(1);
    const after = await exports(relay);
    expect(after.inline + after.worker - before.inline - before.worker).toBe(1);
    await getTokens(relay.url, channel, { layout: 'single' });
    expect(await exports(relay)).toEqual(after);
    const metrics = await relay.relay.metrics.registry.metrics();
    const answered = (how: string): number => Number(new RegExp(`^relay_tokens_requests_total\\{answer="${how}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
    expect(answered('exported') + answered('shared') + answered('cached')).toBe(26);
    expect(answered('exported')).toBe(1);
  });

  test('a grid over TOKENS_INLINE_BYTES is mapped by the tokens worker, once for a burst, with the same files', async () => {
    const relay = await start({ TOKENS_RATE: '1000', TOKENS_BURST: '1000', TOKENS_INLINE_BYTES: '0' });
    const channel = await registered(relay);
    const { grid } = await publishCsv(relay.url, channel, exampleTabs);
    const burst = await Promise.all(Array.from({ length: 10 }, () => getTokens(relay.url, channel, { format: 'json', mode: 'Dark' })));
    expect(burst.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect((burst[0]!.body as TokensAnswer).files).toEqual(expectedExport(grid, { format: 'json', mode: 'Dark' }).files);
    expect(await exports(relay)).toEqual({ inline: 0, worker: 1 });
  });

  test('a sheet with errors is served with what maps, its problems listed and counted', async () => {
    const relay = await start();
    const channel = await registered(relay);
    const broken = ['Colors', 'Sizes'].map((t) => join(root, 'examples/broken', `${t}.csv`));
    const { grid } = await publishCsv(relay.url, channel, broken);
    const answer = (await getTokens(relay.url, channel, { format: 'json' })).body as TokensAnswer;
    const expected = expectedExport(grid, { format: 'json' });
    expect(answer.files).toEqual(expected.files);
    expect(answer.problems).toEqual(expected.problems);
    const errors = expected.problems.filter((p) => (p as { severity: string }).severity === 'error').length;
    expect([answer.errorCount, answer.warningCount, errors > 0]).toEqual([errors, expected.problems.length - errors, true]);
  });

  test('an export over TOKENS_MAX_BYTES is TOKENS_TOO_LARGE, naming its size, and is not made again at the same position', async () => {
    const relay = await start({ TOKENS_MAX_BYTES: '16384', TOKENS_RATE: '1000', TOKENS_BURST: '1000' });
    const channel = await registered(relay);
    await publishCsv(relay.url, channel, exampleTabs);
    expectErrorText(await getTokens(relay.url, channel, {}), 'TOKENS_TOO_LARGE', /^dtcg \(resolver layout\) comes to \d+ bytes; this relay serves at most 16384 \(TOKENS_MAX_BYTES\)$/);
    const before = await exports(relay);
    expectErrorText(await getTokens(relay.url, channel, {}), 'TOKENS_TOO_LARGE', /comes to \d+ bytes/);
    expect(await exports(relay)).toEqual(before);
    expect((await getTokens(relay.url, channel, { format: 'css', mode: 'Dark' })).status).toBe(200);
  });

  test('an empty channel (registered, nothing sent) has tokens too: the resolver document alone', async () => {
    const relay = await start();
    const channel = await registered(relay);
    const answer = (await getTokens(relay.url, channel, {})).body as TokensAnswer;
    expect([answer.seq, answer.files.map((f) => f.path), answer.collections]).toEqual([0, ['tokens.resolver.json'], 0]);
  });
});

describe('rates', () => {
  test('token polls past TOKENS_RATE/TOKENS_BURST are RATE_LIMITED while the sheet’s changes go on; wrong tokens do not count', async () => {
    const relay = await start({ TOKENS_RATE: '1', TOKENS_BURST: '2' });
    const channel = await registered(relay);
    const { sheet } = await publishTabs(relay.url, channel, { tabs: [{ tabId: 0, name: 'T', rows: [['Name', 'Value'], ['a', 1]] }] });
    for (let i = 0; i < 5; i++) expectErrorText(await getTokens(relay.url, channel, {}, { token: newChannel().token }), 'BAD_TOKEN');
    expect((await getTokens(relay.url, channel, {})).status).toBe(200);
    expect((await getTokens(relay.url, channel, {})).status).toBe(200);
    const refused = await getTokens(relay.url, channel, {});
    expectErrorText(refused, 'RATE_LIMITED', 'more than 1 token requests per second for this channel');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await postChange(relay.url, channel, sheet.patch(0, 'T', 2, 2, [[2]]))).status).toBe(200);
  });

  test('token polls past TOKENS_PER_IP_PER_SECOND from one address are RATE_LIMITED before the channel is read', async () => {
    const relay = await start({ TOKENS_PER_IP_PER_SECOND: '1' });
    const channel = await registered(relay);
    expect((await getTokens(relay.url, channel, {})).status).toBe(200);
    expectErrorText(await getTokens(relay.url, newChannel(), {}), 'UNKNOWN_CHANNEL');
    expectErrorText(await getTokens(relay.url, newChannel(), {}), 'RATE_LIMITED', 'more than 1 token requests per second from this address');
  });
});

test('on Redis the same: the files export makes, 304 for the ETag, TOKEN_REVOKED after a rotation', async () => {
  const redis = await startRedis();
  try {
    const relay = await start({ REDIS_URL: redis.url, REDIS_PREFIX: `tokens${process.pid}:` });
    const channel = await registered(relay);
    const { grid, accepted } = await publishCsv(relay.url, channel, exampleTabs);
    const answer = await getTokens(relay.url, channel, { format: 'css' });
    expect((answer.body as TokensAnswer).files).toEqual(expectedExport(grid, { format: 'css' }).files);
    expect((answer.body as TokensAnswer).hash).toBe(accepted.hash);
    expect((await getTokens(relay.url, channel, { format: 'css' }, { headers: { 'if-none-match': answer.headers.get('etag')! } })).status).toBe(304);
    expect((await register(relay.url, channel, newChannel().secret, { signWith: channel.secret })).status).toBe(200);
    expectErrorText(await getTokens(relay.url, channel, { format: 'css' }), 'TOKEN_REVOKED');
    await relay.close();
  } finally {
    await redis.stop();
  }
});
