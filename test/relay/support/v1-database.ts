// A relay.db as the previous relay (schema version 1, protocol v1) wrote it: the schema copied from that
// version of relay/sqlite-store.ts, and rows as it stored them (the grid as one JSON column, a v1 hash,
// history messages). Used to show that a new relay migrates such a file on start.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** relay/sqlite-store.ts SCHEMA at commit 5b576f1. */
const V1_SCHEMA = `
CREATE TABLE IF NOT EXISTS channels (
  channel_id    TEXT PRIMARY KEY,
  secret        TEXT NOT NULL,
  epoch         TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  hash          TEXT NOT NULL,
  title         TEXT,
  at            INTEGER,
  tabs          TEXT NOT NULL,
  history_bytes INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS revoked_tokens (
  channel_id  TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  revoked_at  INTEGER NOT NULL,
  PRIMARY KEY (channel_id, fingerprint)
);
CREATE TABLE IF NOT EXISTS changes (
  channel_id TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  change_id  TEXT NOT NULL,
  hash       TEXT NOT NULL,
  message    TEXT NOT NULL,
  bytes      INTEGER NOT NULL,
  PRIMARY KEY (channel_id, seq)
);
CREATE UNIQUE INDEX IF NOT EXISTS changes_by_change_id ON changes (channel_id, change_id);
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
PRAGMA user_version = 1;
`;

export interface V1Channel {
  channelId: string;
  secret: string;
  epoch: string;
  seq: number;
  title?: string;
  /** The grid as a v1 relay stored it: ValuesTab[] with padded, normalized rows. */
  tabs: { tabId: number; name: string; values: (string | number | boolean)[][] }[];
  revoked?: string[];
  /** Change ids still in history (each with a v1 patch message). */
  history?: string[];
}

/** Writes DATA_DIR/relay.db as a v1 relay left it after a clean stop. */
export function writeV1Database(dataDir: string, channels: V1Channel[]): void {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'relay.db'));
  db.pragma('journal_mode = WAL');
  db.exec(V1_SCHEMA);
  const now = Date.now();
  for (const c of channels) {
    // The v1 hash of this grid is irrelevant here: a v2 relay re-hashes.
    db.prepare('INSERT INTO channels (channel_id, secret, epoch, seq, hash, title, at, tabs, history_bytes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      c.channelId, c.secret, c.epoch, c.seq, '1'.repeat(64), c.title ?? null, now, JSON.stringify(c.tabs), 0, now, now,
    );
    for (const fingerprint of c.revoked ?? []) db.prepare('INSERT INTO revoked_tokens (channel_id, fingerprint, revoked_at) VALUES (?, ?, ?)').run(c.channelId, fingerprint, now);
    (c.history ?? []).forEach((changeId, i) => {
      const message = JSON.stringify({ type: 'patch', epoch: c.epoch, seq: c.seq - (c.history!.length - 1 - i), id: changeId, tabs: [], hash: '1'.repeat(64), at: now });
      db.prepare('INSERT INTO changes (channel_id, seq, change_id, hash, message, bytes) VALUES (?, ?, ?, ?, ?, ?)').run(c.channelId, c.seq - (c.history!.length - 1 - i), changeId, '1'.repeat(64), message, Buffer.byteLength(message));
    });
  }
  db.prepare("INSERT INTO meta (key, value) VALUES ('running', '0')").run();
  db.close();
}
