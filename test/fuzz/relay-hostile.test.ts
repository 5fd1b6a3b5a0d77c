// Bad input against one running relay process: 10,000 generated hostile requests and socket
// messages (almost-right changes with a wrong type, huge numbers, deep nesting, bad UTF-8,
// truncation; wrong, skewed and replayed signatures; oversized and gzip-bombed bodies; odd routes
// and raw bytes; malformed, oversized and out-of-order socket messages). The relay never crashes
// or hangs, refuses each with the specific code a local oracle predicts and a readable JSON error
// (or a 44xx close code whose reason names it), and a well-behaved channel beside it loses nothing.

import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { gridHash } from '../../shared/protocol/canonical-hash';
import { channelIdForClaim } from '../../shared/protocol/channel-claim';
import type { ErrorCode } from '../../shared/protocol/errors';
import { applyChange, emptyGrid, type Grid } from '../../shared/protocol/grid';
import { PROTOCOL_VERSION } from '../../shared/protocol/limits';
import { parseChange, parseClientMessage, parseJson, parseRegister, paths, type Change, type ServerMessage } from '../../shared/protocol/messages';
import { base64UrlDecode, base64UrlEncode, signRequest, subscribeToken } from '../../shared/protocol/signing';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { subscribe, type TestSocket } from '../helpers/ws-client';
import { closeAgent, codeOfClose, playSocket, refusalProblem, send, sendRaw, type Answer, type HostileRequest } from './hostile-client';
import { brief, describeAction, enc, hostileChangeBody, hostileFirstMessage, hostileLaterMessage, hostileRoute, oversizedBody, rawBytes, signatureVariant, wellFormedChange, type SignatureVariant } from './hostile-inputs';

const MAX_BODY_BYTES = 64 * 1024;
const MAX_MESSAGE_BYTES = 256 * 1024;
const RELAY_ENV = {
  MAX_BODY_BYTES: String(MAX_BODY_BYTES),
  SLOW_CONSUMER_BYTES: String(4 * MAX_BODY_BYTES),
  // Rate limits and the ingest queue have their own tests in the relay's suite; here they would only
  // blur the oracle (a batch sends up to 10 changes of one channel at once).
  REQUEST_RATE: '1000000',
  REQUEST_BURST: '1000000',
  INGEST_QUEUE_PER_CHANNEL: '100',
  HELLO_TIMEOUT_MS: '1500',
};
/** Actions run at once in each generated batch. */
const BATCH = 10;
const HTTP_RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 650);
const SOCKET_RUNS = Number(process.env.FUZZ_SOCKET_RUNS ?? 350);

interface Channel {
  id: string;
  secret: string;
  token: string;
  claim: string;
}

let relay: RelayProcess;
let victims: Channel[];
/** A channel whose secret was rotated: its first token is revoked. */
let rotated: Channel & { oldToken: string };
let good: Channel;
let goodGrid: Grid = emptyGrid();
let goodSocket: TestSocket;
let publishing: Promise<void> | undefined;
let stopPublishing = false;
const published: { status: number; seq?: number }[] = [];
let actions = 0;

const newChannel = (): Channel => {
  const claim = base64UrlEncode(randomBytes(32));
  const id = channelIdForClaim(claim);
  const secret = base64UrlEncode(randomBytes(32));
  return { id, secret, token: subscribeToken(secret, id), claim };
};

let lastTimestamp = 0;
/** Now, but never the same millisecond twice: two generated requests alike must not sign alike (that is a replay). */
function uniqueNow(): number {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return lastTimestamp;
}

function signedHeaders(secret: string, method: string, path: string, body: string, timestamp = uniqueNow()): Record<string, string> {
  return { 'content-type': 'application/json', 'x-sync-timestamp': String(timestamp), 'x-sync-signature': signRequest(secret, timestamp, method, path, body) };
}

async function register(channel: Channel): Promise<void> {
  const body = JSON.stringify({ secret: channel.secret, claim: channel.claim });
  const answer = await send(relay.url, { method: 'PUT', path: paths.channel(channel.id), headers: { 'content-type': 'application/json' }, body: enc.encode(body) });
  if (answer.status !== 201) throw new Error(`registering answered ${answer.status}: ${answer.text}`);
}

