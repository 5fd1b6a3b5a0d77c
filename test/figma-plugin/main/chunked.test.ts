// Steps run in chunks that end once their time budget is used, with a yield between chunks.

import { runInChunks } from '../../../figma-plugin/main/chunked';

function virtual(stepMs: number) {
  let t = 0;
  const log: string[] = [];
  return {
    log,
    scheduler: { now: () => t, yieldToEditor: async () => void log.push('yield') },
    step: (i: number) => {
      t += stepMs;
      log.push(`step ${i}`);
    },
  };
}

test('a chunk ends with the step that reaches the budget, and no yield follows the last step', async () => {
  const v = virtual(4);
  const done: number[] = [];
  const chunks = await runInChunks(7, v.step, { scheduler: v.scheduler, budgetMs: 10, onChunk: (n) => done.push(n) });
  expect(v.log).toEqual(['step 0', 'step 1', 'step 2', 'yield', 'step 3', 'step 4', 'step 5', 'yield', 'step 6']);
  expect(chunks).toEqual([12, 12, 4]);
  expect(done).toEqual([3, 6]);
});

test('no steps, no chunks', async () => {
  const v = virtual(1);
  expect(await runInChunks(0, v.step, { scheduler: v.scheduler })).toEqual([]);
});
