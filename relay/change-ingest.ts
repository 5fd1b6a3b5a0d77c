// Turns one signed change body into a committed seq. Changes of one channel run one at a time, behind a
// bounded queue per channel and in total (a full queue answers RELAY_BUSY with Retry-After). A small
// change is parsed, applied and hashed right here, on the head's cached chunks; a large body (or a
// change that builds many chunks) goes to an ingest worker, so snapshot-sized work never runs on the
// thread that serves every channel's sockets. Commits are compare-and-set on (epoch, seq), recomputed
// when another process got there first.

import { SyncError } from '../shared/protocol/errors';
import type { ChunkRef, GridState, TabState } from '../shared/protocol/grid-digest';
import type { Change, ChangeAccepted } from '../shared/protocol/messages';
import type { CachedHead, HeadCache } from './head-cache';
import type { WorkerReady } from './ingest-protocol';
import type { IngestPool } from './ingest-pool';
import { computeChange, estimatedChunks, parseChangeBody, type IngestHead, type ReadyChange } from './ingest-work';
import type { Logger } from './logger';
import type { RelayMetrics } from './metrics';
import type { AppendOutcome, AppendRequest, Store } from './store';
import { transferable } from './worker-store';
import { asBuffer, utf8Bytes } from './wire-messages';

export type IngestResult =
  | { outcome: 'accepted'; accepted: ChangeAccepted; kind: Change['kind'] }
  | { outcome: 'duplicate'; accepted: ChangeAccepted }
  | { outcome: 'mismatch'; changeId: string; expected: string; actual: string };

export interface IngestSettings {
  /** Most bytes a channel's grid may hold (MAX_BODY_BYTES). */
  maxGridBytes: number;
  /** Bodies up to this many characters are ingested on the main thread (INGEST_INLINE_BYTES). */
  inlineBytes: number;
  /** Changes of one channel waiting or in progress (INGEST_QUEUE_PER_CHANNEL). */
  queuePerChannel: number;
  /** Body bytes of all changes waiting or in progress (INGEST_QUEUE_BYTES). */
  queueBytes: number;
}

/** Compare-and-set attempts before giving up; each failure means another process committed meanwhile. */
const MAX_ATTEMPTS = 20;
/** A small change that would still build or list more chunks than this goes to a worker. */
const INLINE_MAX_CHUNKS = 2048;

type LoadedHead = CachedHead & { state: GridState };

export class ChangeIngest {
  private readonly channels = new Map<string, { tail: Promise<unknown>; count: number }>();
  private queuedBytes = 0;

  constructor(
    private readonly store: Store,
    private readonly heads: HeadCache,
    private readonly pool: IngestPool,
    private readonly settings: IngestSettings,
    private readonly metrics: RelayMetrics,
    private readonly logger: Logger,
  ) {}

  /** Changes waiting or in progress, and their body bytes. */
  get queued(): { changes: number; bytes: number } {
    let changes = 0;
    for (const c of this.channels.values()) changes += c.count;
    return { changes, bytes: this.queuedBytes };
  }

  /** Ingests a change body (already authenticated, UTF-8); throws a SyncError when it is refused. */
  async submit(channelId: string, body: Uint8Array, receivedAt: number): Promise<IngestResult> {
    const size = body.byteLength;
    const channel = this.channels.get(channelId) ?? { tail: Promise.resolve(), count: 0 };
    if (channel.count >= this.settings.queuePerChannel) {
      throw new SyncError('RELAY_BUSY', `${channel.count} changes of this channel are waiting or in progress; send the next when one is answered`);
    }
    if (this.queuedBytes > 0 && this.queuedBytes + size > this.settings.queueBytes) {
      throw new SyncError('RELAY_BUSY', `the relay is working on ${this.queuedBytes} bytes of changes, its limit is ${this.settings.queueBytes}`);
    }
    channel.count++;
    this.queuedBytes += size;
    this.channels.set(channelId, channel);
    this.updateGauges();
    const run = channel.tail.then(() => this.ingest(channelId, body, receivedAt));
    channel.tail = run.catch(() => undefined);
    try {
      return await run;
    } finally {
      channel.count--;
      this.queuedBytes -= size;
      if (channel.count === 0 && this.channels.get(channelId) === channel) this.channels.delete(channelId);
      this.updateGauges();
    }
  }