/** The well-behaved sheet: a valid patch every 20 ms, each one cell further. */
async function publishGood(): Promise<void> {
  for (let i = 0; !stopPublishing; i++) {
    const change: Change = { v: 2, id: `good-${i}`, kind: 'patch', tabs: [{ tabId: 0, name: 'Good', ranges: [{ row: 1 + (i % 50), col: 1 + (i % 7), values: [[`v${i}`]] }] }], hash: '' };
    const next = applyChange(goodGrid, change);
    change.hash = gridHash(next);
    const body = JSON.stringify(change);
    const path = paths.changes(good.id);
    const answer = await send(relay.url, { method: 'POST', path, headers: signedHeaders(good.secret, 'POST', path, body), body: enc.encode(body) });
    published.push({ status: answer.status, ...(answer.status === 200 ? { seq: (JSON.parse(answer.text) as { seq: number }).seq } : {}) });
    if (answer.status === 200) goodGrid = next;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  relay = await startRelayProcess(RELAY_ENV);
  victims = [newChannel(), newChannel(), newChannel()];
  for (const v of victims) await register(v);
  const r = newChannel();
  await register(r);
  const next = base64UrlEncode(randomBytes(32));
  const body = JSON.stringify({ secret: next });
  const path = paths.channel(r.id);
  const answer = await send(relay.url, { method: 'PUT', path, headers: signedHeaders(r.secret, 'PUT', path, body), body: enc.encode(body) });
  expect(answer.status).toBe(200);
  rotated = { id: r.id, secret: next, token: subscribeToken(next, r.id), oldToken: r.token, claim: r.claim };
  good = newChannel();
  await register(good);
  goodSocket = (await subscribe(relay.url, good.id, good.token)).socket;
  publishing = publishGood();
}, 30_000);

afterAll(async () => {
  stopPublishing = true;
  await publishing?.catch(() => undefined);
  await goodSocket?.close();
  closeAgent();
  await relay?.stop();
});

// --- The oracle ----------------------------------------------------------------------------------

/** What the relay must answer a signed change body with, per the shared parsers it uses. */
function expectedForChange(bytes: Uint8Array): ErrorCode[] {
  if (bytes.length > MAX_BODY_BYTES) return ['BODY_TOO_LARGE'];
  const json = parseJson(Buffer.from(bytes).toString('utf8'));
  if (!json.ok) return ['BAD_JSON'];
  if (!parseChange(json.value).ok) return ['BAD_CHANGE'];
  // Well-formed: applying it gives a grid whose hash is not the (random) one given, unless the grid
  // would be too large or pass the cell limit first.
  return ['HASH_MISMATCH', 'BAD_CHANGE', 'BODY_TOO_LARGE'];
}

function expectedForSignature(variant: SignatureVariant): ErrorCode {
  switch (variant.sig) {
    case 'timestamp-not-digits': {
      // HTTP trims a header value's surrounding spaces: " 1" arrives as "1", a (very old) timestamp.
      const t = variant.timestamp.trim();
      if (!/^\d{1,16}$/.test(t)) return 'MISSING_SIGNATURE';
      return Math.abs(Date.now() - Number(t)) > 5 * 60 * 1000 ? 'CLOCK_SKEW' : 'BAD_SIGNATURE';
    }
    case 'none':
    case 'no-v1-prefix':
      return 'MISSING_SIGNATURE';
    case 'skewed':
      return 'CLOCK_SKEW';
    default:
      return 'BAD_SIGNATURE';
  }
}

function expectedForRegister(bytes: Uint8Array): ErrorCode {
  if (bytes.length > 16 * 1024) return 'BODY_TOO_LARGE';
  const json = parseJson(Buffer.from(bytes).toString('utf8'));
  if (!json.ok) return 'BAD_JSON';
  const parsed = parseRegister(json.value);
  if (!parsed.ok) return parsed.message.startsWith('secret') ? 'WEAK_SECRET' : parsed.message.startsWith('claim') ? 'BAD_CLAIM' : 'BAD_REQUEST';
  if ((base64UrlDecode(parsed.value.secret)?.length ?? 0) < 32) return 'WEAK_SECRET';
  // A generated body never brings the claim the victim's id is derived from.
  return 'BAD_CLAIM';
}

