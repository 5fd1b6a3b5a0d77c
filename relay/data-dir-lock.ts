// One relay process per DATA_DIR: an exclusive lock held on DATA_DIR/relay.lock for the life of the
// process. It is a SQLite file opened in exclusive locking mode inside an open write transaction, so
// the lock is the operating system's (fcntl): a second relay on the same folder is refused at once,
// and a relay that dies (kill -9 included) leaves no stale lock behind. The store's own database may
// be opened by other threads of this process; this file is opened by nothing else.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'relay.lock');
  // timeout 0: a lock held by another process is an answer now, not something to wait for.
  const db = new Database(path, { timeout: 0 });
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER, since TEXT)');
    db.prepare('DELETE FROM holder').run();
    db.prepare<[number, string]>('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString());
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DataDirLockedError(`DATA_DIR=${dataDir} is in use by another relay process (${path} is locked): stop it, or give this relay its own DATA_DIR (several relays share channels through REDIS_URL).`);
    }
    throw err;
  }
  return {
    path,
    release() {
      if (db.open) db.close();
    },
  };
}
