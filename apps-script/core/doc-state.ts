// The add-on's state in document properties (shared by every user of the document): the channel,
// its secret, which tabs sync, the outbox, the last push and what went wrong. Read once per
// execution with getProperties(), written back as the keys that changed.

import type { ErrorCode } from '../../shared/protocol/errors';
import type { Extent } from './edited-range';
import { emptyOutbox, isOutboxKey, outboxFromProperties, outboxWrites, type Outbox } from './outbox';
import { parseSyncedTabs, type SyncedTabs } from './synced-tabs';

export const KEYS = {
  channel: 'sfs.channel',
  secret: 'sfs.secret',
  /** What the channel id is derived from; proves the id when re-registering it. Never shown. */
  claim: 'sfs.claim',
  /** A rotated secret sent to the relay whose answer has not been seen yet. */
  pendingSecret: 'sfs.pendingSecret',
  tabs: 'sfs.tabs',
  paused: 'sfs.paused',
  last: 'sfs.last',
  extents: 'sfs.extents',
  /** Each synced tab's fingerprint in the last change built (tabId → tabFingerprint). */
  prints: 'sfs.prints',
  error: 'sfs.error',
  /** Users (by their key) whose triggers stopped until they approve the add-on again (userKey → when). */
  reauth: 'sfs.reauth',
  /** Users (by their key) who connected from this document and so have triggers here (userKey → when). */
  members: 'sfs.members',
  /** Set without the lock by an execution that could not get it: the lock holder sends a snapshot. */
  wantSnapshot: 'sfs.wantSnapshot',
} as const;

export interface Channel {
  channelId: string;
  /** https://… without a trailing slash. */
  relayUrl: string;
  connectedAt: number;
  /** The relay's body limit when it proved lower than the protocol's default (learned from a 413). */
  maxBodyBytes?: number;
}

/** The relay's acknowledgement of the last change it took. */
export interface LastPush {
  at: number;
  epoch: string;
  seq: number;
  hash: string;
}

/** A failure the sidebar shows until something succeeds (or, for `stop` failures, a person acts). */
export interface StoredError {
  code: ErrorCode;
  message: string;
  at: number;
  /** True when retrying cannot help: the add-on stops posting until a person acts. */
  stop: boolean;
}

export interface DocState {
  channel?: Channel;
  secret?: string;
  /** The claim the channel id is derived from; absent for sheets paired before claims existed. */
  claim?: string;
  /** Sent in a rotation whose answer was lost: the relay may hold it instead of `secret`. */
  pendingSecret?: string;
  tabs?: SyncedTabs;
  paused: boolean;
  outbox: Outbox;
  last?: LastPush;
  /** Extent of each synced tab in the last change built (tabId → [rows, cols]): what the relay will hold. */
  extents: Record<string, Extent>;
  /** Fingerprint of each synced tab in the last change built (tabId → fingerprint): what the relay will hold. */
  prints: Record<string, string>;
  error?: StoredError;
  /**
   * Authorization is per user: the users whose triggers found it REQUIRED, by user key (see
   * Session.userKey), until their own next execution finds it granted. Never cleared by another user.
   */
  reauth: Record<string, number>;
  /** The users who connected here (their triggers send edits), by user key → when. */
  members: Record<string, number>;
  wantSnapshot: boolean;
}

function json<T>(text: string | undefined, check: (v: T) => boolean): T | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as T;
    return v !== null && typeof v === 'object' && check(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function readDocState(props: Readonly<Record<string, string>>): DocState {
  const channel = json<Channel>(props[KEYS.channel], (c) => typeof c.channelId === 'string' && typeof c.relayUrl === 'string');
  const extents = json<Record<string, Extent>>(props[KEYS.extents], (e) =>
    Object.values(e).every((x) => x && Number.isSafeInteger(x.rows) && Number.isSafeInteger(x.cols)),
  );
  const state: DocState = {
    channel,
    secret: props[KEYS.secret] || undefined,
    claim: props[KEYS.claim] || undefined,
    pendingSecret: props[KEYS.pendingSecret] || undefined,
    tabs: parseSyncedTabs(props[KEYS.tabs]),
    paused: props[KEYS.paused] === '1',
    outbox: outboxFromProperties(props),
    last: json<LastPush>(props[KEYS.last], (l) => typeof l.at === 'number' && typeof l.seq === 'number'),
    extents: extents ?? {},
    prints: json<Record<string, string>>(props[KEYS.prints], (m) => Object.values(m).every((v) => typeof v === 'string')) ?? {},
    error: json<StoredError>(props[KEYS.error], (e) => typeof e.code === 'string' && typeof e.message === 'string'),
    // An older version kept one document-wide {at, url}: it named nobody, so it is dropped.
    reauth: json<Record<string, number>>(props[KEYS.reauth], (m) => Object.values(m).every((v) => typeof v === 'number')) ?? {},
    members: json<Record<string, number>>(props[KEYS.members], (m) => Object.values(m).every((v) => typeof v === 'number')) ?? {},
    wantSnapshot: !!props[KEYS.wantSnapshot],
  };
  return state;
}

/** The property writes that store `next`, given the properties as read. */
export function docStateWrites(props: Readonly<Record<string, string>>, before: DocState, next: DocState): { set: Record<string, string>; remove: string[] } {
  const { set, remove } = outboxWrites(before.outbox, next.outbox);
  const put = (key: string, value: string | undefined) => {
    if (value === undefined) {
      if (props[key] !== undefined) remove.push(key);
    } else if (props[key] !== value) set[key] = value;
  };
  put(KEYS.channel, next.channel && JSON.stringify(next.channel));
  put(KEYS.secret, next.secret);
  put(KEYS.claim, next.claim);
  put(KEYS.pendingSecret, next.pendingSecret);
  put(KEYS.tabs, next.tabs && JSON.stringify(next.tabs));
  put(KEYS.paused, next.paused ? '1' : undefined);
  put(KEYS.last, next.last && JSON.stringify(next.last));
  put(KEYS.extents, Object.keys(next.extents).length ? JSON.stringify(next.extents) : undefined);
  put(KEYS.prints, Object.keys(next.prints).length ? JSON.stringify(next.prints) : undefined);
  put(KEYS.error, next.error && JSON.stringify(next.error));
  put(KEYS.reauth, Object.keys(next.reauth).length ? JSON.stringify(next.reauth) : undefined);
  put(KEYS.members, Object.keys(next.members).length ? JSON.stringify(next.members) : undefined);
  put(KEYS.wantSnapshot, next.wantSnapshot ? props[KEYS.wantSnapshot] || '1' : undefined);
  return { set, remove };
}

/** Every key the add-on owns, for forgetting the channel. */
export function isAddonKey(key: string): boolean {
  return isOutboxKey(key) || (Object.values(KEYS) as string[]).includes(key);
}

export const disconnectedState = (): DocState => ({ paused: false, outbox: emptyOutbox(), extents: {}, prints: {}, reauth: {}, members: {}, wantSnapshot: false });
