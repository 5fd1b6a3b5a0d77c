// A loopback TCP proxy for fault tests, standing where a load balancer or a flaky network would:
// each new connection goes to the next backend (round robin over the ones set), bytes pass as they
// are (HTTP, WebSocket upgrades and frames alike), and the test can cut every connection, or arm a
// cut that destroys a connection in the middle of what the relay sends (after N more bytes).
// It runs in a worker thread, because the add-on's UrlFetchApp blocks the test's own thread while
// a request passes through it.
//
// API
//   startProxy(backendPorts) → Promise<TcpProxy>
//   TcpProxy
//     url                  http://127.0.0.1:<port>
//     setBackends(ports)   where new connections go from now on ([] refuses them: reset at once)
//     cutAll()             destroys every open connection (both sides see a reset, not a close)
//     cutAfter(bytes)      arms one cut: the WebSocket connection through which the `bytes`-th next
//                          byte from a backend passes is destroyed right after it (mid-message);
//                          plain HTTP requests pass untouched. Resolves when armed
//     cuts()               how many connections an armed cut destroyed so far
//     setMode(mode)        { kind: 'status', status: 503 } answers new plain HTTP requests with that status
//                          and an HTML page (a balancer whose backend is unhealthy); sockets still pass.
//                          { kind: 'forward' } passes everything again
//     statusAnswers()      how many requests the status mode answered
//     connections()        [{ id, backend, open, socket, up, down }] so far (bytes client→backend,
//                          backend→client)
//     close()

import { startWorkerServer } from './worker-server';

export interface ProxyConnection {
  id: number;
  backend: number;
  open: boolean;
  /** The connection carries a WebSocket (its first bytes were an upgrade request). */
  socket: boolean;
  up: number;
  down: number;
}

/** forward: pass everything; status: answer new plain HTTP requests with this status (sockets pass). */
export type ProxyMode = { kind: 'forward' } | { kind: 'status'; status: number };

export interface TcpProxy {
  url: string;
  port: number;
  setBackends(ports: number[]): Promise<void>;
  cutAll(): Promise<number>;
  cutAfter(bytes: number): Promise<void>;
  cuts(): Promise<number>;
  setMode(mode: ProxyMode): Promise<void>;
  statusAnswers(): Promise<number>;
  connections(): Promise<ProxyConnection[]>;
  close(): Promise<void>;
}

const PROXY_SOURCE = String.raw`
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
let backends = workerData.backends;
let next = 0;
let nextId = 1;
const conns = new Map();
let armed = undefined; // bytes left before the cut
let cutCount = 0;
let mode = { kind: 'forward' };
let statusAnswers = 0;
const reset = (socket) => (socket.resetAndDestroy ? socket.resetAndDestroy() : socket.destroy());
function destroy(c) {
  c.open = false;
  reset(c.client);
  if (c.upstream) reset(c.upstream);
}
const server = net.createServer((client) => {
  client.on('error', () => {});
  if (backends.length === 0) { client.resetAndDestroy ? client.resetAndDestroy() : client.destroy(); return; }
  const backend = backends[next++ % backends.length];
  const c = { id: nextId++, backend, open: true, socket: false, up: 0, down: 0, client, upstream: undefined };
  conns.set(c.id, c);
  let head = '';
  let answering = false;
  client.on('close', () => { c.open = false; if (c.upstream) c.upstream.destroy(); });
  client.on('data', (chunk) => {
    if (c.up === 0) {
      // A WebSocket says so in its first bytes (the upgrade request); only sockets are cut mid-message.
      c.socket = /^GET [^\r\n]*\r\n[\s\S]*upgrade:\s*websocket/i.test(chunk.toString('latin1'));
      answering = mode.kind === 'status' && !c.socket;
      if (!answering) connectUpstream(c);
    }
    c.up += chunk.length;
    if (answering) {
      // Answer as a balancer with an unhealthy backend does, once the whole request is in.
      head += chunk.toString('latin1');
      const split = head.indexOf('\r\n\r\n');
      const length = Number((/content-length:\s*(\d+)/i.exec(head) || [])[1] || 0);
      if (split >= 0 && head.length - split - 4 >= length) {
        answering = false;
        const body = '<html><body><h1>' + mode.status + ' Service Unavailable</h1></body></html>';
        client.end('HTTP/1.1 ' + mode.status + ' Service Unavailable\r\nContent-Type: text/html\r\nContent-Length: ' + body.length + '\r\nConnection: close\r\n\r\n' + body);
        statusAnswers++;
      }
      return;
    }
    c.upstream.write(chunk);
  });
});
function connectUpstream(c) {
  const upstream = net.connect({ host: '127.0.0.1', port: c.backend });
  c.upstream = upstream;
  const client = c.client;
  upstream.on('error', () => { if (c.open) destroy(c); });
  upstream.on('close', () => { c.open = false; client.destroy(); });
  upstream.on('data', (chunk) => {
    if (!c.open) return;
    if (armed !== undefined && c.socket) {
      if (chunk.length >= armed) {
        // Deliver part of the chunk, then cut: the client sees a frame start that never ends.
        const part = chunk.subarray(0, armed);
        armed = undefined;
        cutCount++;
        c.down += part.length;
        client.write(part, () => destroy(c));
        return;
      }
      armed -= chunk.length;
    }
    c.down += chunk.length;
    client.write(chunk);
  });
}
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
const view = (c) => ({ id: c.id, backend: c.backend, open: c.open, socket: c.socket, up: c.up, down: c.down });
parentPort.on('message', (msg) => {
  const reply = (extra) => parentPort.postMessage({ id: msg.id, ...extra });
  if (msg.type === 'backends') { backends = msg.ports; next = 0; reply({}); }
  else if (msg.type === 'cut-all') { let n = 0; for (const c of conns.values()) if (c.open) { destroy(c); n++; } reply({ n }); }
  else if (msg.type === 'cut-after') { armed = msg.bytes; reply({}); }
  else if (msg.type === 'cuts') reply({ n: cutCount });
  else if (msg.type === 'mode') { mode = msg.mode; reply({}); }
  else if (msg.type === 'status-answers') reply({ n: statusAnswers });
  else if (msg.type === 'connections') reply({ list: [...conns.values()].map(view) });
  else if (msg.type === 'close') {
    for (const c of conns.values()) if (c.open) destroy(c);
    server.close(() => reply({}));
  }
});
`;

export async function startProxy(backendPorts: number[]): Promise<TcpProxy> {
  const { port, ask, terminate } = await startWorkerServer(PROXY_SOURCE, { backends: backendPorts });
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setBackends: async (ports) => {
      await ask({ type: 'backends', ports });
    },
    cutAll: async () => (await ask<{ n: number }>({ type: 'cut-all' })).n,
    cutAfter: async (bytes) => {
      await ask({ type: 'cut-after', bytes });
    },
    cuts: async () => (await ask<{ n: number }>({ type: 'cuts' })).n,
    setMode: async (mode) => {
      await ask({ type: 'mode', mode });
    },
    statusAnswers: async () => (await ask<{ n: number }>({ type: 'status-answers' })).n,
    connections: async () => (await ask<{ list: ProxyConnection[] }>({ type: 'connections' })).list,
    close: async () => {
      if (closed) return;
      closed = true;
      await ask({ type: 'close' });
      await terminate();
    },
  };
}
