// The tokens worker thread: maps large grids to token files off the thread that serves sockets
// (relay/tokens-work.ts does the work), one job at a time, handing the bytes back as transfers.

import { parentPort } from 'node:worker_threads';
import type { TokensWorkerReply, TokensWorkerRequest } from './tokens-pool';
import { exportFromSnapshot } from './tokens-work';

const port = parentPort;
if (!port) throw new Error('relay/tokens-worker.ts runs as a worker thread');

port.on('message', (request: TokensWorkerRequest) => {
  let reply: TokensWorkerReply;
  try {
    reply = { id: request.id, outcome: exportFromSnapshot(request.job) };
  } catch (err) {
    reply = { id: request.id, failed: String((err as Error)?.stack ?? err) };
  }
  const transfer = 'outcome' in reply && reply.outcome.outcome === 'ready' ? [reply.outcome.bundle.buffer as ArrayBuffer, reply.outcome.bundleGzip.buffer as ArrayBuffer, reply.outcome.fileBytes.buffer as ArrayBuffer] : [];
  port.postMessage(reply, transfer);
});
