// What the relay keeps per channel, as one interface with two homes: SQLite (one process) and
// Redis (many processes). Everything a client can be told is read from or committed to a Store.

import type { ChangeAccepted, ClientStatus, Position } from '../shared/protocol';
import type { Grid } from '../shared/grid';

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

/** The state a change is applied to. `grid` and `tabsJson` describe the same tabs. */
export interface ChannelHead {
  epoch: string;
  seq: number;
  hash: string;
  title: string | undefined;
  /** `at` of the change at `seq`, when there is one. */
  at: number | undefined;
  grid: Grid;
  /** JSON of the grid as ValuesTab[]: the `tabs` of a snapshot message, kept as text so it is serialized once. */
  tabsJson: string;
}

/** One change as the relay commits it: everything is computed before the store is asked. */
export interface AppendRequest {
  channelId: string;
  changeId: string;
  /** The head the change was applied to; the append fails with `conflict` if the channel moved on. */
  baseEpoch: string;
  baseSeq: number;
  kind: 'patch' | 'snapshot';
  grid: Grid;
  tabsJson: string;
  hash: string;
  /** Undefined keeps the channel's title. */
  title: string | undefined;
  at: number;
  /** The wire message (PatchMessage or SnapshotMessage) at seq baseSeq + 1, as JSON text. */
  message: string;
}

export type AppendOutcome =
  | { result: 'appended'; accepted: ChangeAccepted }
  | { result: 'duplicate'; accepted: ChangeAccepted }
  | { result: 'conflict' }
  | { result: 'unknown-channel' };

/** One stored change: its seq and the wire message that carries it. */
export interface HistoryEntry {
  seq: number;
  kind: 'patch' | 'snapshot';
  message: string;
}

/** What a subscriber that stands at `since` needs to be current. */
export type CatchUp =
  | { recovery: 'current'; epoch: string; seq: number; title: string | undefined }
  | { recovery: 'patches'; epoch: string; seq: number; title: string | undefined; entries: HistoryEntry[] }
  | { recovery: 'snapshot'; epoch: string; seq: number; title: string | undefined; message: string };

/** What a store tells the relay processes that follow a channel. */
export type ChannelEvent =
  | { type: 'change'; seq: number; message: string; committedAt: number }
  /** The channel is at least at `seq` (after a lost pub/sub connection): fetch what was missed. */
  | { type: 'head'; seq: number }
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
   * processes). 'full' when the store already holds maxChannels channels.
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
  head(channelId: string): Promise<ChannelHead | undefined>;
  /** Atomically: duplicate check, compare-and-set on (epoch, seq), store grid + change, trim history, notify followers. */
  append(request: AppendRequest): Promise<AppendOutcome>;
  /** What a subscriber at `since` needs (patches while history and epoch allow it, else a snapshot). */
  catchUp(channelId: string, since: Position | undefined): Promise<CatchUp | undefined>;
  /** Changes after `afterSeq` up to and including `uptoSeq`, or undefined when history no longer holds all of them. */
  readRange(channelId: string, afterSeq: number, uptoSeq: number): Promise<HistoryEntry[] | undefined>;
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

/** A snapshot among the missed changes makes everything before it unnecessary. */
export function fromLastSnapshot(entries: HistoryEntry[]): HistoryEntry[] {
  for (let i = entries.length - 1; i > 0; i--) if (entries[i]!.kind === 'snapshot') return entries.slice(i);
  return entries;
}