  private updateGauges(): void {
    const { changes, bytes } = this.queued;
    this.metrics.ingestQueued.set(changes);
    this.metrics.ingestQueuedBytes.set(bytes);
  }

  private async ingest(channelId: string, body: Uint8Array, receivedAt: number): Promise<IngestResult> {
    if (body.byteLength > this.settings.inlineBytes) return this.timed('worker', () => this.pooled(channelId, body, receivedAt));
    const end = this.metrics.ingestSeconds.labels('main').startTimer();
    let change: Change;
    try {
      change = parseChangeBody(asBuffer(body).toString('utf8'));
    } finally {
      end();
    }
    return this.inline(channelId, change, body, receivedAt);
  }

  private async timed<T>(where: 'main' | 'worker', work: () => Promise<T>): Promise<T> {
    const end = this.metrics.ingestSeconds.labels(where).startTimer();
    try {
      return await work();
    } finally {
      end();
    }
  }

  private async inline(channelId: string, change: Change, body: Uint8Array, receivedAt: number): Promise<IngestResult> {
    const options = { maxGridBytes: this.settings.maxGridBytes, receivedAt };
    // No duplicate check up front (a store round trip on every change): the append finds a known change
    // id atomically, and a mismatch looks for one before it is answered.
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const head = await this.loadHead(channelId);
      if (estimatedChunks(head.state, change) > INLINE_MAX_CHUNKS) return this.timed('worker', () => this.pooled(channelId, body, receivedAt));
      let computed = this.measure(() => computeChange(ingestHead(head), change, options));
      while (computed.outcome === 'missing') {
        if (!(await this.fillTexts(channelId, head, computed.missing))) break;
        computed = this.measure(() => computeChange(ingestHead(head), change, options));
      }
      if (computed.outcome === 'missing') {
        this.heads.forget(channelId); // the channel moved on while its texts were read
        continue;
      }
      if (computed.outcome === 'mismatch') {
        const prior = await this.store.findAnswer(channelId, change.id);
        if (prior) return { outcome: 'duplicate', accepted: { ...prior, duplicate: true } };
        // A cached head may be behind (another process committed): only a current one may say mismatch.
        if (await this.isCurrent(channelId, head)) return computed;
        this.heads.forget(channelId);
        continue;
      }
      const ready = computed.ready;
      const outcome = await this.store.append(inlineRequest(channelId, head, ready));
      const result = this.settle(channelId, outcome, change.kind);
      if (result === 'conflict') continue;
      if (outcome.result === 'appended') {
        const snapshot = ready.snapshot === undefined ? undefined : Buffer.from(ready.snapshot);
        this.heads.put(channelId, { epoch: head.epoch, seq: outcome.accepted.seq, hash: ready.state.hash, title: ready.change.title ?? head.title, at: ready.at, state: ready.state, snapshot });
      }
      return result;
    }
    throw new SyncError('INTERNAL', `the channel changed under ${MAX_ATTEMPTS} attempts in a row to commit this change; retry it`);
  }

  private async pooled(channelId: string, body: Uint8Array, receivedAt: number): Promise<IngestResult> {
    const options = { maxGridBytes: this.settings.maxGridBytes, receivedAt };
    return this.pool.run(async (job) => {
      let head = await this.loadHead(channelId);
      let reply = await job.start(body, leanHead(head), options);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; ) {
        switch (reply.type) {
          case 'failed':
            if (reply.internal) this.logger.error({ channel: channelId, err: reply.internal }, 'an ingest worker failed on a change');
            throw new SyncError(reply.code, reply.detail);
          case 'mismatch': {
            const prior = await this.store.findAnswer(channelId, reply.changeId);
            if (prior) return { outcome: 'duplicate', accepted: { ...prior, duplicate: true } };
            if (await this.isCurrent(channelId, head)) return { outcome: 'mismatch', changeId: reply.changeId, expected: reply.expected, actual: reply.actual };
            attempt++;
            head = await this.reload(channelId);
            reply = await job.rehead(leanHead(head));
            continue;
          }
          case 'missing': {
            const texts = await this.textsFor(channelId, head, reply.missing);
            if (texts) reply = await job.texts(reply.missing, texts);
            else {
              attempt++;
              head = await this.reload(channelId);
              reply = await job.rehead(leanHead(head));
            }
            continue;
          }
          case 'ready': {
            const outcome = await this.store.append(workerRequest(channelId, head, reply));
            const result = this.settle(channelId, outcome, reply.change.kind);
            if (result === 'conflict') {
              attempt++;
              head = await this.reload(channelId);
              reply = await job.rehead(leanHead(head));
              continue;
            }
            if (outcome.result === 'appended') {
              const snapshot = reply.snapshot === undefined ? undefined : asBuffer(reply.snapshot);
              const state = mergeState(head.state, reply);
              this.heads.put(channelId, { epoch: head.epoch, seq: outcome.accepted.seq, hash: reply.hash, title: reply.change.title ?? head.title, at: reply.at, state, snapshot });
            }
            return result;
          }
        }
      }
      throw new SyncError('INTERNAL', `the channel changed under ${MAX_ATTEMPTS} attempts in a row to commit this change; retry it`);
    });
  }

  /** The answer for an append's outcome, or 'conflict' to try again on the new head. */
  private settle(channelId: string, outcome: AppendOutcome, kind: Change['kind']): IngestResult | 'conflict' {
    switch (outcome.result) {
      case 'appended':
        return { outcome: 'accepted', accepted: outcome.accepted, kind };
      case 'duplicate':
        return { outcome: 'duplicate', accepted: { ...outcome.accepted, duplicate: true } };
      case 'unknown-channel':
        this.heads.forget(channelId);
        throw new SyncError('UNKNOWN_CHANNEL');
      case 'conflict':
        this.heads.forget(channelId);
        return 'conflict';
    }
  }

  /** Main-thread CPU of applying and hashing, for the ingest histogram. */
  private measure<T>(work: () => T): T {
    const end = this.metrics.ingestSeconds.labels('main').startTimer();
    try {
      return work();
    } finally {
      end();
    }
  }

  /** The channel's head with its chunk metadata: the cached one, else read from the store. */
  private async loadHead(channelId: string): Promise<LoadedHead> {
    const kept = this.heads.get(channelId);
    if (kept?.state) return kept as LoadedHead;
    const head = await this.metrics.timeStore('head', () => this.store.head(channelId));
    if (!head) throw new SyncError('UNKNOWN_CHANNEL');
    const snapshot = kept && kept.epoch === head.epoch && kept.seq === head.seq ? kept.snapshot : undefined;
    const state: GridState = { tabs: head.tabs as TabState[], hash: head.hash, bytes: head.bytes };
    return this.heads.put(channelId, { epoch: head.epoch, seq: head.seq, hash: head.hash, title: head.title, at: head.at, state, snapshot }) as LoadedHead;
  }

  /** Whether the channel is still at the head's position (a cached head can be behind with several processes). */
  private async isCurrent(channelId: string, head: LoadedHead): Promise<boolean> {
    const channel = await this.metrics.timeStore('channel', () => this.store.getChannel(channelId));
    return !!channel && channel.epoch === head.epoch && channel.seq === head.seq;
  }

  private async reload(channelId: string): Promise<LoadedHead> {
    this.heads.forget(channelId);
    return this.loadHead(channelId);
  }

  /** Reads the texts of these chunks into the cached head; false when the channel has moved on. */
  private async fillTexts(channelId: string, head: LoadedHead, refs: ChunkRef[]): Promise<boolean> {
    const texts = await this.textsFor(channelId, head, refs);
    if (!texts) return false;
    this.heads.addTexts(channelId, head, refs.map((r) => chunkAt(head.state, r)), texts);
    return true;
  }

  /** These chunks' texts, from the cached head where it holds them, else from the store. */
  private async textsFor(channelId: string, head: LoadedHead, refs: ChunkRef[]): Promise<string[] | undefined> {
    const chunks = refs.map((r) => chunkAt(head.state, r));
    const absent = refs.filter((_, i) => chunks[i]!.text === undefined);
    if (absent.length > 0) {
      const read = await this.metrics.timeStore('chunks', () => this.store.readChunks(channelId, { epoch: head.epoch, seq: head.seq }, absent));
      if (!read) return undefined;
      this.heads.addTexts(
        channelId,
        head,
        absent.map((r) => chunkAt(head.state, r)),
        read,
      );
    }
    return chunks.map((c) => c.text!);
  }
}

