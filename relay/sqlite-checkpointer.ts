// The SQLite WAL's checkpoints on a thread of their own: every CHECKPOINT_MS a second connection copies
// the committed WAL frames into the database file (PASSIVE: it never waits for, nor blocks, the store's
// writes). The store's own connection then never pays for a checkpoint, with its fsync, inside a commit,
// which took 20-100 ms after a 4 MB snapshot on the benchmark machine and held up every other channel's
// write queued behind it.

import Database from 'better-sqlite3';
import { parentPort } from 'node:worker_threads';

const port = parentPort;
if (!port) throw new Error('relay/sqlite-checkpointer.ts runs as a worker thread');

const CHECKPOINT_MS = 250;
let db: Database.Database | undefined;
let timer: NodeJS.Timeout | undefined;

port.on('message', (message: { type: 'open'; path: string } | { type: 'close' }) => {
  if (message.type === 'open') {
    db = new Database(message.path);
    timer = setInterval(() => {
      try {
        db!.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // Busy or closing: the next tick tries again.
      }
    }, CHECKPOINT_MS);
    return;
  }
  clearInterval(timer);
  db?.close();
  db = undefined;
  port.postMessage({ type: 'closed' });
});
