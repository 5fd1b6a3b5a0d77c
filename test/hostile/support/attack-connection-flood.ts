// Connection flood: many TCP connections that hold the relay's resources without doing honest work.
// Row 4 of issue 11: idle, slow-header and slow-body connections were held 90 s, nothing capped them in
// total, per address or per second (2,000 live sockets from one address; at the fd limit new clients
// were refused).
//
// API
//   connectionFlood(relayUrl, { kind, count, addresses = ['127.0.0.2'], parallel = 50, trickleMs = 1000,
//                               path?, headers?, bodyBytes? }) → Promise<ConnectionFlood>   once every attempt is made
//   kind
//     'idle'         connects and sends nothing
//     'slow-header'  sends a request line and then one header byte every trickleMs
//     'slow-body'    sends POST `path` with `headers` announcing `bodyBytes`, then one body byte every trickleMs
//     'socket'       sends a WebSocket upgrade for `path` and then nothing (no hello)
//   ConnectionFlood
//     attempted, connected          connections tried, and those TCP accepted
//     answers()                     tally of the first HTTP answers received ("429 TOO_MANY_CONNECTIONS", "101", …);
//                                   without one: "held" (open, or closed by stop()) or "closed without answer"
//     openNow()                     connections still open
//     closedWithin(ms)              how many of the connected were closed by the relay within ms of opening
//     lifetimesMs()                 for each connection the relay closed: how long it lived
//     stop()                        closes what is still open and stops trickling

import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { parseAnswer } from '../../helpers/raw-connection';

export type ConnectionAttack = 'idle' | 'slow-header' | 'slow-body' | 'socket';

export interface ConnectionFloodOptions {
  kind: ConnectionAttack;
  count: number;
  addresses?: readonly string[];
  parallel?: number;
  trickleMs?: number;
  path?: string;
  headers?: Record<string, string>;
  bodyBytes?: number;
}

export interface ConnectionFlood {
  attempted: number;
  connected: number;
  answers(): Record<string, number>;
  openNow(): number;
  closedWithin(ms: number): number;
  lifetimesMs(): number[];
  stop(): Promise<void>;
}

interface Held {
  socket: Socket;
  openedAt: number;
  closedAt?: number;
  received: string;
  closedBySelf: boolean;
}

function opening(kind: ConnectionAttack, host: string, options: ConnectionFloodOptions): string {
  const path = options.path ?? '/healthz';
  const extra = Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  switch (kind) {
    case 'idle':
      return '';
    case 'slow-header':
      return `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nX-Slow: `;
    case 'slow-body':
      return `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${options.bodyBytes ?? 5_000_000}\r\n${extra}\r\n{`;
    case 'socket':
      return `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n${extra}\r\n`;
  }
}

export async function connectionFlood(relayUrl: string, options: ConnectionFloodOptions): Promise<ConnectionFlood> {
  const url = new URL(relayUrl);
  const addresses = options.addresses ?? ['127.0.0.2'];
  const held: Held[] = [];
  let attempted = 0;
  let stopped = false;
  const trickle = options.kind === 'slow-header' || options.kind === 'slow-body';
  const timer = trickle
    ? setInterval(() => {
        for (const h of held) if (h.closedAt === undefined && !h.socket.destroyed) h.socket.write(options.kind === 'slow-header' ? 'a' : ' ');
      }, options.trickleMs ?? 1000)
    : undefined;

  const open = (address: string): Promise<void> =>
    new Promise((resolve) => {
      attempted++;
      const socket = connect({ host: url.hostname, port: Number(url.port), localAddress: address });
      const entry: Held = { socket, openedAt: 0, received: '', closedBySelf: false };
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        if (entry.received.length < 4096) entry.received += chunk;
      });
      socket.on('error', () => undefined);
      socket.once('connect', () => {
        entry.openedAt = Date.now();
        held.push(entry);
        const first = opening(options.kind, url.host, options);
        if (first) socket.write(first);
        resolve();
      });
      socket.once('close', () => {
        entry.closedAt = Date.now();
        resolve();
      });
    });

  let next = 0;
  const parallel = options.parallel ?? 50;
  const worker = async (): Promise<void> => {
    while (!stopped && next < options.count) {
      const i = next++;
      await open(addresses[i % addresses.length]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, options.count) }, worker));

  return {
    attempted,
    connected: held.length,
    answers() {
      const out: Record<string, number> = {};
      for (const h of held) {
        const answer = parseAnswer(h.received);
        const status = /^HTTP\/1\.1 (\d{3})/.exec(h.received)?.[1];
        const code = (answer?.body as { error?: { code?: string } } | undefined)?.error?.code;
        const unanswered = h.closedAt === undefined || h.closedBySelf ? 'held' : 'closed without answer';
        const key = status ? (code ? `${status} ${code}` : status) : unanswered;
        out[key] = (out[key] ?? 0) + 1;
      }
      return out;
    },
    openNow: () => held.filter((h) => h.closedAt === undefined).length,
    closedWithin: (ms) => held.filter((h) => h.closedAt !== undefined && !h.closedBySelf && h.closedAt - h.openedAt <= ms).length,
    lifetimesMs: () => held.filter((h) => h.closedAt !== undefined && !h.closedBySelf).map((h) => h.closedAt! - h.openedAt),
    async stop() {
      stopped = true;
      clearInterval(timer);
      const closing = held.filter((h) => h.closedAt === undefined);
      for (const h of closing) {
        h.closedBySelf = true;
        h.socket.destroy();
      }
      await Promise.all(closing.map((h) => (h.closedAt !== undefined ? undefined : new Promise((resolve) => h.socket.once('close', resolve)))));
    },
  };
}
