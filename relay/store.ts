// What the relay keeps per channel, as one interface with two homes: SQLite (one process) and
// Redis (many processes). Everything a client can be told is read from or committed to a Store.
// A channel's grid is kept per chunk (shared/protocol/grid-digest.ts): a change writes only the chunks it
// changed, and a head is read as metadata, with the few chunk texts a change needs read by place.

import type { ChangeAccepted, ClientStatus, Position } from '../shared/protocol/messages';
import type { ChunkRef, ChunkState, TabState } from '../shared/protocol/grid-digest';

/** A registered channel as the relay sees it. */
export interface ChannelRecord {
  channelId: string;
  secret: string;
  epoch: string;
  seq: number;
  hash: string;
  title: string | undefined;
}

/** How many revoked tokens a channel remembers, and for how long (a forgotten one is refused as BAD_TOKEN instead). */
export const REVOCATIONS_KEPT = 16;
export const REVOCATION_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** What bounds a store's stored state in total (channels) and in time (idle channels expire). */
export interface ChannelQuota {
  maxChannels: number;
  /** A channel with no accepted change and no subscriber hello for this long is forgotten. */
  idleMs: number;
}

/** How often at most a store records a channel's activity (a hello), so a reconnect storm is not a write storm. */
export function activityInterval(idleMs: number): number {
  return Math.max(1, Math.min(60_000, Math.floor(idleMs / 10)));
}

/** A chunk as stored beside its tab: everything but its text. */
export type ChunkMeta = Omit<ChunkState, 'text'>;

/** A tab as stored: its digest and its chunks' metadata (the texts are stored per chunk). */
export interface TabRecord extends Omit<TabState, 'chunks'> {
  readonly chunks: readonly ChunkMeta[];
}

/** The state a change is applied to: the grid's tabs without chunk texts (see readChunks). */
export interface ChannelHead {
  epoch: string;
  seq: number;
  hash: string;
  title: string | undefined;
  /** `at` of the change at `seq`, when there is one. */
  at: number | undefined;
  /** Sorted by tabId. */
  tabs: TabRecord[];
  /** The grid's size in bytes (GridState.bytes). */
  bytes: number;
}

/** A chunk text to store at its place (UTF-8). */
export interface ChunkWrite extends ChunkRef {
  text: Uint8Array;
}

/** Chunk places to delete in one tab: indexes from `from` (inclusive) to `to` (exclusive). */
export interface ChunkDrop {
  tabId: number;
  from: number;
  to: number;
}

/** One change as the relay commits it: everything is computed before the store is asked. */
export interface AppendRequest {
  channelId: string;
  changeId: string;
  /** The head the change was applied to; the append fails with `conflict` if the channel moved on. */
  baseEpoch: string;
  baseSeq: number;
  kind: 'patch' | 'snapshot';
  hash: string;
  /** Undefined keeps the channel's title. */
  title: string | undefined;
  at: number;
  /** The grid's size after the change. */
  bytes: number;
  /** The records of the tabs the change touched (every tab of a snapshot). */
  tabs: TabRecord[];
  /** Tabs the change removed (a snapshot drops the tabs it does not list). */
  removedTabs: number[];
  /** The texts of the chunks whose digest changed. */
  chunks: ChunkWrite[];
  /** Places that no longer hold a chunk (a tab got shorter, or was removed). */
  dropChunks: ChunkDrop[];
  /**
   * The history entry at seq baseSeq + 1 (UTF-8): the wire patch message, or for a snapshot change a
   * stub naming it (snapshotStubText), never sent: a snapshot is built from the chunks when needed.
   */
  message: Uint8Array;
}

export type AppendOutcome =
  | { result: 'appended'; accepted: ChangeAccepted }
  | { result: 'duplicate'; accepted: ChangeAccepted }
  | { result: 'conflict' }
  | { result: 'unknown-channel' };

/** One stored change: its seq and the wire message that carries it (a stub for a snapshot change). */
export interface HistoryEntry {
  seq: number;
  kind: 'patch' | 'snapshot';
  message: string;
}

/** What a subscriber that stands at `since` needs to be current. */
export type CatchUp =
  | { recovery: 'current'; epoch: string; seq: number; title: string | undefined }
  | { recovery: 'patches'; epoch: string; seq: number; title: string | undefined; entries: HistoryEntry[] }
  /** The snapshot itself is shared per head: see Store.snapshot and relay/snapshots.ts. */
  | { recovery: 'snapshot'; epoch: string; seq: number; title: string | undefined };

/** A channel's current grid as one snapshot message (UTF-8), and the position it is at. */
export interface StoredSnapshot {
  epoch: string;
  seq: number;
  title: string | undefined;
  message: Uint8Array;
}

/** What a store tells the relay processes that follow a channel. */
export type ChannelEvent =
  | { type: 'change'; epoch: string; seq: number; kind: 'patch' | 'snapshot'; message: Uint8Array; committedAt: number }
  /** The channel is at least at this position (after a lost pub/sub connection): fetch what was missed. */
  | { type: 'head'; epoch: string; seq: number }
  | { type: 'revoked'; fingerprint: string };

