// The replay guard: a signature is accepted once within its window, and forgotten after it.

import { MemoryReplayGuard, REPLAY_WINDOW_MS } from '../../relay/replay-guard';

test('a signature is accepted the first time and refused while remembered', () => {
  const guard = new MemoryReplayGuard();
  expect([guard.claim('sig-a', REPLAY_WINDOW_MS, 0), guard.claim('sig-a', REPLAY_WINDOW_MS, 1000), guard.claim('sig-b', REPLAY_WINDOW_MS, 1000)]).toEqual([true, false, true]);
});

test('a signature is accepted again once its window has passed, and expired ones are swept', () => {
  const guard = new MemoryReplayGuard();
  guard.claim('sig-a', 10_000, 0);
  guard.claim('sig-b', 10_000, 5000);
  expect(guard.claim('sig-a', 10_000, 10_001)).toBe(true);
  expect(guard.size).toBe(2);
  guard.claim('sig-c', 10_000, 30_000);
  expect(guard.size).toBe(1);
});

test('the window is twice the allowed clock skew (10 minutes)', () => {
  expect(REPLAY_WINDOW_MS).toBe(10 * 60 * 1000);
});

test('a full guard drops expired signatures first and refuses with OVERLOADED only when none has expired', () => {
  const guard = new MemoryReplayGuard(2);
  guard.claim('sig-a', 10_000, 0);
  guard.claim('sig-b', 10_000, 100);
  expect(() => guard.claim('sig-c', 10_000, 5000)).toThrow(expect.objectContaining({ code: 'OVERLOADED' }));
  expect(guard.claim('sig-a', 10_000, 5000)).toBe(false);
  expect(guard.claim('sig-c', 10_000, 10_050)).toBe(true);
  expect(guard.size).toBe(2);
});
