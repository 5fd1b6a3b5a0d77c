// An ingest worker thread: parses, validates, applies and hashes large changes (and checks large
// offers) off the thread that serves sockets. It holds one job's parsed change while the main thread
// reads the chunk texts it asks for, and hands its results back as transferred buffers (the main
// thread copies nothing).

import { parentPort } from 'node:worker_threads';
import { SyncError } from '../shared/protocol/errors';
import type { Change } from '../shared/protocol/messages';
import { computeChange, parseChangeBody, type IngestHead, type IngestOptions } from './ingest-work';
import type { WorkerReply, WorkerRequest } from './ingest-protocol';
import { checkOffer } from './offer-check';
import { utf8Bytes } from './wire-messages';

const port = parentPort;
if (!port) throw new Error('relay/ingest-worker.ts runs as a worker thread');

/** Jobs in progress: the parsed change and the head it is applied to. */
const jobs = new Map<number, { change: Change; head: IngestHead; options: IngestOptions }>();

port.on('message', (request: WorkerRequest) => {
  try {
    handle(request);
  } catch (err) {
    jobs.delete(request.job);
    const error = err instanceof SyncError ? { code: err.code, detail: err.detail } : { code: 'INTERNAL' as const, detail: undefined, internal: String((err as Error)?.stack ?? err) };
    reply({ type: 'failed', job: request.job, ...error });
  }
});

function handle(request: WorkerRequest): void {
  switch (request.type) {
    case 'start': {
      const change = parseChangeBody(Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('utf8'));
      jobs.set(request.job, { change, head: request.head, options: request.options });
      return compute(request.job);
    }
    case 'rehead': {
      const job = jobs.get(request.job)!;
      job.head = request.head;
      return compute(request.job);
    }
    case 'texts': {
      const job = jobs.get(request.job)!;
      request.refs.forEach((ref, i) => {
        const chunk = job.head.state.tabs.find((t) => t.tabId === ref.tabId)?.chunks[ref.index];
        if (chunk) chunk.text = request.texts[i]!;
      });
      return compute(request.job);
    }
    case 'offer':
      return reply({ type: 'offer-checked', job: request.job, check: checkOffer(request.id, request.text) });
    case 'end':
      jobs.delete(request.job);
      return;
  }
}

function compute(id: number): void {
  const job = jobs.get(id)!;
  const computed = computeChange(job.head, job.change, job.options);
  if (computed.outcome === 'missing') return reply({ type: 'missing', job: id, missing: computed.missing });
  if (computed.outcome === 'mismatch') return reply({ type: 'mismatch', job: id, changeId: computed.changeId, expected: computed.expected, actual: computed.actual });
  const { ready } = computed;
  // Every changed chunk's text in one buffer, so it crosses threads as one transfer.
  const lengths = ready.chunks.map((c) => Buffer.byteLength(c.text, 'utf8'));
  const chunkBuffer = new Uint8Array(lengths.reduce((a, b) => a + b, 0));
  const writer = Buffer.from(chunkBuffer.buffer);
  let offset = 0;
  const chunks = ready.chunks.map((c, i) => {
    const placed = { tabId: c.tabId, index: c.index, offset, length: lengths[i]! };
    writer.write(c.text, offset, 'utf8');
    offset += placed.length;
    return placed;
  });
  const message = utf8Bytes(ready.message);
  const snapshot = ready.snapshot === undefined ? undefined : utf8Bytes(ready.snapshot);
  reply(
    {
      type: 'ready',
      job: id,
      change: ready.change,
      at: ready.at,
      hash: ready.state.hash,
      bytes: ready.state.bytes,
      tabs: ready.tabs,
      removedTabs: ready.removedTabs,
      dropChunks: ready.dropChunks,
      chunks,
      chunkBytes: chunkBuffer,
      message,
      snapshot,
    },
    [chunkBuffer.buffer, message.buffer as ArrayBuffer, ...(snapshot ? [snapshot.buffer as ArrayBuffer] : [])],
  );
}

function reply(message: WorkerReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}
