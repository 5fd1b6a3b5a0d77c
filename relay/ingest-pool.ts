// The ingest workers: a few threads that take large changes (and large offers' checks) off the thread
// serving sockets. Each works on one job at a time (its memory is then one change's or one offer's);
// jobs wait in order for a free worker (the admission limits in change-ingest.ts, and for offers
// OFFER_ASSEMBLY_MAX_BYTES, bound how many may wait). A worker that dies fails its job and is replaced.

import type { Worker } from 'node:worker_threads';
import { SyncError } from '../shared/protocol/errors';
import type { ChunkRef } from '../shared/protocol/grid-digest';
import type { IngestHead, IngestOptions } from './ingest-work';
import type { WorkerReply, WorkerRequest } from './ingest-protocol';
import type { Logger } from './logger';
import { startWorker } from './worker-source';

/** A job's conversation with its worker: one request at a time, each answered by one reply. */
export interface WorkerJob {
  /** Parse (the UTF-8 body moves to the worker when it owns its memory alone, else it is copied) and apply. */
  start(body: Uint8Array, head: IngestHead, options: IngestOptions): Promise<WorkerReply>;
  texts(refs: ChunkRef[], texts: string[]): Promise<WorkerReply>;
  rehead(head: IngestHead): Promise<WorkerReply>;
  /** Check a complete offer's text (offer-check.ts). */
  checkOffer(id: string, text: string): Promise<WorkerReply>;
}

interface Slot {
  worker: Worker;
  /** The reply the current job awaits. */
  waiting: { resolve: (reply: WorkerReply) => void; reject: (err: Error) => void } | undefined;
  busy: boolean;
}

/** A worker's heap limit: a 5 MB change takes well under 200 MB to parse and apply. */
const WORKER_HEAP_MB = 384;

export class IngestPool {
  private readonly slots: Slot[] = [];
  private readonly queue: ((slot: Slot) => void)[] = [];
  private nextJob = 1;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly logger: Logger,
  ) {}

  /** Jobs waiting for a worker. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Workers working on a job. */
  get busy(): number {
    return this.slots.filter((s) => s.busy).length;
  }

  /** Runs `work` with a worker of its own; the worker is freed (and the job forgotten) when it settles. */
  async run<T>(work: (job: WorkerJob) => Promise<T>): Promise<T> {
    const slot = await this.acquire();
    const id = this.nextJob++;
    const ask = (request: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> =>
      new Promise((resolve, reject) => {
        slot.waiting = { resolve, reject };
        slot.worker.postMessage(request, transfer);
      });
    try {
      return await work({
        start: (body, head, options) => {
          const alone = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
          const bytes = alone ? body : new Uint8Array(body);
          return ask({ type: 'start', job: id, body: bytes, head, options }, [bytes.buffer as ArrayBuffer]);
        },
        texts: (refs, texts) => ask({ type: 'texts', job: id, refs, texts }),
        rehead: (head) => ask({ type: 'rehead', job: id, head }),
        checkOffer: (offerId, text) => ask({ type: 'offer', job: id, id: offerId, text }),
      });
    } finally {
      slot.waiting = undefined;
      if (this.slots.includes(slot)) slot.worker.postMessage({ type: 'end', job: id } satisfies WorkerRequest);
      this.release(slot);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private acquire(): Promise<Slot> {
    if (this.closed) return Promise.reject(new SyncError('SHUTTING_DOWN'));
    const free = this.slots.find((s) => !s.busy) ?? (this.slots.length < this.size ? this.spawn() : undefined);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.queue.shift();
    if (next && this.slots.includes(slot)) next(slot);
    else if (next) {
      const fresh = this.spawn();
      fresh.busy = true;
      next(fresh);
    } else slot.busy = false;
  }

  private spawn(): Slot {
    const worker = startWorker('ingest-worker', { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.unref();
    const slot: Slot = { worker, waiting: undefined, busy: false };
    worker.on('message', (reply: WorkerReply) => {
      const waiting = slot.waiting;
      slot.waiting = undefined;
      waiting?.resolve(reply);
    });
    const fail = (err: Error): void => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      if (!this.closed) this.logger.error({ err: err.message }, 'an ingest worker died; its change fails and the worker is replaced');
      slot.waiting?.reject(new SyncError('INTERNAL', 'the worker applying this change stopped; retry it'));
      slot.waiting = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }
}
