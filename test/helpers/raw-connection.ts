// A raw TCP connection to a relay for tests of what HTTP clients do not let you do: send half a
// request, hold a body back, open many connections, or see exactly when the relay closes one.
//
// API
//   openConnection(relayUrl, { timeoutMs = 10000 }?) → Promise<RawConnection>   resolves once connected
//   RawConnection
//     socket                the net.Socket
//     write(text | Buffer)  sends bytes as they are
//     received()            everything received so far, as text
//     closed                Promise<void>, resolves when the relay (or anyone) closed the connection
//     answer(timeoutMs = 10000) → Promise<RawAnswer>   the first HTTP answer once it is complete (by
//                           Content-Length) or the connection closed; rejects when neither happens in time
//     destroy()             closes it from this side
//   RawAnswer { status, headers (lower-case names), body (parsed JSON when it is JSON, else text) }
//   parseAnswer(text) → RawAnswer | undefined   the first complete HTTP answer in `text`

import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface RawConnection {
  socket: Socket;
  write(data: string | Buffer): void;
  received(): string;
  closed: Promise<void>;
  answer(timeoutMs?: number): Promise<RawAnswer>;
  destroy(): void;
}

export function parseAnswer(text: string): RawAnswer | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? '')?.[1] ?? NaN);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? NaN);
  const rest = Buffer.from(text.slice(end + 4), 'utf8');
  if (Number.isFinite(length) && rest.length < length) return undefined;
  const bodyText = Number.isFinite(length) ? rest.subarray(0, length).toString('utf8') : rest.toString('utf8');
  let body: unknown = bodyText;
  try {
    body = JSON.parse(bodyText);
  } catch {
    // keep the text
  }
  return { status, headers, body };
}

export function openConnection(relayUrl: string, options: { timeoutMs?: number } = {}): Promise<RawConnection> {
  const url = new URL(relayUrl);
  const socket = connect({ host: url.hostname, port: Number(url.port) });
  let text = '';
  const listeners = new Set<() => void>();
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
    for (const listener of [...listeners]) listener();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  void closed.then(() => {
    for (const listener of [...listeners]) listener();
  });
  let isClosed = false;
  void closed.then(() => (isClosed = true));

  const connection: RawConnection = {
    socket,
    write: (data) => {
      if (!socket.destroyed) socket.write(data);
    },
    received: () => text,
    closed,
    answer(timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const answer = parseAnswer(text);
          if (!answer && !isClosed) return;
          clearTimeout(timer);
          listeners.delete(check);
          if (answer) resolve(answer);
          else reject(new Error(`the connection closed without an HTTP answer; received: ${JSON.stringify(text.slice(0, 200))}`));
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no HTTP answer within ${timeoutMs} ms; received: ${JSON.stringify(text.slice(0, 200))}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    destroy: () => socket.destroy(),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`could not connect to ${relayUrl} within ${options.timeoutMs ?? 10_000} ms`));
    }, options.timeoutMs ?? 10_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(connection);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
