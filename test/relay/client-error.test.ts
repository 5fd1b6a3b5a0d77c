// Bytes that are not HTTP get the relay's JSON refusal (BAD_REQUEST) with Connection: close, over a
// raw socket against a relay on port 0; the refusal is counted and logged without the bytes. A reset,
// a socket that cannot be written and a response already under way get no answer at all.

import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { answerClientError, type ClientError } from '../../relay/client-error';
import { createLogger } from '../../relay/logger';
import { RelayMetrics } from '../../relay/metrics';
import { ERRORS } from '../../shared/protocol/errors';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { getJson } from './support/relay-api';

let relay: InProcessRelay;
beforeAll(async () => {
  relay = await startInProcessRelay();
});
afterAll(async () => {
  await relay?.close();
});

/** Writes bytes on a fresh connection (ending it after them when `end`) and reads until the relay closes it. */
function exchange(bytes: string | Buffer, end = false, timeoutMs = 5000): Promise<string> {
  const url = new URL(relay.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the relay did not close the connection within ${timeoutMs} ms; read: ${Buffer.concat(chunks).toString('latin1').slice(0, 200)}`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(bytes, () => (end ? socket.end() : undefined));
  });
}

interface RawAnswer {
  statusLine: string;
  headers: Record<string, string>;
  body: unknown;
  /** Whatever followed the body on the connection. */
  rest: string;
}

/** Splits one HTTP/1.1 answer (Content-Length framed) off the front of `text`. */
function readAnswer(text: string): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no complete HTTP answer in ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length']);
  const bodyText = text.slice(end + 4, end + 4 + length);
  return { statusLine: statusLine!, headers, body: JSON.parse(bodyText) as unknown, rest: text.slice(end + 4 + length) };
}

const badRequest = (detail: string | RegExp) => ({
  error: { code: 'BAD_REQUEST', message: ERRORS.BAD_REQUEST.message, detail: typeof detail === 'string' ? detail : expect.stringMatching(detail) },
});

async function rejectionsCounted(): Promise<number> {
  const text = (await getJson(`${relay.url}/metrics`)).body as string;
  const line = text.split('\n').find((l) => l.startsWith('relay_rejections_total{reason="BAD_REQUEST"}'));
  return line ? Number(line.split(' ').pop()) : 0;
}

test('a control character in the request line is answered 400 with the BAD_REQUEST JSON body and Connection: close, then the relay closes the connection', async () => {
  const answer = readAnswer(await exchange('GET /\x01 HTTP/1.1\r\nHost: relay\r\n\r\n'));
  expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
  expect(answer.headers).toEqual({
    'content-type': 'application/json; charset=utf-8',
    'content-length': expect.stringMatching(/^\d+$/),
    'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
    connection: 'close',
  });
  expect(answer.body).toEqual(badRequest(/^the bytes sent are not an HTTP\/1\.1 request \(HPE_INVALID_URL after \d+ bytes\)$/));
  expect(answer.rest).toBe('');
});

test('bytes that are no request line at all (binary) get the same JSON refusal', async () => {
  const answer = readAnswer(await exchange(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03])));
  expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
  expect(answer.body).toEqual(badRequest(/^the bytes sent are not an HTTP\/1\.1 request \(HPE_INVALID_METHOD after \d+ bytes\)$/));
});

test('headers past the size limit are refused as BAD_REQUEST saying so', async () => {
  const answer = readAnswer(await exchange(`GET /healthz HTTP/1.1\r\nHost: relay\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`));
  expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
  expect(answer.body).toEqual(badRequest('the request line and headers are larger than the relay accepts'));
});

test('a connection that ends in the middle of a request line is refused as BAD_REQUEST saying so', async () => {
  const answer = readAnswer(await exchange('GET /heal', true));
  expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
  expect(answer.body).toEqual(badRequest('the connection ended in the middle of a request'));
});

test('line breaks alone begin no request and get no answer', async () => {
  expect(await exchange('\r\n\r\n', true)).toBe('');
});

test('the refusal is counted under BAD_REQUEST and logged with its request id and parser error, never the bytes', async () => {
  const before = await rejectionsCounted();
  const marker = 'NOT-FOR-THE-LOG-7f3a';
  const answer = readAnswer(await exchange(`POST /${marker}\x7f HTTP/1.1\r\nHost: relay\r\n\r\n`));
  const requestId = answer.headers['x-request-id'];
  const entry = await relay.waitForLog((e) => e.reqId === requestId);
  const { time: _time, pid: _pid, hostname: _hostname, ...logged } = entry;
  expect(logged).toEqual({ level: 30, reqId: requestId, status: 400, code: 'BAD_REQUEST', parserError: 'HPE_INVALID_URL', bytesParsed: expect.any(Number), msg: 'not HTTP: refused' });
  expect(relay.logText()).not.toContain(marker);
  expect(await rejectionsCounted()).toBe(before + 1);
});

test('a request answered before bad bytes on the same connection keeps its whole answer; anything after it is the JSON refusal', async () => {
  const text = await exchange('GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\nBAD\x01 REQUEST\r\n\r\n');
  const first = readAnswer(text);
  expect(first.statusLine).toBe('HTTP/1.1 200 OK');
  expect(first.body).toEqual({ ok: true });
  // Either the refusal follows the finished answer, or (the answer still being written) the relay just closes.
  if (first.rest !== '') expect(readAnswer(first.rest).body).toEqual(badRequest(/^the bytes sent are not an HTTP\/1\.1 request/));
});

describe('answerClientError on its own', () => {
  function setup() {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const metrics = new RelayMetrics({ processMetrics: false });
    const socket = new PassThrough();
    const written: string[] = [];
    socket.on('data', (chunk: Buffer) => written.push(chunk.toString()));
    const counted = async () => (await metrics.rejections.get()).values.reduce((n, v) => n + v.value, 0);
    return { lines, logger, metrics, socket, written, counted };
  }
  const parserError = (code: string): ClientError => Object.assign(new Error('Parse Error'), { code, bytesParsed: 3 });

  test('a reset connection is closed with no answer, no count and no log line', async () => {
    const t = setup();
    answerClientError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), t.socket, { metrics: t.metrics, logger: t.logger, inFlight: undefined });
    expect(t.socket.destroyed).toBe(true);
    expect(t.written).toEqual([]);
    expect(await t.counted()).toBe(0);
    expect(t.lines).toEqual([]);
  });

  test('a socket that can no longer be written is closed without an answer, but the refusal is still counted and logged', async () => {
    const t = setup();
    t.socket.end();
    answerClientError(parserError('HPE_INVALID_METHOD'), t.socket, { metrics: t.metrics, logger: t.logger, inFlight: undefined });
    expect(t.socket.destroyed).toBe(true);
    expect(t.written).toEqual([]);
    expect(await t.counted()).toBe(1);
    expect(t.lines.map((l) => l.msg)).toEqual(['not HTTP: refused']);
  });

  test('a socket whose current response has begun is closed without an answer, so the peer never reads a mix of two', async () => {
    const t = setup();
    const inFlight = { headersSent: true } as import('node:http').ServerResponse;
    answerClientError(parserError('HPE_INVALID_METHOD'), t.socket, { metrics: t.metrics, logger: t.logger, inFlight });
    expect(t.socket.destroyed).toBe(true);
    expect(t.written).toEqual([]);
  });

  test('a request that never arrives in full is refused as BAD_REQUEST saying so', async () => {
    const t = setup();
    const done = new Promise((resolve) => t.socket.once('close', resolve));
    answerClientError(Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), t.socket, { metrics: t.metrics, logger: t.logger, inFlight: undefined });
    await done;
    expect(readAnswer(t.written.join('')).body).toEqual(badRequest('the request did not arrive in full in time'));
    expect(t.socket.destroyed).toBe(true);
  });
});
