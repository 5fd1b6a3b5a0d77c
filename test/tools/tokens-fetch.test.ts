// fetchTokens against a scripted HTTP server on loopback: a refusal the relay says to retry (429, 503)
// is retried after its Retry-After a few times, a long Retry-After ends the tries, and answers that
// are not a relay's are named as such instead of being taken for tokens.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ERRORS } from '../../shared/protocol/errors';
import type { PairingLink } from '../../shared/protocol/pairing-code';
import type { TokensAnswer } from '../../shared/protocol/messages';
import { fetchTokens } from '../../tools/tokens-fetch';

const CHANNEL = 'cnQkakVRfd4dA3IvNU3hXbRglUT1wNfI';
const answer: TokensAnswer = {
  channelId: CHANNEL,
  epoch: 'e1',
  seq: 3,
  hash: 'a'.repeat(64),
  format: 'css',
  files: [{ path: 'tokens.css', mediaType: 'text/css', text: ':root {}\n' }],
  problems: [],
  errorCount: 0,
  warningCount: 0,
  collections: 1,
  variables: 0,
};

type Reply = { status: number; headers?: Record<string, string>; body: string };

let server: Server;
let replies: Reply[] = [];
const seen: IncomingHttpHeaders[] = [];
let link: PairingLink;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    const reply = replies.shift() ?? { status: 500, body: 'no reply scripted' };
    res.writeHead(reply.status, reply.headers ?? {}).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  link = { relayUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, channelId: CHANNEL, token: 'T'.repeat(43) };
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  replies = [];
  seen.length = 0;
});

const refusal = (status: number, code: keyof typeof ERRORS, retryAfter?: string): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }) },
  body: JSON.stringify({ error: { code, message: ERRORS[code].message } }),
});
const ok = (body: unknown = answer): Reply => ({ status: 200, headers: { 'content-type': 'application/json', etag: 'W/"x"' }, body: JSON.stringify(body) });

test('429 and 503 answers are retried after their Retry-After, with the token and the ETag every time', async () => {
  replies = [refusal(429, 'RATE_LIMITED', '1'), refusal(503, 'RELAY_BUSY', '2'), ok()];
  const waits: number[] = [];
  const result = await fetchTokens(link, { format: 'css' }, 'W/"old"', { sleep: async (ms) => void waits.push(ms) });
  expect(result).toEqual({ kind: 'tokens', answer, etag: 'W/"x"' });
  expect(waits).toEqual([1000, 2000]);
  expect(seen.map((h) => [h.authorization, h['if-none-match']])).toEqual(Array(3).fill([`Bearer ${'T'.repeat(43)}`, 'W/"old"']));
});

test('after the last try, or past the longest Retry-After honoured, the refusal is the answer', async () => {
  replies = [refusal(429, 'RATE_LIMITED', '0'), refusal(429, 'RATE_LIMITED', '0'), refusal(429, 'RATE_LIMITED', '0')];
  expect(await fetchTokens(link, { format: 'css' }, undefined, { sleep: async () => undefined })).toEqual({
    kind: 'failed',
    message: `the relay is refusing polls this fast: RATE_LIMITED: ${ERRORS.RATE_LIMITED.message}`,
  });
  replies = [refusal(503, 'RELAY_BUSY', '600')];
  expect(await fetchTokens(link, { format: 'css' }, undefined, { sleep: async () => undefined })).toMatchObject({ kind: 'failed', message: expect.stringMatching(/^the relay refused the request \(503\): RELAY_BUSY: /) });
  expect(seen.length).toBe(4);
});

test('a refusal not to retry is not retried', async () => {
  replies = [refusal(401, 'TOKEN_REVOKED')];
  expect(await fetchTokens(link, { format: 'css' }, undefined)).toEqual({ kind: 'failed', message: `this pairing code was revoked: TOKEN_REVOKED: ${ERRORS.TOKEN_REVOKED.message}` });
  expect(seen.length).toBe(1);
});

test('304 is "unchanged" with the ETag', async () => {
  replies = [{ status: 304, headers: { etag: 'W/"old"' }, body: '' }];
  expect(await fetchTokens(link, { format: 'css' }, 'W/"old"')).toEqual({ kind: 'unchanged', etag: 'W/"old"' });
});

test.each([
  ['a proxy error page', { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' }, /answered 502 with something that is not a relay's answer \(a proxy's error page\?\)$/],
  ['a 200 that is not JSON', { status: 200, body: '<html>hello</html>' }, /is not a relay's tokens \(it is not JSON\)/],
  ['a 200 that is not tokens', ok({ hello: 'world' }), /is not a relay's tokens \(channelId is missing\)/],
  ['the tokens of another channel', ok({ ...answer, channelId: 'cAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }), /^the relay answered with the tokens of another channel \(cAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\)$/],
])('%s is named as such, not taken for tokens', async (_label, reply, message) => {
  replies = [reply as Reply];
  const result = await fetchTokens(link, { format: 'css' }, undefined);
  expect(result.kind).toBe('failed');
  expect((result as { message: string }).message).toMatch(message);
});
