// A small WebSocket client for tests against the relay: opens a channel socket, records every
// message (validated with the shared schema), and awaits messages and closes without sleeps.
//
// API
//   openSocket(relayUrl, channelId, options?) → Promise<TestSocket>
//     Opens ws(s)://…/v2/channels/:id/socket. options: { origin?: string, headers?: Record<string,string>,
//     timeoutMs = 5000 }. Rejects with UpgradeRefused { status, body } when the relay refuses the
//     upgrade (e.g. 403 BAD_ORIGIN), with a plain Error on a network failure or timeout.
//   tryOpenSocket(...) → Promise<TestSocket | UpgradeRefused>   same, but a refusal is a value.
//   subscribe(relayUrl, channelId, token, options?) → Promise<{ socket, welcome }>
//     openSocket + hello { v: 2, token, since?, client? } + await the welcome. options also take
//     { since?: Position, client?: { name?, session? } }.
//
//   TestSocket
//     ws                  the underlying `ws` WebSocket
//     messages            every ServerMessage received, in order
//     send(msg)           sends a ClientMessage object as JSON, or a string / Buffer as is
//     hello(token, since?, client?)
//     next(timeoutMs = 5000)             the next message not yet taken (a cursor over `messages`)
//     nextOf(type, timeoutMs = 5000)     next(), asserting its type (rejects naming what came instead)
//     take(count, timeoutMs = 5000)      the next `count` messages
//     waitFor(predicate, timeoutMs)      the first untaken message matching; moves the cursor past it
//     closed                             Promise<{ code, reason }>, resolves when the socket closes
//     close(code = 1000)                 closes and awaits `closed`
//     position()                         { epoch, seq } of the last snapshot/patch (or "current" welcome)
//   A message that fails the shared ServerMessage schema makes every later next()/waitFor() reject.

import WebSocket from 'ws';
import type { ClientMessage, Position, ServerMessage } from '../../shared/protocol/messages';
import { parseServerMessage } from '../../shared/protocol/messages';

export interface UpgradeRefused {
  refused: true;
  status: number;
  body: unknown;
}

export interface CloseInfo {
  code: number;
  reason: string;
}

export interface TestSocket {
  ws: WebSocket;
  messages: ServerMessage[];
  send(message: ClientMessage | string | Buffer): void;
  hello(token: string, since?: Position, client?: { name?: string; session?: string }): void;
  next(timeoutMs?: number): Promise<ServerMessage>;
  nextOf<T extends ServerMessage['type']>(type: T, timeoutMs?: number): Promise<Extract<ServerMessage, { type: T }>>;
  take(count: number, timeoutMs?: number): Promise<ServerMessage[]>;
  waitFor(predicate: (message: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  closed: Promise<CloseInfo>;
  close(code?: number): Promise<CloseInfo>;
  position(): Position | undefined;
}

export interface OpenOptions {
  origin?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export function socketUrl(relayUrl: string, channelId: string): string {
  return `${relayUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/v2/channels/${channelId}/socket`;
}

export async function tryOpenSocket(relayUrl: string, channelId: string, options: OpenOptions = {}): Promise<TestSocket | UpgradeRefused> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const ws = new WebSocket(socketUrl(relayUrl, channelId), {
    headers: options.headers,
    ...(options.origin !== undefined ? { origin: options.origin } : {}),
    handshakeTimeout: timeoutMs,
  });
  const socket = wrap(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        ws.terminate();
        resolve({ refused: true, status: res.statusCode ?? 0, body });
      });
    });
    ws.once('error', (err) => reject(err));
  });
}

export async function openSocket(relayUrl: string, channelId: string, options: OpenOptions = {}): Promise<TestSocket> {
  const result = await tryOpenSocket(relayUrl, channelId, options);
  if ('refused' in result) throw Object.assign(new Error(`upgrade refused with ${result.status}: ${JSON.stringify(result.body)}`), result);
  return result;
}

