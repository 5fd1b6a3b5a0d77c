// The default store: one SQLite file (WAL) owned by one relay process. Each append is one
// transaction, committed (and with SQLITE_SYNC=full, fsynced) before the relay answers 200.

import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { ChunkRef } from '../shared/protocol/grid-digest';
import type { ChangeAccepted, ClientStatus, Position } from '../shared/protocol/messages';
import { preciseNow } from './clock';
import { newEpoch } from './epoch';
import { MemoryReplayGuard } from './replay-guard';
import { migrate } from './sqlite-migration';
import {
  activityInterval,
  REVOCATION_MAX_AGE_MS,
  REVOCATIONS_KEPT,
  decodeChunkMetas,
  encodeChunkMetas,
  patchesOrSnapshot,
  type AppendOutcome,
  type AppendRequest,
  type CatchUp,
  type ChannelHead,
  type ChannelListener,
  type ChannelQuota,
  type ChannelRecord,
  type HistoryEntry,
  type StoredSnapshot,
  type Store,
  type TabRecord,
} from './store';
import { asBuffer, messageKind, snapshotMessageBytes } from './wire-messages';

export interface SqliteStoreOptions {
  dataDir: string;
  sync: 'full' | 'normal';
  historyLimit: number;
  historyMaxBytes: number;
  /** Another connection checkpoints the WAL (then this one never does it in a commit). */
  externalCheckpoints?: boolean;
  /** Channels in total and how long an idle one is kept (default: no cap, kept for ever). */
  quota?: ChannelQuota;
  /** Below this much free space on DATA_DIR the store says it cannot write (probeWrite); default 0. */
  minFreeBytes?: number;
}

const UNBOUNDED: ChannelQuota = { maxChannels: Number.MAX_SAFE_INTEGER, idleMs: Number.MAX_SAFE_INTEGER };
/** Channels forgotten per sweep transaction, so a sweep never holds the database for long. */
const SWEEP_BATCH = 200;

/** Indexes for expiry (channels by last activity) and for bounding revocations (by age); added to older files too. */
const QUOTA_SCHEMA = `
CREATE INDEX IF NOT EXISTS channels_by_activity ON channels (updated_at);
CREATE INDEX IF NOT EXISTS revoked_by_age ON revoked_tokens (channel_id, revoked_at);
`;

interface ChannelRow {
  channel_id: string;
  secret: string;
  epoch: string;
  seq: number;
  hash: string;
  title: string | null;
  at: number | null;
  bytes: number;
  history_bytes: number;
}

interface TabRow {
  tab_id: number;
  name: string;
  row_count: number;
  digest: string;
  bytes: number;
  chunks: string;
}

