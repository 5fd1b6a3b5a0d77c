// Steps run in chunks that end once their time budget is used, with a yield between chunks; a
// stretch of main-thread time yields only once its budget is used (or would be by what comes next).

import { runInChunks, Stretch } from '../../../figma-plugin/main/chunked';

function virtual(stepMs: number) {
  let t = 0;
  const log: string[] = [];
  return {
    log,
    spend: (ms: number) => {
      t += ms;
    },
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

test('a stretch under its budget goes on without a yield, even with the next work counted', async () => {
  const v = virtual(0);
  const stretch = new Stretch(v.scheduler, 40);
  v.spend(10);
  expect(await stretch.yieldIfDue(29)).toBe(false);
  expect(v.log).toEqual([]);
  expect(stretch.elapsed()).toBe(10);
});

test('a stretch yields when the next work would take it to its budget, then starts again from zero', async () => {
  const v = virtual(0);
  const stretch = new Stretch(v.scheduler, 40);
  v.spend(10);
  expect(await stretch.yieldIfDue(30)).toBe(true);
  expect(v.log).toEqual(['yield']);
  expect(stretch.elapsed()).toBe(0);
  expect(stretch.yieldedAfter).toEqual([10]);
});

test('a stretch that has used its budget yields with nothing more to come', async () => {
  const v = virtual(0);
  const stretch = new Stretch(v.scheduler, 40);
  v.spend(40);
  expect(await stretch.yieldIfDue()).toBe(true);
  expect(stretch.yieldedAfter).toEqual([40]);
});

test('a stretch that has used no time does not yield, however long the next work is (a turn would gain nothing)', async () => {
  const v = virtual(0);
  const stretch = new Stretch(v.scheduler, 40);
  expect(await stretch.yieldIfDue(500)).toBe(false);
  expect(v.log).toEqual([]);
});

test('steps that continue a stretch count the time it already used: the first chunk ends early', async () => {
  const v = virtual(4);
  const stretch = new Stretch(v.scheduler, 10);
  v.spend(7);
  const chunks = await runInChunks(4, v.step, { scheduler: v.scheduler, stretch });
  expect(v.log).toEqual(['step 0', 'yield', 'step 1', 'step 2', 'step 3']);
  expect(chunks).toEqual([4, 12]);
  expect(stretch.yieldedAfter).toEqual([11]);
});

test('a thousand tiny steps that end within the budget run as one chunk, without a yield', async () => {
  const v = virtual(0.001);
  const chunks = await runInChunks(1000, v.step, { scheduler: v.scheduler, budgetMs: 40 });
  expect(v.log.filter((entry) => entry === 'yield')).toEqual([]);
  expect(chunks).toHaveLength(1);
});