function chunkAt(state: GridState, ref: ChunkRef): TabState['chunks'][number] {
  const chunk = state.tabs.find((t) => t.tabId === ref.tabId)?.chunks[ref.index];
  if (!chunk) throw new Error(`no chunk ${ref.index} of tab ${ref.tabId} in the head`);
  return chunk;
}

function ingestHead(head: LoadedHead): IngestHead {
  return { epoch: head.epoch, seq: head.seq, title: head.title, state: head.state };
}

/** The head without chunk texts: what crosses to a worker (it asks for the texts it needs). */
function leanHead(head: LoadedHead): IngestHead {
  const tabs = head.state.tabs.map((t) => ({ ...t, chunks: t.chunks.map((c) => ({ digest: c.digest, rows: c.rows, lastNonEmpty: c.lastNonEmpty, bytes: c.bytes })) }));
  return { epoch: head.epoch, seq: head.seq, title: head.title, state: { tabs, hash: head.state.hash, bytes: head.state.bytes } };
}

/** The append of a change computed on this thread. */
export function inlineRequest(channelId: string, head: Pick<IngestHead, 'epoch' | 'seq'>, ready: ReadyChange): AppendRequest {
  return {
    channelId,
    changeId: ready.change.id,
    baseEpoch: head.epoch,
    baseSeq: head.seq,
    kind: ready.change.kind,
    hash: ready.state.hash,
    title: ready.change.title,
    at: ready.at,
    bytes: ready.state.bytes,
    tabs: ready.tabs,
    removedTabs: ready.removedTabs,
    chunks: ready.chunks.map((c) => ({ tabId: c.tabId, index: c.index, text: utf8Bytes(c.text) })),
    dropChunks: ready.dropChunks,
    message: utf8Bytes(ready.message),
  };
}

