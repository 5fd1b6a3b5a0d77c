// The SQLite database's schema and its upgrades: a database written by an earlier relay is brought to
// the current schema on start, in one transaction, keeping channels, secrets and revocations.

import type Database from 'better-sqlite3';
import { gridStateOf } from '../shared/protocol/grid-digest';
import type { Rows } from '../shared/protocol/grid';
import { newEpoch } from './epoch';
import { nodeDigest } from './node-digest';
import { encodeChunkMetas } from './store';

/** The schema this relay writes (PRAGMA user_version). */
export const SCHEMA_VERSION = 2;

/** The grid per chunk: a row per tab (its digest and chunk metadata) and a row per chunk text. */
const GRID_TABLES = `
CREATE TABLE IF NOT EXISTS grid_tabs (
  channel_id TEXT NOT NULL,
  tab_id     INTEGER NOT NULL,
  name       TEXT NOT NULL,
  row_count  INTEGER NOT NULL,
  digest     TEXT NOT NULL,
  bytes      INTEGER NOT NULL,
  chunks     TEXT NOT NULL,
  PRIMARY KEY (channel_id, tab_id)
);
CREATE TABLE IF NOT EXISTS grid_chunks (
  channel_id TEXT NOT NULL,
  tab_id     INTEGER NOT NULL,
  idx        INTEGER NOT NULL,
  text       BLOB NOT NULL,
  PRIMARY KEY (channel_id, tab_id, idx)
);`;

const TABLES = `
CREATE TABLE IF NOT EXISTS channels (
  channel_id    TEXT PRIMARY KEY,
  secret        TEXT NOT NULL,
  epoch         TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  hash          TEXT NOT NULL,
  title         TEXT,
  at            INTEGER,
  bytes         INTEGER NOT NULL DEFAULT 0,
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
${GRID_TABLES}
`;

export interface MigrationReport {
  /** The version the file had (0: a new file). */
  from: number;
  /** Channels whose grid was re-chunked and re-hashed (each got a new epoch). */
  channelsMigrated: number;
}

/** Creates or upgrades the schema; throws when the file was written by a newer relay. */
export function migrate(db: Database.Database): MigrationReport {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > SCHEMA_VERSION) {
    throw new Error(`relay.db has schema version ${from}, newer than this relay's ${SCHEMA_VERSION}: run a newer relay, or restore a backup made by this version`);
  }
  let channelsMigrated = 0;
  db.transaction(() => {
    if (from === 1) channelsMigrated = fromVersion1(db);
    else db.exec(TABLES);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
  return { from, channelsMigrated };
}

/**
 * Version 1 (protocol v1) kept each channel's grid as one JSON column and hashed it whole. Each grid is
 * re-chunked and re-hashed with the v2 hash, and each channel gets a new epoch and an empty history
 * (its stored messages carry v1 hashes), so every plugin takes one snapshot. Secrets, titles, seqs
 * and revocations are kept.
 */
function fromVersion1(db: Database.Database): number {
  db.exec(GRID_TABLES);
  db.exec('ALTER TABLE channels ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0');
  const channels = db.prepare<[], { channel_id: string; tabs: string }>('SELECT channel_id, tabs FROM channels').all();
  const insertTab = db.prepare<[string, number, string, number, string, number, string]>(
    'INSERT INTO grid_tabs (channel_id, tab_id, name, row_count, digest, bytes, chunks) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertChunk = db.prepare<[string, number, number, Buffer]>('INSERT INTO grid_chunks (channel_id, tab_id, idx, text) VALUES (?, ?, ?, ?)');
  const update = db.prepare<[string, string, number, number, string]>('UPDATE channels SET epoch = ?, hash = ?, bytes = ?, history_bytes = 0, updated_at = ? WHERE channel_id = ?');
  for (const { channel_id, tabs } of channels) {
    const values = JSON.parse(tabs) as { tabId: number; name: string; values: Rows }[];
    const state = gridStateOf({ tabs: values.map((t) => ({ tabId: t.tabId, name: t.name, rows: t.values })) }, nodeDigest);
    for (const tab of state.tabs) {
      insertTab.run(channel_id, tab.tabId, tab.name, tab.rowCount, tab.digest, tab.bytes, encodeChunkMetas(tab.chunks));
      tab.chunks.forEach((chunk, index) => insertChunk.run(channel_id, tab.tabId, index, Buffer.from(chunk.text!)));
    }
    update.run(newEpoch(), state.hash, state.bytes, Date.now(), channel_id);
  }
  db.exec('DELETE FROM changes');
  db.exec('ALTER TABLE channels DROP COLUMN tabs');
  return channels.length;
}
