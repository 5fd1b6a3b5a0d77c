// One task at a time; a waiting apply is replaced by a newer one.

import { TaskQueue } from '../../../figma-plugin/main/task-queue';

test('tasks run one at a time, in order, and a newer apply replaces the one still waiting', async () => {
  const queue = new TaskQueue(() => undefined);
  const ran: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  queue.push('apply', async () => {
    ran.push('apply 1 start');
    await gate;
    ran.push('apply 1 end');
  });
  queue.push('apply', async () => void ran.push('apply 2'));
  queue.push('other', async () => void ran.push('settings'));
  queue.push('apply', async () => void ran.push('apply 3'));
  release();
  await queue.idle();
  expect(ran).toEqual(['apply 1 start', 'apply 1 end', 'settings', 'apply 3']);
});

test('a failing task is reported and the next one still runs', async () => {
  const errors: unknown[] = [];
  const queue = new TaskQueue((err) => errors.push(err));
  const ran: string[] = [];
  queue.push('other', async () => {
    throw new Error('boom');
  });
  queue.push('other', async () => void ran.push('next'));
  await queue.idle();
  expect(errors).toEqual([new Error('boom')]);
  expect(ran).toEqual(['next']);
});

test('idle resolves at once when nothing is queued', async () => {
  await expect(new TaskQueue(() => undefined).idle()).resolves.toBeUndefined();
});
