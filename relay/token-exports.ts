// A channel's tokens per position and query, made once and shared: an export is kept (TokenCache, in
// bytes held) for the polls that follow, and concurrent polls of one position and query wait for the
// same export, as relay/snapshots.ts does for snapshots. A small grid is mapped on this thread (it costs
// about what a one-cell patch does); a larger one by the tokens worker, behind a bound on the exports
// waiting for it. The grid comes from the channel's shared snapshot message.

import { Gauge, Histogram, Counter, type Registry } from 'prom-client';
import { SyncError } from '../shared/protocol/errors';
import type { Position } from '../shared/protocol/messages';
import type { RelayMetrics } from './metrics';
import type { Snapshots } from './snapshots';
import { TokenCache } from './token-cache';
import type { TokensQuery } from './tokens-request';
import { TokensOutOfMemory, type TokensPool } from './tokens-pool';
import { exportFromSnapshot, type TokensJob, type TokensOutcome } from './tokens-work';

/** How an answer was had: from the cache, by waiting for an export in progress, or by exporting. */
export type TokensHow = 'cached' | 'shared' | 'exported';

/** The tokens endpoint's metrics, in the relay's registry. */
export class TokensMetrics {
  readonly requests: Counter<'answer'>;
  readonly exportSeconds: Histogram<'where'>;
  readonly cacheBytes: Gauge;
  readonly queued: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'relay_tokens_requests_total',
      help: 'Token polls answered, by answer: not_modified (304 from the channel record), cached, shared (waited for an export in progress), exported.',
      labelNames: ['answer'],
      registers,
    });
    this.exportSeconds = new Histogram({
      name: 'relay_tokens_export_seconds',
      help: 'Token exports (grid mapped and written as files), by where: inline (the thread serving sockets) or worker (the tokens worker).',
      labelNames: ['where'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.cacheBytes = new Gauge({ name: 'relay_tokens_cache_bytes', help: 'Bytes of token exports kept, within TOKENS_CACHE_BYTES.', registers });
    this.queued = new Gauge({ name: 'relay_tokens_queued_exports', help: 'Token exports waiting for or running on the tokens worker, within TOKENS_QUEUE.', registers });
  }
}

export interface TokenExportSettings {
  /** Snapshot bytes up to which a grid is mapped inline. */
  inlineBytes: number;
  cacheBytes: number;
  /** Exports waiting for or running on the worker. */
  queue: number;
  /** Largest export served. */
  maxBytes: number;
}

/** Channels whose modes are remembered (a few strings each), at most. */
const MODES_KEPT = 10_000;
/** What an entry costs besides its buffers: its key, the outcome object, its file list. */
const ENTRY_OVERHEAD = 512;
const FILE_OVERHEAD = 160;

export class TokenExports {
  private readonly cache: TokenCache<TokensOutcome>;
  private readonly computing = new Map<string, Promise<TokensOutcome>>();
  /** Each channel's modes at the last position exported, so a poll for a mode no tab has maps nothing. */
  private readonly modes = new Map<string, { epoch: string; seq: number; hash: string; modes: string[] }>();

  constructor(
    private readonly snapshots: Snapshots,
    private readonly pool: TokensPool,
    private readonly settings: TokenExportSettings,
    readonly metrics: TokensMetrics,
    private readonly relayMetrics: RelayMetrics,
  ) {
    this.cache = new TokenCache(settings.cacheBytes);
  }

  /** Bytes held by kept exports. */
  get cacheBytes(): number {
    return this.cache.bytes;
  }

  /**
   * The export at the channel's position `at` (or later: the snapshot may have moved on since the
   * channel record was read). Throws UNKNOWN_CHANNEL when the channel is gone, RELAY_BUSY past the
   * worker's queue.
   */
  async get(channelId: string, at: Position, query: TokensQuery): Promise<{ outcome: TokensOutcome; how: TokensHow }> {
    const key = keyOf(channelId, at, query.exportKey);
    const cached = this.cache.get(key);
    if (cached) return { outcome: cached, how: 'cached' };
    const mode = query.options.mode;
    const known = this.modes.get(channelId);
    if (mode !== undefined && known && known.epoch === at.epoch && known.seq === at.seq && !known.modes.includes(mode)) {
      return { outcome: { outcome: 'unknown-mode', epoch: known.epoch, seq: known.seq, hash: known.hash, modes: known.modes }, how: 'cached' };
    }
    const pending = this.computing.get(key);
    if (pending) return { outcome: await pending, how: 'shared' };
    const computing = this.compute(channelId, at, query).finally(() => this.computing.delete(key));
    this.computing.set(key, computing);
    return { outcome: await computing, how: 'exported' };
  }

  private async compute(channelId: string, at: Position, query: TokensQuery): Promise<TokensOutcome> {
    const snapshot = await this.snapshots.current(channelId, at);
    if (!snapshot) throw new SyncError('UNKNOWN_CHANNEL');
    const job: TokensJob = { channelId, snapshot: snapshot.message, options: query.options, maxBytes: this.settings.maxBytes };
    let outcome: TokensOutcome;
    if (snapshot.message.byteLength <= this.settings.inlineBytes) {
      const done = this.metrics.exportSeconds.labels('inline').startTimer();
      try {
        outcome = exportFromSnapshot(job);
      } finally {
        done();
      }
    } else {
      outcome = await this.onWorker(job, snapshot);
    }
    if (outcome.modes.length > 0) this.remember(channelId, outcome);
    this.cache.put(keyOf(channelId, outcome, query.exportKey), outcome, bytesOf(outcome));
    this.metrics.cacheBytes.set(this.cache.bytes);
    return outcome;
  }

  private async onWorker(job: TokensJob, at: { epoch: string; seq: number }): Promise<TokensOutcome> {
    if (this.pool.pending >= this.settings.queue) {
      this.relayMetrics.limit('tokens_queue');
      throw new SyncError('RELAY_BUSY', `${this.pool.pending} token exports are waiting for the tokens worker (TOKENS_QUEUE)`);
    }
    const done = this.metrics.exportSeconds.labels('worker').startTimer();
    const running = this.pool.run(job);
    this.metrics.queued.set(this.pool.pending);
    try {
      return await running;
    } catch (err) {
      // No hash or modes are known: the worker died mapping them. Kept like any outcome, so the polls
      // that follow at this position are refused without another try.
      if (err instanceof TokensOutOfMemory) return { outcome: 'too-large', epoch: at.epoch, seq: at.seq, hash: '', modes: [], bytes: undefined };
      throw err;
    } finally {
      done();
      this.metrics.queued.set(this.pool.pending);
    }
  }

  private remember(channelId: string, outcome: TokensOutcome): void {
    this.modes.delete(channelId);
    if (this.modes.size >= MODES_KEPT) this.modes.delete(this.modes.keys().next().value!);
    this.modes.set(channelId, { epoch: outcome.epoch, seq: outcome.seq, hash: outcome.hash, modes: outcome.modes });
  }
}

function keyOf(channelId: string, at: { epoch: string; seq: number }, exportKey: string): string {
  return `${channelId}\u0000${at.epoch}\u0000${at.seq}\u0000${exportKey}`;
}

function bytesOf(outcome: TokensOutcome): number {
  let bytes = ENTRY_OVERHEAD;
  for (const mode of outcome.modes) bytes += 2 * mode.length + 32;
  if (outcome.outcome !== 'ready') return bytes;
  bytes += outcome.bundle.byteLength + outcome.bundleGzip.byteLength + outcome.fileBytes.byteLength;
  for (const file of outcome.files) bytes += FILE_OVERHEAD + 2 * (file.path.length + file.mediaType.length);
  return bytes;
}
