// The hostile side of the bad-input suite: sends requests exactly as generated (bytes, headers,
// methods) over HTTP or raw TCP, opens sockets that misbehave, and checks what every answer must
// be: a specific 4xx (or 44xx close code) with a readable JSON error from the catalogue.

import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { ERRORS, type ErrorCode } from '../../shared/protocol/errors';

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** A request as generated: method, path, headers and body bytes sent as they are. */
export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export function closeAgent(): void {
  agent.destroy();
}

/** Sends one request; rejects if no answer comes within `timeoutMs` (a hang is a failure). */
export function send(base: string, req: HostileRequest, timeoutMs = 10_000): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    // Node's client sends a body of GET, DELETE or OPTIONS without Content-Length: say it, or the
    // body's bytes would be read as the start of the next request on the kept-alive connection.
    const headers = req.body && !Object.keys(req.headers).some((h) => h.toLowerCase() === 'content-length') ? { ...req.headers, 'content-length': String(req.body.length) } : req.headers;
    const r = request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.setTimeout(timeoutMs, () => {
      r.destroy(new Error(`no answer within ${timeoutMs} ms to ${req.method} ${req.path.slice(0, 80)}`));
    });
    r.on('error', reject);
    r.end(req.body ? Buffer.from(req.body) : undefined);
  });
}

/** Writes raw bytes to the relay's port and reads until the relay closes (or `timeoutMs`). */
export function sendRaw(base: string, bytes: Uint8Array, timeoutMs = 10_000): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the relay neither answered nor closed within ${timeoutMs} ms: ${Buffer.concat(chunks).toString('latin1').slice(0, 200)}`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(Buffer.from(bytes), () => socket.end());
  });
}

/**
 * Why an answer is not what every refusal must be, or undefined: a 4xx status, JSON, and an error
 * body whose code is in the catalogue with that very status and message. `expected` pins the code.
 */
export function refusalProblem(answer: Answer, expected?: ErrorCode | readonly ErrorCode[]): string | undefined {
  const allowed = expected === undefined ? undefined : typeof expected === 'string' ? [expected] : expected;
  if (answer.status < 400 || answer.status > 499) return `status ${answer.status}: ${answer.text.slice(0, 200)}`;
  if (!answer.contentType.startsWith('application/json')) return `content-type "${answer.contentType}" for ${answer.status}`;
  let body: { error?: { code?: unknown; message?: unknown; detail?: unknown } };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    return `not JSON: ${answer.text.slice(0, 200)}`;
  }
  const code = body.error?.code;
  if (typeof code !== 'string' || !Object.prototype.hasOwnProperty.call(ERRORS, code)) return `unknown code ${JSON.stringify(code)}`;
  const spec = ERRORS[code as ErrorCode];
  if (spec.status !== answer.status) return `${code} came with status ${answer.status}, the catalogue says ${spec.status}`;
  if (body.error!.message !== spec.message) return `${code} message differs from the catalogue`;
  if (body.error!.detail !== undefined && typeof body.error!.detail !== 'string') return `${code} detail is not text`;
  if (allowed && !allowed.includes(code as ErrorCode)) return `${code} (${answer.status}) where ${allowed.join(' or ')} was expected: ${String(body.error!.detail ?? '')}`;
  return undefined;
}

export interface SocketOutcome {
  /** The close code, or 0 when the upgrade was refused. */
  code: number;
  reason: string;
  /** The refused upgrade's answer. */
  refused?: Answer;
  /** Text messages the relay sent before closing. */
  received: string[];
}

export interface SocketScript {
  channelId: string;
  origin?: string;
  /** Sent in order once open; a string goes as a text frame, bytes as a binary frame. */
  messages: (string | Uint8Array)[];
  /** Wait for the relay's welcome after the first message before sending the rest. */
  awaitWelcome?: boolean;
}

/** Opens a socket, plays the script and resolves when the relay closes it (rejects after `timeoutMs`). */
export function playSocket(base: string, script: SocketScript, timeoutMs = 10_000): Promise<SocketOutcome> {
  const url = `${base.replace(/^http/, 'ws')}/v2/channels/${script.channelId}/socket`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ...(script.origin !== undefined ? { origin: script.origin } : {}), perMessageDeflate: false });
    const received: string[] = [];
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      ws.terminate();
      reject(new Error(`the relay did not close the socket within ${timeoutMs} ms (received ${JSON.stringify(received).slice(0, 300)})`));
    }, timeoutMs);
    const finish = (outcome: SocketOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const sendRest = (from: number): void => {
      for (const m of script.messages.slice(from)) if (ws.readyState === WebSocket.OPEN) ws.send(typeof m === 'string' ? m : Buffer.from(m), { binary: typeof m !== 'string' });
    };
    let welcomed = false;
    ws.on('open', () => {
      if (!script.awaitWelcome) return sendRest(0);
      const first = script.messages[0];
      if (first !== undefined) ws.send(typeof first === 'string' ? first : Buffer.from(first), { binary: typeof first !== 'string' });
    });
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '<binary>' : data.toString();
      received.push(text);
      if (script.awaitWelcome && !welcomed && text.startsWith('{"type":"welcome"')) {
        welcomed = true;
        sendRest(1);
      }
    });
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        ws.terminate();
        finish({ code: 0, reason: '', received, refused: { status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') } });
      });
    });
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => finish({ code, reason: reason.toString('utf8'), received }));
  });
}

/** The catalogue code whose close code this is. */
export function codeOfClose(closeCode: number): ErrorCode | undefined {
  for (const [code, spec] of Object.entries(ERRORS) as [ErrorCode, { closeCode?: number }][]) if (spec.closeCode === closeCode) return code;
  return undefined;
}
