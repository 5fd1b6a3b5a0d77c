// The SQLite store on a thread of its own: the thread serving sockets never reads or writes megabytes
// of SQLite (a snapshot's chunks, a head read after a restart) nor waits on an fsync. Each Store call
// is a message to relay/sqlite-worker.ts, which runs the SqliteStore; buffers cross without copies.

import { Worker } from 'node:worker_threads';
import { ERRORS, SyncError, type ErrorCode } from '../shared/protocol/errors';
import type { ChunkRef } from '../shared/protocol/grid-digest';
import type { ChangeAccepted, ClientStatus, Position } from '../shared/protocol/messages';
import type { Logger } from './logger';
import { MemoryReplayGuard } from './replay-guard';
import type { SqliteStoreOptions } from './sqlite-store';
import type { AppendOutcome, AppendRequest, CatchUp, ChannelEvent, ChannelHead, ChannelListener, ChannelRecord, HistoryEntry, Store, StoredSnapshot } from './store';
import { startWorker } from './worker-source';

/** Messages to the store's thread. */
export type StoreRequest = { type: 'open'; options: SqliteStoreOptions } | { type: 'call'; id: number; method: keyof Store; args: unknown[] };

/** Messages from the store's thread. */
export type StoreReply =
  | { type: 'opened'; channelsResetAtStart: number; migration: { from: number; channelsMigrated: number }; path: string }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; code: ErrorCode | undefined; detail: string | undefined; message: string; sqlite?: string }
  | { type: 'event'; channelId: string; event: ChannelEvent };

/** ArrayBuffers the caller gives up: they move to the store's thread instead of being copied. */
const movable = new WeakSet<ArrayBuffer>();

/** Marks buffers that an append may move to the store's thread (the caller no longer uses them). */
export function transferable(...buffers: ArrayBuffer[]): void {
  for (const b of buffers) movable.add(b);
}

