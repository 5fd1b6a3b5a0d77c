// The SQLite WAL's checkpoints on a thread of their own: every CHECKPOINT_MS a second connection copies
// the committed WAL frames into the database file (PASSIVE: it never waits for, nor blocks, the store's
// writes). The store's own connection then never pays for a checkpoint, with its fsync, inside a commit,
// which took 20-100 ms after a 4 MB snapshot on the benchmark machine and held up every other channel's
// write queued behind it. PASSIVE checkpoints may never finish under writes that never pause, and the
// WAL then only grows (https://sqlite.org/c3ref/wal_checkpoint_v2.html); past RESTART_FRAMES it takes one
// RESTART checkpoint, which waits for the writer once, so the WAL starts over.

import Database from 'better-sqlite3';
import { parentPort } from 'node:worker_threads';

const port = parentPort;
if (!port) throw new Error('relay/sqlite-checkpointer.ts runs as a worker thread');

const CHECKPOINT_MS = 250;
/** WAL frames (pages, 4 KiB by default) past which a checkpoint waits for the writer: about 64 MB. */
const RESTART_FRAMES = 16_384;
let db: Database.Database | undefined;
let timer: NodeJS.Timeout | undefined;

port.on('message', (message: { type: 'open'; path: string } | { type: 'close' }) => {
  if (message.type === 'open') {
    db = new Database(message.path);
    timer = setInterval(() => {
      try {
        const [result] = db!.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
        if (result && result.log > RESTART_FRAMES) db!.pragma('wal_checkpoint(RESTART)');
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
