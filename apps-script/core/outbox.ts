// The outbox: changes the relay has not yet taken, kept in document properties in order. Bounded
// by Apps Script's property limits (9 KB per value, 500 KB per store); when a change would not
// fit, or a queued patch can no longer be trusted, it collapses into "send a snapshot", which
// carries the sheet as it is at sending time and so loses nothing.

import { utf8Length } from '../../shared/protocol/utf8';
import { backoffDelay } from './backoff';

export const OUTBOX_KEY = 'sfs.q';
const ENTRY_PREFIX = 'sfs.q.';

export const OUTBOX_LIMITS = {
  /** Most changes kept; a longer outage is cheaper to heal with one snapshot. */
  maxEntries: 200,
  /** One change per property value, below the 9 KB value limit with room for the key. */
  maxEntryBytes: 8_000,
  /** All queued changes together, well under the 500 KB store limit shared with the settings. */
  maxBytes: 256 * 1024,
} as const;
export type OutboxLimits = { maxEntries: number; maxEntryBytes: number; maxBytes: number };

export interface OutboxMeta {
  /** Entries are numbered head … tail-1; a number is not reused while the outbox is stored. */
  head: number;
  tail: number;
  /** Collapsed: the next push is a snapshot of the sheet as it is then, and nothing is queued. */
  snapshot: boolean;
  /** UTF-8 bytes of all entries. */
  bytes: number;
  /** Failed attempts in a row, and when the next may be made (unix ms). */
  attempts: number;
  nextAttemptAt: number;
}

export interface Outbox {
  meta: OutboxMeta;
  /** Change JSON by entry number. */
  entries: Map<number, string>;
}

export const emptyOutbox = (): Outbox => ({ meta: { head: 0, tail: 0, snapshot: false, bytes: 0, attempts: 0, nextAttemptAt: 0 }, entries: new Map() });

/** Whether anything waits: a snapshot or queued changes. */
export function hasPending(o: Outbox): boolean {
  return o.meta.snapshot || o.entries.size > 0;
}

/** What the sidebar shows as "queued N": changes waiting, a pending snapshot counting as one. */
export function pendingCount(o: Outbox): number {
  return o.entries.size + (o.meta.snapshot ? 1 : 0);
}

/** Adds a change at the end, or collapses into a snapshot when it would break a limit. */
export function enqueue(o: Outbox, changeJson: string, limits: OutboxLimits = OUTBOX_LIMITS): Outbox {
  if (o.meta.snapshot) return o; // the snapshot will carry this change too
  const bytes = utf8Length(changeJson);
  if (bytes > limits.maxEntryBytes || o.entries.size + 1 > limits.maxEntries || o.meta.bytes + bytes > limits.maxBytes) return collapse(o);
  const entries = new Map(o.entries);
  entries.set(o.meta.tail, changeJson);
  return { meta: { ...o.meta, tail: o.meta.tail + 1, bytes: o.meta.bytes + bytes }, entries };
}

/** Drops every queued change in favour of one snapshot. Keeps the retry pacing. */
export function collapse(o: Outbox): Outbox {
  return { meta: { ...o.meta, head: o.meta.tail, snapshot: true, bytes: 0 }, entries: new Map() };
}

/** The oldest queued change, if any. */
export function peek(o: Outbox): { key: number; json: string } | undefined {
  for (let k = o.meta.head; k < o.meta.tail; k++) {
    const json = o.entries.get(k);
    if (json !== undefined) return { key: k, json };
  }
  return undefined;
}

/** Removes the oldest queued change (the relay took it). */
export function shift(o: Outbox): Outbox {
  const first = peek(o);
  if (!first) return o;
  const entries = new Map(o.entries);
  entries.delete(first.key);
  return { meta: { ...o.meta, head: first.key + 1, bytes: Math.max(0, o.meta.bytes - utf8Length(first.json)) }, entries };
}

/** Clears the pending snapshot (it was sent) and with it anything queued before it. */
export function snapshotSent(o: Outbox): Outbox {
  return { meta: { ...o.meta, head: o.meta.tail, snapshot: false, bytes: 0 }, entries: new Map() };
}

/** The relay took something: the next failure starts the backoff from the beginning. */
export function succeeded(o: Outbox): Outbox {
  return o.meta.attempts === 0 && o.meta.nextAttemptAt === 0 ? o : { ...o, meta: { ...o.meta, attempts: 0, nextAttemptAt: 0 } };
}

/** The relay could not be reached: count the attempt and schedule the next. */
export function failed(o: Outbox, now: number, random: number): Outbox {
  const attempts = o.meta.attempts + 1;
  return { ...o, meta: { ...o.meta, attempts, nextAttemptAt: now + backoffDelay(attempts, random) } };
}

/** Whether an execution at `now` should try the relay with what is queued. */
export function isDue(o: Outbox, now: number): boolean {
  return now >= o.meta.nextAttemptAt;
}

/** Reads the outbox from document properties; damaged entries collapse it (a snapshot heals). */
export function outboxFromProperties(props: Readonly<Record<string, string>>): Outbox {
  const text = props[OUTBOX_KEY];
  if (!text) return emptyOutbox();
  let meta: OutboxMeta;
  try {
    meta = JSON.parse(text) as OutboxMeta;
  } catch {
    return collapse(emptyOutbox());
  }
  const numbers = [meta.head, meta.tail, meta.bytes, meta.attempts, meta.nextAttemptAt];
  if (!numbers.every((n) => Number.isSafeInteger(n) && n >= 0) || meta.tail < meta.head || typeof meta.snapshot !== 'boolean') {
    return collapse(emptyOutbox());
  }
  const entries = new Map<number, string>();
  for (let k = meta.head; k < meta.tail; k++) {
    const json = props[ENTRY_PREFIX + k];
    // A missing entry means the queue cannot be replayed faithfully.
    if (json === undefined) return collapse({ meta, entries: new Map() });
    entries.set(k, json);
  }
  return { meta: { ...meta }, entries };
}

/** An outbox with nothing pending and no failure counted is stored as no property at all. */
function isBlank(o: Outbox): boolean {
  return !hasPending(o) && o.meta.attempts === 0 && o.meta.nextAttemptAt === 0;
}

/** The property writes that turn `before` into `after`: keys to set and keys to delete. */
export function outboxWrites(before: Outbox, after: Outbox): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const k of before.entries.keys()) if (!after.entries.has(k)) remove.push(ENTRY_PREFIX + k);
  for (const [k, json] of after.entries) if (before.entries.get(k) !== json) set[ENTRY_PREFIX + k] = json;
  if (isBlank(after)) {
    // Numbering restarts at 0 next time: every entry key was removed above.
    if (!isBlank(before) || before.meta.tail !== 0) remove.push(OUTBOX_KEY);
  } else if (JSON.stringify(before.meta) !== JSON.stringify(after.meta)) {
    set[OUTBOX_KEY] = JSON.stringify(after.meta);
  }
  return { set, remove };
}

/** Whether a property key belongs to the outbox (for clearing it on disconnect). */
export const isOutboxKey = (key: string): boolean => key === OUTBOX_KEY || key.startsWith(ENTRY_PREFIX);