export class WorkerStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;
  private closing = false;
  private opened: ((reply: Extract<StoreReply, { type: 'opened' }>) => void) | undefined;
  /** The thread that checkpoints the WAL (relay/sqlite-checkpointer.ts), once the database is open. */
  private checkpointer: Worker | undefined;
  /**
   * Seen signatures are memory only with SQLite (one process): kept on this thread, so the check every
   * signed request makes never waits behind a large write on the store's thread.
   */
  private readonly replay = new MemoryReplayGuard();

  constructor(
    private readonly options: SqliteStoreOptions,
    private readonly listener: ChannelListener,
    private readonly logger: Logger,
  ) {
    this.worker = startWorker('sqlite-worker');
    this.worker.on('message', (reply: StoreReply) => this.onReply(reply));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the SQLite store's thread exited with code ${code}`)));
  }

  /** Opens (and if needed migrates) the database on the store's thread. */
  async open(): Promise<{ channelsResetAtStart: number; migration: { from: number; channelsMigrated: number } }> {
    const opened = await new Promise<Extract<StoreReply, { type: 'opened' }>>((resolve, reject) => {
      this.opened = resolve;
      this.pending.set(0, { resolve: () => undefined, reject });
      this.worker.postMessage({ type: 'open', options: { ...this.options, externalCheckpoints: true } } satisfies StoreRequest);
    });
    this.checkpointer = startWorker('sqlite-checkpointer');
    this.checkpointer.on('error', (err) => this.logger.error({ err: err.message }, 'the SQLite checkpointer stopped; the WAL grows until the relay restarts'));
    this.checkpointer.postMessage({ type: 'open', path: opened.path });
    return { channelsResetAtStart: opened.channelsResetAtStart, migration: opened.migration };
  }

  ping(): Promise<void> {
    return this.call('ping', []);
  }
  getChannel(channelId: string): Promise<ChannelRecord | undefined> {
    return this.call('getChannel', [channelId]);
  }
  createChannel(channelId: string, secret: string, epoch: string, emptyHash: string): Promise<{ created: boolean; channel: ChannelRecord } | 'full'> {
    return this.call('createChannel', [channelId, secret, epoch, emptyHash]);
  }
  isRevoked(channelId: string, fingerprint: string): Promise<boolean> {
    return this.call('isRevoked', [channelId, fingerprint]);
  }
  touchChannel(channelId: string): Promise<void> {
    return this.call('touchChannel', [channelId]);
  }
  sweepExpired(): Promise<number> {
    return this.call('sweepExpired', []);
  }
  countChannels(): Promise<number> {
    return this.call('countChannels', []);
  }
  probeWrite(): Promise<void> {
    return this.call('probeWrite', []);
  }
  rotateSecret(channelId: string, currentSecret: string, newSecret: string, revokedFingerprint: string): Promise<ChannelRecord | 'conflict' | undefined> {
    return this.call('rotateSecret', [channelId, currentSecret, newSecret, revokedFingerprint]);
  }
  findAnswer(channelId: string, changeId: string): Promise<ChangeAccepted | undefined> {
    return this.call('findAnswer', [channelId, changeId]);
  }
  head(channelId: string): Promise<ChannelHead | undefined> {
    return this.call('head', [channelId]);
  }
  readChunks(channelId: string, at: Position, refs: readonly ChunkRef[]): Promise<string[] | undefined> {
    return this.call('readChunks', [channelId, at, refs]);
  }
  snapshot(channelId: string): Promise<StoredSnapshot | undefined> {
    return this.call('snapshot', [channelId]);
  }
  append(request: AppendRequest): Promise<AppendOutcome> {
    const buffers = new Set<ArrayBuffer>();
    for (const view of [request.message, ...request.chunks.map((c) => c.text)]) {
      const buffer = view.buffer as ArrayBuffer;
      if (movable.has(buffer)) buffers.add(buffer);
    }
    return this.call('append', [request], [...buffers]);
  }
  catchUp(channelId: string, since: Position | undefined): Promise<CatchUp | undefined> {
    return this.call('catchUp', [channelId, since]);
  }
  readRange(channelId: string, epoch: string, afterSeq: number, uptoSeq: number): Promise<HistoryEntry[] | undefined> {
    return this.call('readRange', [channelId, epoch, afterSeq, uptoSeq]);
  }
  follow(channelId: string): Promise<void> {
    return this.call('follow', [channelId]);
  }
  unfollow(channelId: string): Promise<void> {
    return this.call('unfollow', [channelId]);
  }
  async claimSignature(signature: string, ttlMs: number): Promise<boolean> {
    return this.replay.claim(signature, ttlMs, Date.now());
  }
  putClient(channelId: string, status: ClientStatus): Promise<void> {
    return this.call('putClient', [channelId, status]);
  }
  removeClient(channelId: string, clientId: string): Promise<void> {
    return this.call('removeClient', [channelId, clientId]);
  }
  touchClients(clients: readonly { channelId: string; clientId: string }[]): Promise<void> {
    return this.call('touchClients', [clients]);
  }
  listClients(channelId: string, limit: number): Promise<{ clients: ClientStatus[]; total: number }> {
    return this.call('listClients', [channelId, limit]);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    try {
      // The checkpointer closes first, so the store's own close checkpoints the rest and removes the WAL.
      const checkpointer = this.checkpointer;
      if (checkpointer) {
        await new Promise<void>((resolve) => {
          checkpointer.once('message', () => resolve());
          checkpointer.once('exit', () => resolve());
          checkpointer.postMessage({ type: 'close' });
        });
        await checkpointer.terminate();
      }
      if (!this.failure) await this.call('close', []);
    } finally {
      await this.worker.terminate();
    }
  }

  private call<T>(method: keyof Store, args: unknown[], transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failure) return Promise.reject(new SyncError('STORE_UNAVAILABLE'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ type: 'call', id, method, args } satisfies StoreRequest, transfer);
    });
  }

  private onReply(reply: StoreReply): void {
    switch (reply.type) {
      case 'opened':
        this.pending.delete(0);
        this.opened?.(reply);
        return;
      case 'event':
        this.listener(reply.channelId, reply.event);
        return;
      case 'result': {
        const waiting = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        waiting?.resolve(reply.value);
        return;
      }
      case 'error': {
        const waiting = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        const error = reply.code && reply.code in ERRORS ? new SyncError(reply.code, reply.detail) : Object.assign(new Error(reply.message), reply.sqlite ? { code: reply.sqlite } : {});
        waiting?.reject(error);
        return;
      }
    }
  }

  /** The store's thread is gone: every call waiting or to come fails with STORE_UNAVAILABLE. */
  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    if (!this.closing) this.logger.fatal({ err: err.message }, "the SQLite store's thread stopped; the relay cannot store or read channels until it restarts");
    for (const [id, waiting] of this.pending) waiting.reject(id === 0 ? err : new SyncError('STORE_UNAVAILABLE'));
    this.pending.clear();
  }
}
