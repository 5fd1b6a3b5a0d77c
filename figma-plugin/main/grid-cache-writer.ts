// When the grid cache is written: after a quiet spell following the last apply (a burst of edits costs
// one write), at the latest every maxWaitMs while edits keep coming, and at once after a snapshot (the
// costly thing to fetch again). Writes run one after another, so an older grid never lands last; a
// grid the cache already holds is not written again (GridCache.write answers 'unchanged').

import type { CacheWriteResult, GridCache, GridCacheEntry } from './grid-cache';
import type { Timers } from './host';

export interface CacheWriteTiming {
  /** The write waits this long after the last apply. */
  quietMs: number;
  /** ...but no longer than this after the first apply it has not written yet. */
  maxWaitMs: number;
}

/**
 * Figma cancels a plugin's timers when it closes, so what was applied in the last quiet spell is not
 * cached; the next opening then catches up by a few more patches, which is still correct.
 */
export const CACHE_WRITE_TIMING: CacheWriteTiming = { quietMs: 1500, maxWaitMs: 10_000 };

interface Waiting {
  fileId: string;
  entry: GridCacheEntry;
}

type TimerName = 'quiet' | 'max';

export class GridCacheWriter {
  private readonly timing: CacheWriteTiming;
  private waiting: Waiting | undefined;
  private readonly timers = new Map<TimerName, unknown>();
  private chain: Promise<unknown> = Promise.resolve();
  /** Every write's result, oldest first (for tests and diagnosis). */
  readonly results: CacheWriteResult[] = [];

  constructor(
    private readonly cache: GridCache,
    private readonly clock: Timers,
    timing: Partial<CacheWriteTiming> = {},
  ) {
    this.timing = { ...CACHE_WRITE_TIMING, ...timing };
  }

  /** The grid just applied: written at once after a snapshot, else after the quiet spell. */
  offer(fileId: string, entry: GridCacheEntry, atOnce: boolean): void {
    this.waiting = { fileId, entry };
    if (atOnce) {
      this.flush();
      return;
    }
    this.setTimer('quiet', this.timing.quietMs);
    if (!this.timers.has('max')) this.setTimer('max', this.timing.maxWaitMs);
  }

  /** Writes what is waiting now (if anything). */
  flush(): void {
    this.clearTimers();
    const waiting = this.waiting;
    this.waiting = undefined;
    if (!waiting) return;
    this.enqueue(() => this.cache.write(waiting.fileId, waiting.entry));
  }

  /** Drops what is waiting and the file's cached grid (unlink, or a link to another channel). */
  forget(fileId: string): Promise<void> {
    this.clearTimers();
    this.waiting = undefined;
    return this.enqueue(async () => {
      await this.cache.remove(fileId);
      return undefined;
    });
  }

  /** Resolves once the writes started so far have finished (a write still waiting for its timer is not awaited). */
  idle(): Promise<void> {
    return this.chain.then(() => undefined);
  }

  private enqueue(task: () => Promise<CacheWriteResult | undefined>): Promise<void> {
    const run = this.chain.then(task).then(
      (result) => {
        if (result) this.results.push(result);
      },
      // GridCache.write never throws; a failed removal leaves only space that the next write reclaims.
      () => undefined,
    );
    this.chain = run;
    return run;
  }

  private setTimer(name: TimerName, ms: number): void {
    const old = this.timers.get(name);
    if (old !== undefined) this.clock.clearTimeout(old);
    this.timers.set(
      name,
      this.clock.setTimeout(() => {
        this.timers.delete(name);
        this.flush();
      }, ms),
    );
  }

  private clearTimers(): void {
    for (const id of this.timers.values()) this.clock.clearTimeout(id);
    this.timers.clear();
  }
}