/** The close a socket message earns, or undefined when it is valid (see relay/socket-session.ts). */
function expectedForMessage(message: string | Uint8Array, afterHello: boolean, tokenOk: (token: string) => ErrorCode | undefined): ErrorCode | undefined {
  const size = typeof message === 'string' ? Buffer.byteLength(message) : message.length;
  if (size > MAX_MESSAGE_BYTES) return 'MESSAGE_TOO_BIG';
  if (typeof message !== 'string') return 'BAD_MESSAGE';
  const json = parseJson(message);
  if (!json.ok) return 'BAD_MESSAGE';
  const raw = json.value as { type?: unknown; v?: unknown } | null;
  if (raw !== null && typeof raw === 'object' && raw.type === 'hello' && raw.v !== PROTOCOL_VERSION) return 'UNSUPPORTED_VERSION';
  const parsed = parseClientMessage(json.value);
  if (!parsed.ok) return 'BAD_MESSAGE';
  if (parsed.value.type === 'hello') return afterHello ? 'BAD_MESSAGE' : tokenOk(parsed.value.token);
  return afterHello ? undefined : 'BAD_MESSAGE';
}

// --- Actions -------------------------------------------------------------------------------------

type HttpAction =
  | { kind: 'change'; victim: number; body: Uint8Array; gzip: boolean }
  | { kind: 'oversized'; victim: number; body: Uint8Array }
  | { kind: 'signature'; victim: number; variant: SignatureVariant; change: unknown }
  | { kind: 'replay'; victim: number; change: unknown }
  | { kind: 'register'; victim: number; body: Uint8Array }
  | { kind: 'encoding'; victim: number; variant: 'bad-gzip' | 'gzip-bomb' | 'brotli' | 'text-plain'; data: Uint8Array }
  | { kind: 'route'; method: string; path: string; contentType: string; body: Uint8Array }
  | { kind: 'raw'; bytes: Uint8Array };

const victim = fc.nat({ max: 2 });

const anyHttpAction: fc.Arbitrary<HttpAction> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('change' as const), victim, body: hostileChangeBody, gzip: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('oversized' as const), victim, body: oversizedBody(MAX_BODY_BYTES) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('signature' as const), victim: fc.nat({ max: 3 }), variant: signatureVariant, change: wellFormedChange }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const), victim, change: wellFormedChange }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('register' as const),
      victim,
      body: fc.oneof(
        fc.uint8Array({ maxLength: 100 }),
        fc.record({ secret: fc.oneof(fc.string({ maxLength: 80 }), fc.base64String({ maxLength: 80 }), fc.integer(), fc.constant(null)) }).map((b) => enc.encode(JSON.stringify(b))),
        fc.jsonValue({ maxDepth: 2 }).map((b) => enc.encode(JSON.stringify(b) ?? '')),
        fc.constant(enc.encode(JSON.stringify({ secret: 'A'.repeat(20_000) }))),
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('encoding' as const), victim, variant: fc.constantFrom('bad-gzip' as const, 'gzip-bomb' as const, 'brotli' as const, 'text-plain' as const), data: fc.uint8Array({ minLength: 1, maxLength: 64 }) }) },
  { weight: 3, arbitrary: hostileRoute.map((r) => ({ kind: 'route' as const, ...r })) },
  { weight: 1, arbitrary: rawBytes.map((bytes) => ({ kind: 'raw' as const, bytes })) },
);

const httpAction = anyHttpAction.map((a) => brief({ ...a }, describeAction));

/** The good channel takes part in signature tricks too: they must not disturb it. */
const channelFor = (i: number): Channel => (i < victims.length ? victims[i]! : good);