export async function subscribe(
  relayUrl: string,
  channelId: string,
  token: string,
  options: OpenOptions & { since?: Position; client?: { name?: string; session?: string } } = {},
): Promise<{ socket: TestSocket; welcome: Extract<ServerMessage, { type: 'welcome' }> }> {
  const socket = await openSocket(relayUrl, channelId, options);
  socket.hello(token, options.since, options.client);
  const welcome = await socket.nextOf('welcome', options.timeoutMs);
  return { socket, welcome };
}

function wrap(ws: WebSocket): TestSocket {
  const messages: ServerMessage[] = [];
  let cursor = 0;
  let invalid: Error | undefined;
  let closeInfo: CloseInfo | undefined;
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };

  const closed = new Promise<CloseInfo>((resolve) => {
    ws.on('close', (code, reason) => {
      closeInfo = { code, reason: reason.toString('utf8') };
      resolve(closeInfo);
      notify();
    });
  });
  ws.on('error', () => {
    // Errors end in 'close'; waiting calls see that.
  });
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? '' : data.toString();
    let parsed: ReturnType<typeof parseServerMessage>;
    try {
      parsed = parseServerMessage(JSON.parse(text));
    } catch (err) {
      parsed = { ok: false, message: (err as Error).message };
    }
    if (parsed.ok) messages.push(parsed.value);
    else invalid ??= new Error(`the relay sent a message that fails the ServerMessage schema (${parsed.message}): ${text.slice(0, 300)}`);
    notify();
  });

  /** Resolves with the first untaken message matching, scanning from the cursor. */
  function waitFor(predicate: (message: ServerMessage) => boolean, timeoutMs = 5000, moveCursor: 'past' | 'exact' = 'past'): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (invalid) {
          done();
          reject(invalid);
          return true;
        }
        for (let i = cursor; i < messages.length; i++) {
          if (predicate(messages[i]!)) {
            cursor = i + 1;
            done();
            resolve(messages[i]!);
            return true;
          }
          if (moveCursor === 'exact') break;
        }
        if (closeInfo) {
          done();
          reject(new Error(`socket closed (${closeInfo.code} ${closeInfo.reason}) while waiting; untaken: ${JSON.stringify(messages.slice(cursor)).slice(0, 500)}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no expected message within ${timeoutMs} ms; untaken: ${JSON.stringify(messages.slice(cursor)).slice(0, 500)}`));
      }, timeoutMs);
      const listener = (): void => void check();
      const done = (): void => {
        clearTimeout(timer);
        listeners.delete(listener);
      };
      if (!check()) listeners.add(listener);
    });
  }

  const socket: TestSocket = {
    ws,
    messages,
    send(message) {
      ws.send(typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message));
    },
    hello(token, since, client) {
      socket.send({ type: 'hello', v: 2, token, ...(since ? { since } : {}), ...(client ? { client } : {}) });
    },
    next(timeoutMs) {
      return waitFor(() => true, timeoutMs, 'exact');
    },
    async nextOf(type, timeoutMs) {
      const message = await socket.next(timeoutMs);
      if (message.type !== type) throw new Error(`expected a ${type} message, got ${JSON.stringify(message).slice(0, 300)}`);
      return message as Extract<ServerMessage, { type: typeof type }>;
    },
    async take(count, timeoutMs) {
      const out: ServerMessage[] = [];
      for (let i = 0; i < count; i++) out.push(await socket.next(timeoutMs));
      return out;
    },
    waitFor: (predicate, timeoutMs) => waitFor(predicate, timeoutMs, 'past'),
    closed,
    async close(code = 1000) {
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close(code);
      const timer = setTimeout(() => ws.terminate(), 2000);
      const info = await closed;
      clearTimeout(timer);
      return info;
    },
    position() {
      for (let i = messages.length - 1; i >= 0; i--) {
        const m = messages[i]!;
        // A welcome is a position only when nothing follows it (recovery "current").
        if (m.type === 'snapshot' || m.type === 'patch' || (m.type === 'welcome' && m.recovery === 'current')) return { epoch: m.epoch, seq: m.seq };
      }
      return undefined;
    },
  };
  return socket;
}
