// A loopback server that runs in a worker thread, for test stand-ins (the add-on's relay gate, the
// fault proxy) that must keep answering while the add-on's UrlFetchApp blocks the test's own
// thread. The worker's source announces { type: 'listening', port } once, then answers each
// message with one that carries the same id.

import { Worker } from 'node:worker_threads';

export interface WorkerServer {
  port: number;
  /** Posts `message` with a fresh id and resolves with the worker's answer to that id. */
  ask<T>(message: Record<string, unknown>): Promise<T>;
  terminate(): Promise<void>;
}

/** Starts `source` (CommonJS evaluated in the worker) with `workerData`; resolves once it listens. */
export async function startWorkerServer(source: string, workerData: unknown): Promise<WorkerServer> {
  const worker = new Worker(source, { eval: true, workerData });
  let nextId = 1;
  const ask = <T>(message: Record<string, unknown>): Promise<T> =>
    new Promise((resolve) => {
      const id = nextId++;
      const onMessage = (answer: { id?: number } & T): void => {
        if (answer.id !== id) return;
        worker.off('message', onMessage);
        resolve(answer);
      };
      worker.on('message', onMessage);
      worker.postMessage({ ...message, id });
    });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { type: string; port: number }) => resolve(m.port));
  });
  return {
    port,
    ask,
    terminate: async () => {
      await worker.terminate();
    },
  };
}
