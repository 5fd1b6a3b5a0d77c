// Token buckets: a sustained rate with a burst allowance, per key (a channel's requests) or per
// holder (one socket's messages). Time is passed in, so the arithmetic is testable.

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes one token; false when the bucket is empty (the caller is over its rate). */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whether the bucket is back to full, so a keyed limiter may forget it. */
  isFull(now: number): boolean {
    return this.tokens + ((now - this.updatedAt) * this.ratePerSecond) / 1000 >= this.burst;
  }
}

/** How many keys a keyed limiter remembers at most, whatever the number of clients. */
const MAX_KEYS = 100_000;

/**
 * One bucket per key, forgetting buckets that have refilled so idle channels cost nothing. At most
 * `maxKeys` buckets are kept: when that many are still draining, a new key is refused until some refill
 * (so a flood from countless addresses costs bounded memory and is refused, not remembered).
 */
export class KeyedRateLimit {
  private readonly buckets = new Map<string, TokenBucket>();
  private lastSweep = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly maxKeys = MAX_KEYS,
  ) {}

  take(key: string, now: number): boolean {
    this.sweep(now, false);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      // Sweeping a full map costs maxKeys steps: at most once a second, however many new keys arrive.
      if (this.buckets.size >= this.maxKeys && now - this.lastSweep >= 1000) this.sweep(now, true);
      if (this.buckets.size >= this.maxKeys) return false;
      bucket = new TokenBucket(this.ratePerSecond, this.burst, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now);
  }

  /** Keys remembered now. */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number, force: boolean): void {
    if (!force && now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
  }
}
