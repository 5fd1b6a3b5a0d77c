// The SQLite store's thread (see relay/worker-store.ts): runs the SqliteStore, answers each call in
// order, and passes the store's events on. Buffers it hands back (a snapshot, a change's message) move
// to the main thread without a copy.

import { parentPort } from 'node:worker_threads';
import { SyncError } from '../shared/protocol/errors';
import { SqliteStore } from './sqlite-store';
import type { StoreReply, StoreRequest } from './worker-store';

const port = parentPort;
if (!port) throw new Error('relay/sqlite-worker.ts runs as a worker thread');
let store: SqliteStore | undefined;

/** An ArrayBuffer that only this view uses, so it can move to the other thread. */
function ownBuffer(bytes: unknown): ArrayBuffer[] {
  if (!(bytes instanceof Uint8Array)) return [];
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.byteLength > 0 ? [bytes.buffer as ArrayBuffer] : [];
}

function post(reply: StoreReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(reply, transfer);
}

function errorReply(id: number, err: unknown): StoreReply {
  if (err instanceof SyncError) return { type: 'error', id, code: err.code, detail: err.detail, message: err.message };
  // SQLite's own code (SQLITE_FULL, SQLITE_IOERR…) crosses too: the relay answers a full disk 503, not 500.
  const sqlite = (err as { code?: unknown } | null)?.code;
  return { type: 'error', id, code: undefined, detail: undefined, message: err instanceof Error ? err.message : String(err), ...(typeof sqlite === 'string' ? { sqlite } : {}) };
}

// Calls run one after another, in the order sent (SQLite is synchronous here, so each is whole).
let queue: Promise<void> = Promise.resolve();

port.on('message', (request: StoreRequest) => {
  if (request.type === 'open') {
    try {
      store = new SqliteStore(request.options, (channelId, event) => {
        post({ type: 'event', channelId, event }, event.type === 'change' ? ownBuffer(event.message) : []);
      });
      post({ type: 'opened', channelsResetAtStart: store.channelsResetAtStart, migration: store.migration, path: store.path });
    } catch (err) {
      post(errorReply(0, err));
    }
    return;
  }
  queue = queue.then(async () => {
    try {
      if (!store) {
        if (request.method === 'close') return post({ type: 'result', id: request.id, value: undefined });
        throw new SyncError('STORE_UNAVAILABLE', 'the database was not opened');
      }
      const method = store[request.method] as (...args: unknown[]) => Promise<unknown>;
      const value = await method.apply(store, request.args);
      post({ type: 'result', id: request.id, value }, request.method === 'snapshot' && value ? ownBuffer((value as { message: unknown }).message) : []);
    } catch (err) {
      post(errorReply(request.id, err));
    }
  });
});

