// Remembers verified request signatures for a while, so a captured request cannot be sent again.
// In-process version (SQLite mode); the Redis store keeps the same set in Redis for every process.

/** How long a signature is remembered: twice the allowed clock skew, so a replay is either remembered or too old. */
export const REPLAY_WINDOW_MS = 10 * 60 * 1000;

export class MemoryReplayGuard {
  private readonly seen = new Map<string, number>();
  private lastSweep = 0;

  /** Records the signature; false when it was already recorded and has not expired. */
  claim(signature: string, ttlMs: number, now: number): boolean {
    this.sweep(now);
    const expires = this.seen.get(signature);
    if (expires !== undefined && expires > now) return false;
    this.seen.set(signature, now + ttlMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Drops expired entries, at most once a second, oldest first (Map keeps insertion order). */
  private sweep(now: number): void {
    if (now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [signature, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(signature);
    }
  }
}
