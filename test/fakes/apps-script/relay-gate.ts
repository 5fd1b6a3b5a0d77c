// An HTTP gate in front of the relay, so a test can take the relay "down" and bring it back on the
// same address: it forwards requests as they are (headers, gzip'd bodies), or resets connections
// (a network error), or answers with a status of its choosing, or never answers (a timeout).
// It runs in a worker thread: the test's own thread blocks inside UrlFetchApp.fetch while the
// gate must keep answering.

import { startWorkerServer } from '../../helpers/worker-server';

/** `swallow`: the relay gets the request and answers, but the add-on gets `status` instead (a proxy losing the answer). */
export type GateMode = { kind: 'open' } | { kind: 'refuse' } | { kind: 'hang' } | { kind: 'status'; status: number; body?: string } | { kind: 'swallow'; status: number };

export interface RelayGate {
  url: string;
  /** Changes what the gate does with the next requests. */
  set(mode: GateMode): Promise<void>;
  /** Forwards to another relay from now on (one that never heard of the channel, say). */
  retarget(url: string): Promise<void>;
  /** Requests that reached the gate so far, in order. */
  seen(): Promise<{ method: string; path: string }[]>;
  close(): Promise<void>;
}

const GATE_SOURCE = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
let upstream = new URL(workerData.target);
let mode = { kind: 'open' };
const seen = [];
const hanging = new Set();
const server = http.createServer((req, res) => {
  seen.push({ method: req.method, path: req.url });
  if (mode.kind === 'refuse') { req.socket.destroy(); return; }
  if (mode.kind === 'hang') { hanging.add(res); req.resume(); return; }
  if (mode.kind === 'status') {
    const m = mode;
    req.resume();
    req.on('end', () => res.writeHead(m.status, { 'content-type': 'text/html' }).end(m.body || '<html>' + m.status + '</html>'));
    return;
  }
  if (mode.kind === 'swallow') {
    const m = mode;
    const lost = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      answer.resume();
      answer.on('end', () => res.writeHead(m.status, { 'content-type': 'text/html' }).end('<html>' + m.status + '</html>'));
    });
    lost.on('error', () => res.destroy());
    req.pipe(lost);
    return;
  }
  const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode || 502, answer.headers);
    answer.pipe(res);
  });
  forward.on('error', () => res.destroy());
  req.pipe(forward);
});
server.keepAliveTimeout = 1;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
parentPort.on('message', (msg) => {
  if (msg.type === 'mode') {
    mode = msg.mode;
    if (mode.kind !== 'hang') { for (const res of hanging) res.destroy(); hanging.clear(); }
    parentPort.postMessage({ type: 'ok', id: msg.id });
  } else if (msg.type === 'target') {
    upstream = new URL(msg.url);
    parentPort.postMessage({ type: 'ok', id: msg.id });
  } else if (msg.type === 'seen') {
    parentPort.postMessage({ type: 'seen', id: msg.id, seen });
  } else if (msg.type === 'close') {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    server.close(() => parentPort.postMessage({ type: 'closed', id: msg.id }));
  }
});
`;

export async function startRelayGate(target: string): Promise<RelayGate> {
  const { port, ask, terminate } = await startWorkerServer(GATE_SOURCE, { target });
  return {
    url: `http://127.0.0.1:${port}`,
    set: async (mode) => {
      await ask({ type: 'mode', mode });
    },
    retarget: async (url) => {
      await ask({ type: 'target', url });
    },
    seen: async () => (await ask<{ seen: { method: string; path: string }[] }>({ type: 'seen' })).seen,
    close: async () => {
      await ask({ type: 'close' });
      await terminate();
    },
  };
}
