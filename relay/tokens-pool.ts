// The tokens worker: one thread of its own (started at the first large export) that maps grids to
// token files, one job at a time, the rest waiting in order. Its own thread, not the ingest workers':
// an export of a 5 MB grid takes a second or more, and changes must not wait behind a poll. A worker
// that runs out of its heap fails its job as too large and is replaced; one that dies otherwise fails
// its job (INTERNAL) and is replaced.

import type { Worker } from 'node:worker_threads';
import { SyncError } from '../shared/protocol/errors';
import type { Logger } from './logger';
import type { TokensJob, TokensOutcome } from './tokens-work';
import { startWorker } from './worker-source';

export interface TokensWorkerRequest {
  id: number;
  job: TokensJob;
}

export type TokensWorkerReply = { id: number; outcome: TokensOutcome } | { id: number; failed: string };

/** The worker ran out of its heap: the export is far larger than any the relay serves. */
export class TokensOutOfMemory extends Error {
  override readonly name = 'TokensOutOfMemory';
}

/**
 * The worker's heap limit: mapping a 5 MB grid and exporting 16 MB of files (TOKENS_MAX_BYTES) takes
 * well under this; a grid whose export would be many times that runs out of it and is refused.
 */
export const TOKENS_WORKER_HEAP_MB = 256;

interface Waiting {
  request: TokensWorkerRequest;
  resolve: (outcome: TokensOutcome) => void;
  reject: (err: Error) => void;
}

export class TokensPool {
  private worker: Worker | undefined;
  private running: Waiting | undefined;
  private readonly queue: Waiting[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly heapMb = TOKENS_WORKER_HEAP_MB,
  ) {}

  /** Jobs waiting or running. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  run(job: TokensJob): Promise<TokensOutcome> {
    if (this.closed) return Promise.reject(new SyncError('SHUTTING_DOWN'));
    // A view over part of a larger buffer would be cloned whole: copy the view's bytes alone.
    const snapshot = job.snapshot.byteOffset === 0 && job.snapshot.byteLength === job.snapshot.buffer.byteLength ? job.snapshot : new Uint8Array(job.snapshot);
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, job: { ...job, snapshot } }, resolve, reject });
      this.next();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.queue.splice(0)) waiting.reject(new SyncError('SHUTTING_DOWN'));
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private next(): void {
    if (this.running || this.closed) return;
    const waiting = this.queue.shift();
    if (!waiting) return;
    this.running = waiting;
    // The snapshot is copied (structured clone): the head cache keeps its own for the sockets.
    (this.worker ??= this.spawn()).postMessage(waiting.request);
  }

  private settle(settle: (waiting: Waiting) => void): void {
    const waiting = this.running;
    this.running = undefined;
    if (waiting) settle(waiting);
    this.next();
  }

  private spawn(): Worker {
    const worker = startWorker('tokens-worker', { resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
    worker.unref();
    worker.on('message', (reply: TokensWorkerReply) => {
      if (reply.id !== this.running?.request.id) return;
      this.settle((waiting) => {
        if ('outcome' in reply) return waiting.resolve(reply.outcome);
        this.logger.error({ err: reply.failed }, 'a token export failed');
        waiting.reject(new SyncError('INTERNAL', 'the token export failed; the relay log has the details'));
      });
    });
    let failed = false;
    const fail = (err: Error & { code?: string }): void => {
      if (failed) return;
      failed = true;
      if (this.worker === worker) this.worker = undefined;
      if (this.closed) return;
      const outOfMemory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      if (outOfMemory) this.logger.warn({ heapMb: this.heapMb }, 'the tokens worker ran out of memory on an export; it is refused as too large and the worker replaced');
      else this.logger.error({ err: err.message }, 'the tokens worker died; its export fails and the worker is replaced');
      this.settle((waiting) => waiting.reject(outOfMemory ? new TokensOutOfMemory(err.message) : new SyncError('INTERNAL', 'the worker exporting these tokens stopped; retry')));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    return worker;
  }
}
