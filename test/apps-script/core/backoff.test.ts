import { RETRY, backoffDelay } from '../../../apps-script/core/backoff';

describe('the retry schedule', () => {
  it('doubles from the minimum, with the upper half of each step random', () => {
    expect([1, 2, 3].map((n) => backoffDelay(n, 0))).toEqual([RETRY.minMs / 2, RETRY.minMs, RETRY.minMs * 2]);
    expect([1, 2, 3].map((n) => backoffDelay(n, 0.999999))).toEqual([RETRY.minMs, RETRY.minMs * 2, RETRY.minMs * 4]);
  });

  it('never waits longer than the maximum, however many attempts failed', () => {
    expect(backoffDelay(200, 0.999999)).toBe(RETRY.maxMs);
    expect(backoffDelay(200, 0)).toBe(RETRY.maxMs / 2);
  });

  it('treats a random value outside [0, 1) as its nearest end', () => {
    expect([backoffDelay(1, -3), backoffDelay(1, 7)]).toEqual([RETRY.minMs / 2, RETRY.minMs]);
  });
});