export type ChannelListener = (channelId: string, event: ChannelEvent) => void;

export interface Store {
  /** Which backend this is, for logs and /readyz. */
  readonly kind: 'sqlite' | 'redis';
  /** Resolves when the store answers; rejects when it does not. */
  ping(): Promise<void>;
  getChannel(channelId: string): Promise<ChannelRecord | undefined>;
  /**
   * Creates the channel unless it exists; `created` says which happened (first claim wins across
   * processes). 'full' when the store already holds maxChannels channels. Whatever an earlier channel
   * of that id left (grid, history) is cleared when it is created again.
   */
  createChannel(channelId: string, secret: string, epoch: string, emptyHash: string): Promise<{ created: boolean; channel: ChannelRecord } | 'full'>;
  /** Whether a rotation revoked the token with this fingerprint (looked up by key; bounded in number and age). */
  isRevoked(channelId: string, fingerprint: string): Promise<boolean>;
  /** Records activity (a subscriber's hello) so the channel does not expire; at most once per activityInterval. */
  touchChannel(channelId: string): Promise<void>;
  /** Forgets channels idle for longer than the quota allows; resolves with how many (Redis expires keys itself). */
  sweepExpired(): Promise<number>;
  /** Channels the store holds now. */
  countChannels(): Promise<number>;
  /** Resolves when the store can write (a small write, and room left); rejects saying why not. */
  probeWrite(): Promise<void>;
  /**
   * Replaces the secret if it is still `currentSecret` and remembers the revoked token's fingerprint;
   * followers get a `revoked` event. Undefined when the channel is gone, 'conflict' when the secret moved.
   */
  rotateSecret(channelId: string, currentSecret: string, newSecret: string, revokedFingerprint: string): Promise<ChannelRecord | 'conflict' | undefined>;
  /** The original answer to a change id still in history. */
  findAnswer(channelId: string, changeId: string): Promise<ChangeAccepted | undefined>;
  /** The channel's head without chunk texts. */
  head(channelId: string): Promise<ChannelHead | undefined>;
  /** The texts of these chunks of the head at `at`, in order; undefined when the channel is no longer there. */
  readChunks(channelId: string, at: Position, refs: readonly ChunkRef[]): Promise<string[] | undefined>;
  /** The current grid as a snapshot message, built from the stored chunks. */
  snapshot(channelId: string): Promise<StoredSnapshot | undefined>;
  /** Atomically: duplicate check, compare-and-set on (epoch, seq), store chunks + change, trim history, notify followers. */
  append(request: AppendRequest): Promise<AppendOutcome>;
  /** What a subscriber at `since` needs (patches while history and epoch allow it, else a snapshot). */
  catchUp(channelId: string, since: Position | undefined): Promise<CatchUp | undefined>;
  /**
   * Changes after `afterSeq` up to and including `uptoSeq` of epoch `epoch`, or undefined when the
   * channel is in another epoch or history no longer holds all of them.
   */
  readRange(channelId: string, epoch: string, afterSeq: number, uptoSeq: number): Promise<HistoryEntry[] | undefined>;
  /** Starts delivering this channel's events to the listener given at creation; resolves once delivery is live. */
  follow(channelId: string): Promise<void>;
  unfollow(channelId: string): Promise<void>;
  /** Remembers a verified request signature; false when it was already seen within `ttlMs`. */
  claimSignature(signature: string, ttlMs: number): Promise<boolean>;
  putClient(channelId: string, status: ClientStatus): Promise<void>;
  removeClient(channelId: string, clientId: string): Promise<void>;
  /** Keeps the given clients listed (they are still connected to this process). */
  touchClients(clients: readonly { channelId: string; clientId: string }[]): Promise<void>;
  /** Up to `limit` of the channel's clients (oldest first) and how many there are. */
  listClients(channelId: string, limit: number): Promise<{ clients: ClientStatus[]; total: number }>;
  close(): Promise<void>;
}

/** A catch-up from history: patches, unless a snapshot change is among them (then the head's snapshot serves). */
export function patchesOrSnapshot(entries: HistoryEntry[]): 'patches' | 'snapshot' {
  return entries.some((e) => e.kind === 'snapshot') ? 'snapshot' : 'patches';
}

/** The stored form of a tab record's chunks: [digest, rows, lastNonEmpty, bytes] each. */
export function encodeChunkMetas(chunks: readonly ChunkMeta[]): string {
  return JSON.stringify(chunks.map((c) => [c.digest, c.rows, c.lastNonEmpty, c.bytes]));
}

export function decodeChunkMetas(text: string): ChunkMeta[] {
  return (JSON.parse(text) as [string, number, number, number][]).map(([digest, rows, lastNonEmpty, bytes]) => ({ digest, rows, lastNonEmpty, bytes }));
}