function workerRequest(channelId: string, head: LoadedHead, ready: WorkerReady): AppendRequest {
  // The worker's buffers cross on to the store's thread without a copy.
  transferable(ready.chunkBytes.buffer as ArrayBuffer, ready.message.buffer as ArrayBuffer);
  return {
    channelId,
    changeId: ready.change.id,
    baseEpoch: head.epoch,
    baseSeq: head.seq,
    kind: ready.change.kind,
    hash: ready.hash,
    title: ready.change.title,
    at: ready.at,
    bytes: ready.bytes,
    tabs: ready.tabs,
    removedTabs: ready.removedTabs,
    chunks: ready.chunks.map((c) => ({ tabId: c.tabId, index: c.index, text: ready.chunkBytes.subarray(c.offset, c.offset + c.length) })),
    dropChunks: ready.dropChunks,
    message: ready.message,
  };
}

/** The head's state after a worker's change: its touched tabs (without texts) over the untouched ones. */
function mergeState(before: GridState, ready: WorkerReady): GridState {
  const tabs = new Map<number, TabState>(ready.change.kind === 'patch' ? before.tabs.map((t) => [t.tabId, t]) : []);
  for (const tabId of ready.removedTabs) tabs.delete(tabId);
  for (const tab of ready.tabs) tabs.set(tab.tabId, tab as TabState);
  return { tabs: [...tabs.values()].sort((a, b) => a.tabId - b.tabId), hash: ready.hash, bytes: ready.bytes };
}