async function runHttp(action: HttpAction): Promise<string | undefined> {
  actions++;
  const base = relay.url;
  switch (action.kind) {
    case 'change': {
      const ch = channelFor(action.victim);
      const path = paths.changes(ch.id);
      const text = Buffer.from(action.body).toString('utf8');
      const headers = signedHeaders(ch.secret, 'POST', path, text);
      const body = action.gzip ? gzipSync(action.body) : action.body;
      if (action.gzip) headers['content-encoding'] = 'gzip';
      return refusalProblem(await send(base, { method: 'POST', path, headers, body }), expectedForChange(action.body));
    }
    case 'oversized': {
      const ch = channelFor(action.victim);
      const path = paths.changes(ch.id);
      return refusalProblem(await send(base, { method: 'POST', path, headers: signedHeaders(ch.secret, 'POST', path, ''), body: action.body }), 'BODY_TOO_LARGE');
    }
    case 'signature': {
      const ch = channelFor(action.victim);
      const path = paths.changes(ch.id);
      const body = JSON.stringify(action.change);
      const v = action.variant;
      const now = uniqueNow();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const hexOf = (secret: string, method: string, p: string, b: string, t = now) => signRequest(secret, t, method, p, b);
      if (v.sig === 'timestamp-not-digits') Object.assign(headers, { 'x-sync-timestamp': v.timestamp, 'x-sync-signature': hexOf(ch.secret, 'POST', path, body) });
      if (v.sig === 'no-v1-prefix') Object.assign(headers, { 'x-sync-timestamp': String(now), 'x-sync-signature': v.hex });
      if (v.sig === 'skewed') Object.assign(headers, { 'x-sync-timestamp': String(Math.max(0, now + v.byMs)), 'x-sync-signature': hexOf(ch.secret, 'POST', path, body, Math.max(0, now + v.byMs)) });
      if (v.sig === 'not-hex') Object.assign(headers, { 'x-sync-timestamp': String(now), 'x-sync-signature': `v1=${v.text}` });
      if (v.sig === 'other-secret') Object.assign(headers, { 'x-sync-timestamp': String(now), 'x-sync-signature': hexOf(base64UrlEncode(randomBytes(32)), 'POST', path, body) });
      if (v.sig === 'other-path') Object.assign(headers, { 'x-sync-timestamp': String(now), 'x-sync-signature': hexOf(ch.secret, 'POST', paths.status(ch.id), body) });
      if (v.sig === 'other-body') Object.assign(headers, { 'x-sync-timestamp': String(now), 'x-sync-signature': hexOf(ch.secret, 'POST', path, body + v.extra) });
      if (v.sig === 'other-method') Object.assign(headers, { 'x-sync-timestamp': String(now), 'x-sync-signature': hexOf(ch.secret, 'PUT', path, body) });
      // Header values must be sendable at all: a string with control characters is refused by the client.
      if (Object.values(headers).some((h) => /[^\t\x20-\x7e]/.test(h))) return undefined;
      return refusalProblem(await send(base, { method: 'POST', path, headers, body: enc.encode(body) }), expectedForSignature(v));
    }
    case 'replay': {
      const ch = channelFor(action.victim);
      const path = paths.changes(ch.id);
      const body = JSON.stringify(action.change);
      const request: HostileRequest = { method: 'POST', path, headers: signedHeaders(ch.secret, 'POST', path, body), body: enc.encode(body) };
      const first = refusalProblem(await send(base, request), expectedForChange(enc.encode(body)));
      if (first) return `first send: ${first}`;
      return refusalProblem(await send(base, request), 'REPLAYED');
    }
    case 'register': {
      const ch = channelFor(action.victim);
      return refusalProblem(await send(base, { method: 'PUT', path: paths.channel(ch.id), headers: { 'content-type': 'application/json' }, body: action.body }), expectedForRegister(action.body));
    }
    case 'encoding': {
      const ch = channelFor(action.victim);
      const path = paths.changes(ch.id);
      const signed = signedHeaders(ch.secret, 'POST', path, '');
      let answer: Answer;
      if (action.variant === 'bad-gzip') {
        answer = await send(base, { method: 'POST', path, headers: { ...signed, 'content-encoding': 'gzip' }, body: Uint8Array.from([0x1f, 0x8b, ...action.data]) });
        return refusalProblem(answer, 'BAD_JSON');
      }
      if (action.variant === 'gzip-bomb') {
        answer = await send(base, { method: 'POST', path, headers: { ...signed, 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(MAX_BODY_BYTES * 20, action.data[0])) });
        return refusalProblem(answer, 'BODY_TOO_LARGE');
      }
      const headers = action.variant === 'brotli' ? { ...signed, 'content-encoding': 'br' } : { ...signed, 'content-type': 'text/plain' };
      return refusalProblem(await send(base, { method: 'POST', path, headers, body: action.data }), 'UNSUPPORTED_MEDIA_TYPE');
    }
    case 'route': {
      // The three open GET endpoints answer 200 by design; everything else generated is refused.
      if (action.method === 'GET' && /^\/(healthz|readyz|metrics)$/.test(action.path)) return undefined;
      const headers: Record<string, string> = action.contentType ? { 'content-type': action.contentType } : {};
      return refusalProblem(await send(base, { method: action.method, path: action.path, headers, body: action.body }));
    }
    case 'raw': {
      const text = await sendRaw(base, action.bytes);
      // Line breaks alone begin no request (HTTP skips them between requests): there is nothing to answer.
      if (text === '') return /^[\r\n]*$/.test(Buffer.from(action.bytes).toString('latin1')) ? undefined : 'raw bytes got no answer';
      // Anything else is no HTTP/1.1 request: the relay's JSON refusal, BAD_REQUEST, and then the connection ends.
      const answer = rawAnswer(text);
      return typeof answer === 'string' ? answer : refusalProblem(answer, 'BAD_REQUEST');
    }
  }
}

