// Runs the main thread's work in stretches that give the editor a turn in between, so a long sync
// never freezes Figma: a stretch goes on until it has used its time budget, then yields once. Work
// that ends before the budget is used never yields: each yield is a trip through the editor's task
// queue (setTimeout, which browsers clamp to ≥ 4 ms once timers nest), paid for nothing.

import type { Scheduler } from './host';

/** A stretch stops after the step that reaches this budget; one step is well under a millisecond in Figma. */
export const DEFAULT_CHUNK_BUDGET_MS = 40;

/** The main thread's time since its last yield, shared by the phases of one sync (map, plan, writes). */
export class Stretch {
  private start: number;
  /** Length of each stretch that ended in a yield, oldest first. */
  readonly yieldedAfter: number[] = [];

  constructor(
    private readonly scheduler: Scheduler,
    readonly budgetMs: number = DEFAULT_CHUNK_BUDGET_MS,
  ) {
    this.start = scheduler.now();
  }

  /** Time used since the stretch began (ms). */
  elapsed(): number {
    return this.scheduler.now() - this.start;
  }

  /**
   * Gives the editor a turn when this stretch has used its budget, or would with `nextMs` more of work
   * that cannot be split; a stretch that has used no time yet goes on (yielding would gain nothing).
   * Returns whether it yielded.
   */
  async yieldIfDue(nextMs = 0): Promise<boolean> {
    const elapsed = this.elapsed();
    if (elapsed <= 0 || elapsed + nextMs < this.budgetMs) return false;
    await this.yieldNow();
    return true;
  }

  /** Gives the editor a turn and starts a new stretch. */
  async yieldNow(): Promise<void> {
    this.yieldedAfter.push(this.elapsed());
    await this.scheduler.yieldToEditor();
    this.start = this.scheduler.now();
  }
}

export interface ChunkOptions {
  scheduler: Scheduler;
  budgetMs?: number;
  /** The stretch the steps continue (time already used before them counts); a new one by default. */
  stretch?: Stretch;
  /** Called before each yield with how many steps are done (not after the last chunk). */
  onChunk?: (done: number, total: number) => void;
}

/**
 * Runs step(0) … step(count − 1), yielding whenever the stretch has used its budget (never after the
 * last step). Returns the time the steps took in each chunk between yields (ms).
 */
export async function runInChunks(count: number, step: (index: number) => void, options: ChunkOptions): Promise<number[]> {
  const stretch = options.stretch ?? new Stretch(options.scheduler, options.budgetMs ?? DEFAULT_CHUNK_BUDGET_MS);
  const { scheduler } = options;
  const chunks: number[] = [];
  let start = scheduler.now();
  for (let i = 0; i < count; i++) {
    step(i);
    if (i + 1 < count && stretch.elapsed() >= stretch.budgetMs) {
      chunks.push(scheduler.now() - start);
      options.onChunk?.(i + 1, count);
      await stretch.yieldNow();
      start = scheduler.now();
    }
  }
  if (count > 0) chunks.push(scheduler.now() - start);
  return chunks;
}
