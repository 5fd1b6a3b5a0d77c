// Synchronous HTTP for the UrlFetchApp fake: the request runs in a worker thread while the calling
// thread blocks in Atomics.wait, as a script blocks in UrlFetchApp.fetch. Safe because the relay
// under test runs in its own process; the answer comes back through receiveMessageOnPort.

import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';

export interface SyncRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  timeoutMs: number;
}

export type SyncResponse =
  | { status: number; headers: Record<string, string | string[] | undefined>; body: Uint8Array }
  /** A network failure: ECONNREFUSED, ENOTFOUND, TIMEOUT, ECONNRESET, … */
  | { error: string };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const https = require('node:https');
const control = new Int32Array(workerData.control);
parentPort.on('message', ({ url, method, headers, body, timeoutMs, port }) => {
  let done = false;
  const finish = (result) => {
    if (done) return;
    done = true;
    port.postMessage(result);
    port.close();
    Atomics.store(control, 0, 1);
    Atomics.notify(control, 0);
  };
  let req;
  try {
    const lib = url.startsWith('https:') ? https : http;
    req = lib.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => finish({ status: res.statusCode, headers: res.headers, body: new Uint8Array(Buffer.concat(chunks)) }));
      res.on('error', (e) => finish({ error: e.code || e.message }));
    });
  } catch (e) {
    finish({ error: e.code || e.message });
    return;
  }
  req.setTimeout(timeoutMs, () => {
    finish({ error: 'TIMEOUT' });
    req.destroy();
  });
  req.on('error', (e) => finish({ error: e.code || e.message }));
  req.end(body ? Buffer.from(body) : undefined);
});
`;

export class SyncHttp {
  private readonly control = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { control: this.control.buffer } });
    this.worker.unref();
  }

  /** Performs the request and blocks until its answer (or failure) is back. */
  request(req: SyncRequest): SyncResponse {
    const { port1, port2 } = new MessageChannel();
    Atomics.store(this.control, 0, 0);
    this.worker.postMessage({ ...req, port: port2 }, [port2]);
    const waited = Atomics.wait(this.control, 0, 0, req.timeoutMs + 10_000);
    const message = receiveMessageOnPort(port1);
    port1.close();
    if (waited === 'timed-out' || !message) return { error: 'TIMEOUT' };
    return message.message as SyncResponse;
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
