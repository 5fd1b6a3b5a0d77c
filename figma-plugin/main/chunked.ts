// Runs many small steps on the main thread in chunks that give the editor a turn in between, so a
// long sync never freezes Figma: each chunk stops once it has used its time budget.

import type { Scheduler } from './host';

/** A chunk stops after the step that reaches this budget; one step is well under a millisecond in Figma. */
export const DEFAULT_CHUNK_BUDGET_MS = 40;

export interface ChunkOptions {
  scheduler: Scheduler;
  budgetMs?: number;
  /** Called before each yield with how many steps are done (not after the last chunk). */
  onChunk?: (done: number, total: number) => void;
}

/** Runs step(0) … step(count − 1); returns the busy time of each chunk in ms. */
export async function runInChunks(count: number, step: (index: number) => void, options: ChunkOptions): Promise<number[]> {
  const budget = options.budgetMs ?? DEFAULT_CHUNK_BUDGET_MS;
  const { scheduler } = options;
  const chunks: number[] = [];
  let start = scheduler.now();
  for (let i = 0; i < count; i++) {
    step(i);
    const elapsed = scheduler.now() - start;
    if (elapsed >= budget && i + 1 < count) {
      chunks.push(elapsed);
      options.onChunk?.(i + 1, count);
      await scheduler.yieldToEditor();
      start = scheduler.now();
    }
  }
  if (count > 0) chunks.push(scheduler.now() - start);
  return chunks;
}
