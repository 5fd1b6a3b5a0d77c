// Token exports kept between polls, keyed by channel, position and query, within a budget in bytes
// held; past it the least recently used go (a channel's older positions are never asked for again, so
// they are the first to go). An entry larger than the whole budget is not kept.

export class TokenCache<T> {
  private readonly entries = new Map<string, { value: T; bytes: number }>();
  private total = 0;

  constructor(private readonly budget: number) {}

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The kept value; a hit counts as a use. */
  get(key: string): T | undefined {
    const kept = this.entries.get(key);
    if (!kept) return undefined;
    this.entries.delete(key);
    this.entries.set(key, kept);
    return kept.value;
  }

  put(key: string, value: T, bytes: number): void {
    this.delete(key);
    if (bytes > this.budget) return;
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    while (this.total > this.budget) this.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    const kept = this.entries.get(key);
    if (!kept) return;
    this.entries.delete(key);
    this.total -= kept.bytes;
  }
}