/** Identifies the running kernel boot; a different value means the machine restarted. */
const BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id';

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly path: string;
  private readonly db: Database.Database;
  private readonly followed = new Set<string>();
  private readonly replay = new MemoryReplayGuard();
  private readonly clients = new Map<string, Map<string, ClientStatus>>();
  /** When each channel's activity was last written (a hello), to write it at most once per interval. */
  private readonly touched = new Map<string, number>();
  private readonly quota: ChannelQuota;
  private readonly sql;
  private readonly appendTx: (request: AppendRequest) => AppendOutcome;

  constructor(
    private readonly options: SqliteStoreOptions,
    private readonly listener: ChannelListener,
  ) {
    mkdirSync(options.dataDir, { recursive: true });
    this.path = join(options.dataDir, 'relay.db');
    this.db = new Database(this.path);
    this.db.pragma('journal_mode = WAL');
    // FULL fsyncs the WAL on every commit (survives power loss); NORMAL leaves the fsync to the
    // checkpoint, which still survives kill -9 because the commit has reached the OS.
    this.db.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
    // Checkpoints (copying the WAL into the file, with its fsync) can be left to another thread's
    // connection (relay/sqlite-checkpointer.ts): a commit then only appends to the WAL.
    if (options.externalCheckpoints) this.db.pragma('wal_autocheckpoint = 0');
    // Once a checkpoint has emptied the WAL, its file is cut back to this size (a burst does not leave it huge).
    this.db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    this.migration = migrate(this.db);
    this.db.exec(QUOTA_SCHEMA);
    this.quota = options.quota ?? UNBOUNDED;
    const db = this.db;
    this.sql = {
      channel: db.prepare<[string], ChannelRow>('SELECT channel_id, secret, epoch, seq, hash, title, at, bytes, history_bytes FROM channels WHERE channel_id = ?'),
      tabs: db.prepare<[string], TabRow>('SELECT tab_id, name, row_count, digest, bytes, chunks FROM grid_tabs WHERE channel_id = ? ORDER BY tab_id'),
      chunk: db.prepare<[string, number, number], { text: Buffer }>('SELECT text FROM grid_chunks WHERE channel_id = ? AND tab_id = ? AND idx = ?'),
      allChunks: db.prepare<[string], { tab_id: number; text: Buffer }>('SELECT tab_id, text FROM grid_chunks WHERE channel_id = ? ORDER BY tab_id, idx'),
      putTab: db.prepare<[string, number, string, number, string, number, string]>(
        'INSERT OR REPLACE INTO grid_tabs (channel_id, tab_id, name, row_count, digest, bytes, chunks) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      dropTab: db.prepare<[string, number]>('DELETE FROM grid_tabs WHERE channel_id = ? AND tab_id = ?'),
      putChunk: db.prepare<[string, number, number, Buffer]>('INSERT OR REPLACE INTO grid_chunks (channel_id, tab_id, idx, text) VALUES (?, ?, ?, ?)'),
      dropChunks: db.prepare<[string, number, number, number]>('DELETE FROM grid_chunks WHERE channel_id = ? AND tab_id = ? AND idx >= ? AND idx < ?'),
      clearGrid: db.prepare<[string]>('DELETE FROM grid_tabs WHERE channel_id = ?'),
      clearChunks: db.prepare<[string]>('DELETE FROM grid_chunks WHERE channel_id = ?'),
      clearHistory: db.prepare<[string]>('DELETE FROM changes WHERE channel_id = ?'),
      isRevoked: db.prepare<[string, string, number], { one: number }>('SELECT 1 AS one FROM revoked_tokens WHERE channel_id = ? AND fingerprint = ? AND revoked_at > ?'),
      countChannels: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM channels'),
      touch: db.prepare<[number, string]>('UPDATE channels SET updated_at = ? WHERE channel_id = ?'),
      idle: db.prepare<[number, number], { channel_id: string }>('SELECT channel_id FROM channels WHERE updated_at < ? LIMIT ?'),
      forgetRevoked: db.prepare<[string]>('DELETE FROM revoked_tokens WHERE channel_id = ?'),
      forgetChannel: db.prepare<[string, number]>('DELETE FROM channels WHERE channel_id = ? AND updated_at < ?'),
      probe: db.prepare<[string]>(`INSERT INTO meta (key, value) VALUES ('ready_probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
      insertChannel: db.prepare<[string, string, string, string, number, number]>(
        'INSERT OR IGNORE INTO channels (channel_id, secret, epoch, seq, hash, bytes, created_at, updated_at) VALUES (?, ?, ?, 0, ?, 0, ?, ?)',
      ),
      setSecret: db.prepare<[string, number, string, string]>('UPDATE channels SET secret = ?, updated_at = ? WHERE channel_id = ? AND secret = ?'),
      // Revocation times are kept distinct per channel (a later one at least 1 ms after the last), so "the newest N" is exact.
      revoke: db.prepare<[string, string, number, string]>(
        'INSERT OR REPLACE INTO revoked_tokens (channel_id, fingerprint, revoked_at) VALUES (?, ?, MAX(?, COALESCE((SELECT MAX(revoked_at) + 1 FROM revoked_tokens WHERE channel_id = ?), 0)))',
      ),
      trimRevoked: db.prepare<[string, number, string, number]>(
        'DELETE FROM revoked_tokens WHERE channel_id = ? AND (revoked_at <= ? OR fingerprint NOT IN (SELECT fingerprint FROM revoked_tokens WHERE channel_id = ? ORDER BY revoked_at DESC LIMIT ?))',
      ),
      answer: db.prepare<[string, string], { seq: number; hash: string }>('SELECT seq, hash FROM changes WHERE channel_id = ? AND change_id = ?'),
      insertChange: db.prepare<[string, number, string, string, string, number]>(
        'INSERT INTO changes (channel_id, seq, change_id, hash, message, bytes) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      advance: db.prepare<[number, string, string | null, number, number, number, number, string]>(
        'UPDATE channels SET seq = ?, hash = ?, title = COALESCE(?, title), at = ?, bytes = ?, history_bytes = history_bytes + ?, updated_at = ? WHERE channel_id = ?',
      ),
      bytesUpTo: db.prepare<[string, number], { total: number }>('SELECT COALESCE(SUM(bytes), 0) AS total FROM changes WHERE channel_id = ? AND seq <= ?'),
      sizes: db.prepare<[string], { seq: number; bytes: number }>('SELECT seq, bytes FROM changes WHERE channel_id = ? ORDER BY seq'),
      deleteUpTo: db.prepare<[string, number]>('DELETE FROM changes WHERE channel_id = ? AND seq <= ?'),
      shrinkHistory: db.prepare<[number, string]>('UPDATE channels SET history_bytes = history_bytes - ? WHERE channel_id = ?'),
      oldest: db.prepare<[string], { oldest: number | null }>('SELECT MIN(seq) AS oldest FROM changes WHERE channel_id = ?'),
      after: db.prepare<[string, number, number], { seq: number; message: string }>(
        'SELECT seq, message FROM changes WHERE channel_id = ? AND seq > ? AND seq <= ? ORDER BY seq',
      ),
    };
    this.appendTx = this.db.transaction((request: AppendRequest) => this.appendInTransaction(request));
    this.createTx = this.db.transaction((channelId: string, secret: string, epoch: string, emptyHash: string): boolean | 'full' => {
      const now = Date.now();
      if (this.sql.channel.get(channelId)) return false;
      if (this.sql.countChannels.get()!.n >= this.quota.maxChannels) return 'full';
      const created = this.sql.insertChannel.run(channelId, secret, epoch, emptyHash, now, now).changes === 1;
      // A channel created again (after it was forgotten) starts from nothing an earlier one left.
      if (created) this.forgetGrid(channelId);
      return created;
    });
    this.channelsResetAtStart = this.guardAgainstLostCommits();
  }

  /** What opening did to the file's schema (channels of an older relay's file are re-hashed, with new epochs). */
  readonly migration: { from: number; channelsMigrated: number };
  private readonly createTx: (channelId: string, secret: string, epoch: string, emptyHash: string) => boolean | 'full';

  /** Channels whose history was reset at start-up (see guardAgainstLostCommits); 0 almost always. */
  readonly channelsResetAtStart: number;

  /**
   * With SQLITE_SYNC=normal, a commit survives the relay dying (kill -9 included) but the last
   * commits can be rolled back by a power loss or kernel crash. Seqs would then be assigned again,
   * and a client that saw the lost ones would wrongly believe it is current. So when the previous
   * process did not close the file and the machine has rebooted since, every channel gets a new
   * epoch and its history is cleared: each client takes one snapshot, never a wrong patch.
   */
  private guardAgainstLostCommits(): number {
    const get = this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    const set = this.db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const bootId = readBootId();
    const previousBoot = get.get('boot_id')?.value;
    const wasRunning = get.get('running')?.value === '1';
    let reset = 0;
    this.db.transaction(() => {
      if (this.options.sync === 'normal' && wasRunning && (bootId === undefined || bootId !== previousBoot)) {
        const channels = this.db.prepare<[], { channel_id: string }>('SELECT channel_id FROM channels').all();
        const renew = this.db.prepare<[string, number, string]>('UPDATE channels SET epoch = ?, history_bytes = 0, updated_at = ? WHERE channel_id = ?');
        this.db.prepare('DELETE FROM changes').run();
        for (const { channel_id } of channels) renew.run(newEpoch(), Date.now(), channel_id);
        reset = channels.length;
      }
      set.run('boot_id', bootId ?? '');
      set.run('running', '1');
    })();
    return reset;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async getChannel(channelId: string): Promise<ChannelRecord | undefined> {
    const row = this.sql.channel.get(channelId);
    return row ? this.record(row) : undefined;
  }

  async createChannel(channelId: string, secret: string, epoch: string, emptyHash: string): Promise<{ created: boolean; channel: ChannelRecord } | 'full'> {
    const created = this.createTx(channelId, secret, epoch, emptyHash);
    if (created === 'full') return 'full';
    const row = this.sql.channel.get(channelId);
    if (!row) throw new Error(`channel ${channelId} vanished right after it was created`);
    return { created, channel: this.record(row) };
  }

  /** The grid and history a channel id holds (cleared when the id is created again, or forgotten). */
  private forgetGrid(channelId: string): void {
    for (const clear of [this.sql.clearGrid, this.sql.clearChunks, this.sql.clearHistory]) clear.run(channelId);
  }

  async isRevoked(channelId: string, fingerprint: string): Promise<boolean> {
    return this.sql.isRevoked.get(channelId, fingerprint, Date.now() - REVOCATION_MAX_AGE_MS) !== undefined;
  }

  async touchChannel(channelId: string): Promise<void> {
    const now = Date.now();
    const last = this.touched.get(channelId);
    if (last !== undefined && now - last < activityInterval(this.quota.idleMs)) return;
    // A bounded memory of recent touches: forgetting it only costs one more write per channel.
    if (this.touched.size >= 10_000) this.touched.clear();
    this.touched.set(channelId, now);
    this.sql.touch.run(now, channelId);
  }

  async sweepExpired(): Promise<number> {
    const cutoff = Date.now() - this.quota.idleMs;
    let forgotten = 0;
    const batch = this.db.transaction((ids: string[]) => {
      for (const id of ids) {
        // The channel may have become active since it was listed: delete it only while still idle.
        if (this.sql.forgetChannel.run(id, cutoff).changes !== 1) continue;
        this.forgetGrid(id);
        this.sql.forgetRevoked.run(id);
        this.touched.delete(id);
        forgotten++;
      }
    });
    for (;;) {
      const ids = this.sql.idle.all(cutoff, SWEEP_BATCH).map((r) => r.channel_id);
      if (ids.length === 0) break;
      batch(ids);
      if (ids.length < SWEEP_BATCH) break;
      // Let requests in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return forgotten;
  }

  async countChannels(): Promise<number> {
    return this.sql.countChannels.get()!.n;
  }

  async probeWrite(): Promise<void> {
    const minFree = this.options.minFreeBytes ?? 0;
    if (minFree > 0) {
      const fs = statfsSync(this.options.dataDir);
      const free = fs.bavail * fs.bsize;
      if (free < minFree) throw new Error(`only ${free} bytes are free on DATA_DIR (the store needs ${minFree})`);
    }
    this.sql.probe.run(String(Date.now()));
  }

  async rotateSecret(channelId: string, currentSecret: string, newSecret: string, revokedFingerprint: string): Promise<ChannelRecord | 'conflict' | undefined> {
    const rotate = this.db.transaction((): ChannelRecord | 'conflict' | undefined => {
      if (!this.sql.channel.get(channelId)) return undefined;
      const now = Date.now();
      if (this.sql.setSecret.run(newSecret, now, channelId, currentSecret).changes !== 1) return 'conflict';
      this.sql.revoke.run(channelId, revokedFingerprint, now, channelId);
      this.sql.trimRevoked.run(channelId, now - REVOCATION_MAX_AGE_MS, channelId, REVOCATIONS_KEPT);
      return this.record(this.sql.channel.get(channelId)!);
    });
    const result = rotate();
    if (typeof result === 'object') this.emit(channelId, { type: 'revoked', fingerprint: revokedFingerprint });
    return result;
  }

  async findAnswer(channelId: string, changeId: string): Promise<ChangeAccepted | undefined> {
    const row = this.sql.channel.get(channelId);
    const answer = row ? this.sql.answer.get(channelId, changeId) : undefined;
    return row && answer ? { epoch: row.epoch, seq: answer.seq, hash: answer.hash } : undefined;
  }

  async head(channelId: string): Promise<ChannelHead | undefined> {
    const row = this.sql.channel.get(channelId);
    if (!row) return undefined;
    return { epoch: row.epoch, seq: row.seq, hash: row.hash, title: row.title ?? undefined, at: row.at ?? undefined, bytes: row.bytes, tabs: this.sql.tabs.all(channelId).map(toTabRecord) };
  }

  async readChunks(channelId: string, at: Position, refs: readonly ChunkRef[]): Promise<string[] | undefined> {
    const row = this.sql.channel.get(channelId);
    if (!row || row.epoch !== at.epoch || row.seq !== at.seq) return undefined;
    const texts: string[] = [];
    for (const ref of refs) {
      const chunk = this.sql.chunk.get(channelId, ref.tabId, ref.index);
      if (!chunk) return undefined;
      texts.push(chunk.text.toString('utf8'));
    }
    return texts;
  }

  async snapshot(channelId: string): Promise<StoredSnapshot | undefined> {
    const row = this.sql.channel.get(channelId);
    if (!row) return undefined;
    const tabs = this.sql.tabs.all(channelId).map((t) => ({ tabId: t.tab_id, name: t.name, chunks: [] as Buffer[] }));
    const byId = new Map(tabs.map((t) => [t.tabId, t]));
    for (const chunk of this.sql.allChunks.all(channelId)) byId.get(chunk.tab_id)?.chunks.push(chunk.text);
    const title = row.title ?? undefined;
    const message = snapshotMessageBytes({ epoch: row.epoch, seq: row.seq, hash: row.hash, title, at: row.at ?? undefined }, tabs);
    return { epoch: row.epoch, seq: row.seq, title, message };
  }

  async append(request: AppendRequest): Promise<AppendOutcome> {
    const outcome = this.appendTx(request);
    if (outcome.result === 'appended') {
      const { epoch, seq } = outcome.accepted;
      this.emit(request.channelId, { type: 'change', epoch, seq, kind: request.kind, message: request.message, committedAt: preciseNow() });
    }
    return outcome;
  }

  async catchUp(channelId: string, since: Position | undefined): Promise<CatchUp | undefined> {
    const row = this.sql.channel.get(channelId);
    if (!row) return undefined;
    const base = { epoch: row.epoch, seq: row.seq, title: row.title ?? undefined };
    if (since && since.epoch === row.epoch && since.seq === row.seq) return { recovery: 'current', ...base };
    if (since && since.epoch === row.epoch && since.seq < row.seq) {
      const oldest = this.sql.oldest.get(channelId)?.oldest ?? null;
      // Patches only while history still starts right after `since`.
      if (oldest !== null && oldest <= since.seq + 1) {
        const entries = this.sql.after.all(channelId, since.seq, row.seq).map(toEntry);
        if (patchesOrSnapshot(entries) === 'patches') return { recovery: 'patches', ...base, entries };
      }
    }
    return { recovery: 'snapshot', ...base };
  }

  async readRange(channelId: string, epoch: string, afterSeq: number, uptoSeq: number): Promise<HistoryEntry[] | undefined> {
    if (this.sql.channel.get(channelId)?.epoch !== epoch) return undefined;
    const entries = this.sql.after.all(channelId, afterSeq, uptoSeq).map(toEntry);
    return entries.length === uptoSeq - afterSeq ? entries : undefined;
  }

  async follow(channelId: string): Promise<void> {
    this.followed.add(channelId);
  }

  async unfollow(channelId: string): Promise<void> {
    this.followed.delete(channelId);
  }

  async claimSignature(signature: string, ttlMs: number): Promise<boolean> {
    return this.replay.claim(signature, ttlMs, Date.now());
  }

  async putClient(channelId: string, status: ClientStatus): Promise<void> {
    let clients = this.clients.get(channelId);
    if (!clients) this.clients.set(channelId, (clients = new Map()));
    clients.set(status.id, status);
  }

  async removeClient(channelId: string, clientId: string): Promise<void> {
    const clients = this.clients.get(channelId);
    clients?.delete(clientId);
    if (clients && clients.size === 0) this.clients.delete(channelId);
  }

  async touchClients(): Promise<void> {
    // One process holds every socket, so a listed client is connected until removeClient.
  }

  async listClients(channelId: string, limit: number): Promise<{ clients: ClientStatus[]; total: number }> {
    const all = [...(this.clients.get(channelId)?.values() ?? [])];
    all.sort((a, b) => a.connectedAt - b.connectedAt || a.id.localeCompare(b.id));
    return { clients: all.slice(0, limit), total: all.length };
  }


  async close(): Promise<void> {
    if (!this.db.open) return;
    this.db.prepare(`UPDATE meta SET value = '0' WHERE key = 'running'`).run();
    // Closing checkpoints the WAL into the database file with fsyncs, so a clean stop loses nothing.
    this.db.close();
  }

  private appendInTransaction(request: AppendRequest): AppendOutcome {
    const { channelId } = request;
    const row = this.sql.channel.get(channelId);
    if (!row) return { result: 'unknown-channel' };
    const prior = this.sql.answer.get(channelId, request.changeId);
    if (prior) return { result: 'duplicate', accepted: { epoch: row.epoch, seq: prior.seq, hash: prior.hash } };
    if (row.epoch !== request.baseEpoch || row.seq !== request.baseSeq) return { result: 'conflict' };
    const seq = row.seq + 1;
    const message = asBuffer(request.message);
    this.sql.insertChange.run(channelId, seq, request.changeId, request.hash, message.toString('utf8'), message.byteLength);
    this.sql.advance.run(seq, request.hash, request.title ?? null, request.at, request.bytes, message.byteLength, Date.now(), channelId);
    for (const tabId of request.removedTabs) this.sql.dropTab.run(channelId, tabId);
    for (const drop of request.dropChunks) this.sql.dropChunks.run(channelId, drop.tabId, drop.from, drop.to);
    for (const tab of request.tabs) this.sql.putTab.run(channelId, tab.tabId, tab.name, tab.rowCount, tab.digest, tab.bytes, encodeChunkMetas(tab.chunks));
    for (const chunk of request.chunks) this.sql.putChunk.run(channelId, chunk.tabId, chunk.index, asBuffer(chunk.text));
    this.trim(channelId, seq, row.history_bytes + message.byteLength);
    return { result: 'appended', accepted: { epoch: row.epoch, seq, hash: request.hash } };
  }

  /** Keeps at most historyLimit changes and historyMaxBytes bytes, always keeping the newest change. */
  private trim(channelId: string, seq: number, historyBytes: number): void {
    let bytes = historyBytes;
    let cutoff = seq - this.options.historyLimit;
    if (cutoff >= 1) bytes -= this.sql.bytesUpTo.get(channelId, cutoff)!.total;
    if (bytes > this.options.historyMaxBytes) {
      for (const size of this.sql.sizes.all(channelId)) {
        if (bytes <= this.options.historyMaxBytes || size.seq >= seq) break;
        if (size.seq > cutoff) {
          bytes -= size.bytes;
          cutoff = size.seq;
        }
      }
    }
    if (cutoff < 1) return;
    this.sql.deleteUpTo.run(channelId, cutoff);
    this.sql.shrinkHistory.run(historyBytes - bytes, channelId);
  }

  private record(row: ChannelRow): ChannelRecord {
    return {
      channelId: row.channel_id,
      secret: row.secret,
      epoch: row.epoch,
      seq: row.seq,
      hash: row.hash,
      title: row.title ?? undefined,
    };
  }

  /** Tells the relay after the current turn, so the HTTP answer is written before the fan-out starts. */
  private emit(channelId: string, event: Parameters<ChannelListener>[1]): void {
    if (!this.followed.has(channelId)) return;
    setImmediate(() => {
      if (this.followed.has(channelId)) this.listener(channelId, event);
    });
  }
}

function toEntry(row: { seq: number; message: string }): HistoryEntry {
  return { seq: row.seq, kind: messageKind(row.message), message: row.message };
}

function toTabRecord(row: TabRow): TabRecord {
  return { tabId: row.tab_id, name: row.name, rowCount: row.row_count, digest: row.digest, bytes: row.bytes, chunks: decodeChunkMetas(row.chunks) };
}

function readBootId(): string | undefined {
  try {
    return readFileSync(BOOT_ID_PATH, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