/**
 * The one answer a raw exchange may carry: a status line, headers, and a body of exactly its
 * Content-Length, with nothing after it (the relay closes the connection). A string says what is wrong.
 */
function rawAnswer(text: string): Answer | string {
  const end = text.indexOf('\r\n\r\n');
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(text);
  if (end < 0 || !status) return `raw bytes answered ${JSON.stringify(text.slice(0, 120))}`;
  const headers = new Map(
    text
      .slice(0, end)
      .split('\r\n')
      .slice(1)
      .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()] as const),
  );
  if (headers.get('connection') !== 'close') return `raw bytes answered without Connection: close: ${JSON.stringify(text.slice(0, end))}`;
  const body = Buffer.from(text.slice(end + 4), 'latin1');
  if (body.length !== Number(headers.get('content-length'))) return `raw answer body of ${body.length} bytes, Content-Length ${String(headers.get('content-length'))}`;
  return { status: Number(status[1]), contentType: headers.get('content-type') ?? '', text: body.toString('utf8') };
}

type SocketAction =
  | { kind: 'first'; target: 'victim' | 'good' | 'unknown'; message: string | Uint8Array }
  | { kind: 'revoked' }
  | { kind: 'later'; victim: number; message: string | Uint8Array }
  | { kind: 'upgrade'; origin: string; channel: string };

const anySocketAction: fc.Arbitrary<SocketAction> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('first' as const), target: fc.constantFrom('victim' as const, 'good' as const, 'unknown' as const), message: hostileFirstMessage }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'revoked' as const }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('later' as const), victim, message: hostileLaterMessage }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('upgrade' as const),
      origin: fc.constantFrom('https://evil.example', 'http://localhost:1234', 'file://', 'https://www.figma.com.evil.example'),
      channel: fc.oneof(fc.constant('ok'), fc.stringMatching(/^[A-Za-z0-9_%-]{1,15}$/), fc.constant('x'.repeat(65))),
    }),
  },
);

const socketAction = anySocketAction.map((a) => brief({ ...a }, describeAction));

/** Checks a close: the expected 44xx code, and a reason that starts with the catalogue code. */
function closeProblem(outcome: { code: number; reason: string }, expected: ErrorCode): string | undefined {
  const code = codeOfClose(outcome.code);
  if (code !== expected) return `closed with ${outcome.code} (${code ?? 'not ours'}: ${outcome.reason}) where ${expected} was expected`;
  if (!outcome.reason.startsWith(expected)) return `close reason "${outcome.reason}" does not name ${expected}`;
  return undefined;
}

async function runSocket(action: SocketAction): Promise<string | undefined> {
  actions++;
  const base = relay.url;
  switch (action.kind) {
    case 'first': {
      const id = action.target === 'victim' ? victims[0]!.id : action.target === 'good' ? good.id : base64UrlEncode(randomBytes(16));
      const expected = expectedForMessage(action.message, false, () => (action.target === 'unknown' ? 'UNKNOWN_CHANNEL' : 'BAD_TOKEN'));
      const outcome = await playSocket(base, { channelId: id, messages: [action.message] });
      // A proper hello is not generated here; if it were, the oracle would say so.
      if (expected === undefined) return `the oracle found a valid first message: ${String(action.message).slice(0, 100)}`;
      return closeProblem(outcome, expected);
    }
    case 'revoked': {
      const outcome = await playSocket(base, { channelId: rotated.id, messages: [JSON.stringify({ type: 'hello', v: 2, token: rotated.oldToken })] });
      return closeProblem(outcome, 'TOKEN_REVOKED');
    }
    case 'later': {
      const ch = victims[action.victim]!;
      const expected = expectedForMessage(action.message, true, () => undefined) ?? 'BAD_MESSAGE';
      // A last message that is surely wrong ends the socket even when the hostile one was valid.
      const outcome = await playSocket(base, { channelId: ch.id, awaitWelcome: true, messages: [JSON.stringify({ type: 'hello', v: 2, token: ch.token }), action.message, 'not json'] });
      if (!outcome.received[0]?.startsWith('{"type":"welcome"')) return `no welcome after a good hello: ${JSON.stringify(outcome).slice(0, 200)}`;
      // ws itself closes (1009) a frame past its hard cap of 4 × MAX_MESSAGE_BYTES; none is generated.
      return closeProblem(outcome, expected);
    }
    case 'upgrade': {
      const id = action.channel === 'ok' ? victims[0]!.id : action.channel;
      const outcome = await playSocket(base, { channelId: id, origin: action.origin, messages: [] });
      if (!outcome.refused) return `the upgrade from ${action.origin} to ${id} was accepted`;
      return refusalProblem(outcome.refused, action.channel === 'ok' || /^[A-Za-z0-9_-]{16,64}$/.test(id) ? 'BAD_ORIGIN' : ['BAD_ORIGIN', 'BAD_REQUEST', 'NOT_FOUND']);
    }
  }
}

