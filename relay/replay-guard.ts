// Remembers verified request signatures for a while, so a captured request cannot be sent again.
// In-process version (SQLite mode); the Redis store keeps the same set in Redis for every process.
// Only signatures that passed the HMAC check and the channel's rate limit reach it, so its size follows
// authenticated traffic; it is capped all the same, and past the cap a request is refused as OVERLOADED.

import { SyncError } from '../shared/protocol/errors';

/** How long a signature is remembered: twice the allowed clock skew, so a replay is either remembered or too old. */
export const REPLAY_WINDOW_MS = 10 * 60 * 1000;
/** Signatures remembered at most (about 100 bytes each): 20 requests a second for 10 minutes on 40 busy channels. */
export const REPLAY_GUARD_MAX_ENTRIES = 500_000;
/** The part of a hex signature kept: 128 bits tell signatures apart as well as 256. */
const KEPT_HEX = 32;

export class MemoryReplayGuard {
  private readonly seen = new Map<string, number>();
  private lastSweep = 0;

  constructor(private readonly maxEntries = REPLAY_GUARD_MAX_ENTRIES) {}

  /** Records the signature; false when it was already recorded and has not expired. Throws OVERLOADED when full. */
  claim(signature: string, ttlMs: number, now: number): boolean {
    this.sweep(now, false);
    const key = signature.slice(0, KEPT_HEX);
    const expires = this.seen.get(key);
    if (expires !== undefined && expires > now) return false;
    if (expires === undefined && this.seen.size >= this.maxEntries) {
      this.sweep(now, true);
      if (this.seen.size >= this.maxEntries) throw new SyncError('OVERLOADED', 'the relay remembers as many recent requests as it can; retry in a moment');
    }
    // Deleted first so the entry moves to the end: the map stays in expiry order for the sweep.
    this.seen.delete(key);
    this.seen.set(key, now + ttlMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Drops expired entries, at most once a second unless forced, oldest first (the map is in expiry order). */
  private sweep(now: number, force: boolean): void {
    if (!force && now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [signature, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(signature);
    }
  }
}