const durations = new Map<string, { n: number; ms: number; max: number }>();

/** Runs a batch at once; each problem is reported with the action that met it. */
async function runBatch<T extends { kind: string }>(batch: T[], run: (action: T) => Promise<string | undefined>): Promise<void> {
  const problems = await Promise.all(
    batch.map(async (action) => {
      const start = Date.now();
      let problem: string | undefined;
      try {
        problem = await run(action);
      } catch (err) {
        problem = (err as Error).message;
      }
      const ms = Date.now() - start;
      const d = durations.get(action.kind) ?? { n: 0, ms: 0, max: 0 };
      durations.set(action.kind, { n: d.n + 1, ms: d.ms + ms, max: Math.max(d.max, ms) });
      return problem === undefined ? undefined : `${describeAction(action)} → ${problem}`;
    }),
  );
  expect(problems.filter((p): p is string => p !== undefined)).toEqual([]);
}

test(`${HTTP_RUNS * BATCH} hostile HTTP requests each get the specific refusal, as JSON from the catalogue`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(httpAction, { minLength: BATCH, maxLength: BATCH }), (batch) => runBatch(batch, runHttp)),
    { numRuns: HTTP_RUNS, endOnFailure: true },
  );
}, 120_000);

test(`${SOCKET_RUNS * BATCH} hostile sockets each end with the specific 44xx close code, named in the reason`, async () => {
  // Sockets that never say hello wait out HELLO_TIMEOUT_MS: they run beside the generated ones.
  const silent = Array.from({ length: 20 }, (_, i) =>
    playSocket(relay.url, { channelId: victims[i % victims.length]!.id, messages: [] }).then((outcome) => closeProblem(outcome, 'HELLO_TIMEOUT')),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(socketAction, { minLength: BATCH, maxLength: BATCH }), (batch) => runBatch(batch, runSocket)),
    { numRuns: SOCKET_RUNS, endOnFailure: true },
  );
  expect((await Promise.all(silent)).filter((p) => p !== undefined)).toEqual([]);
  actions += silent.length;
}, 120_000);

test('the relay is still up, logged no error of its own, and the well-behaved channel lost nothing, in order', async () => {
  if (process.env.FUZZ_TIMINGS) console.log([...durations].map(([k, d]) => `${k}: ${d.n} × ${Math.round(d.ms / d.n)} ms (max ${d.max})`).join('\n'));
  expect(actions).toBeGreaterThanOrEqual(10_000);
  stopPublishing = true;
  await publishing;
  expect(relay.child.exitCode).toBeNull();
  const health = await send(relay.url, { method: 'GET', path: '/healthz', headers: {} });
  expect(health.status).toBe(200);
  // Every publish was taken, seq 1, 2, 3, … with no gap.
  expect(published.length).toBeGreaterThan(100);
  expect(published.map((p) => p.status)).toEqual(published.map(() => 200));
  expect(published.map((p) => p.seq)).toEqual(published.map((_, i) => i + 1));
  // The subscriber received every one of them, in order, and its grid hashes as the sheet's.
  const last = published.length;
  await goodSocket.waitFor((m) => m.type === 'patch' && m.seq === last, 10_000);
  const patches = goodSocket.messages.filter((m): m is Extract<ServerMessage, { type: 'patch' }> => m.type === 'patch');
  expect(patches.map((p) => p.seq)).toEqual(published.map((_, i) => i + 1));
  let grid = emptyGrid();
  for (const p of patches) grid = applyChange(grid, { kind: 'patch', tabs: p.tabs });
  expect(gridHash(grid)).toBe(gridHash(goodGrid));
  expect(relay.logs.filter((e) => typeof e.level === 'number' && e.level >= 50)).toEqual([]);
});
