// backoff(): full jitter between min and an exponentially growing ceiling, capped at max.

import fc from 'fast-check';
import { backoff } from '../../../figma-plugin/ui/backoff';

describe('backoff', () => {
  test('the first retry waits between min and twice min', () => {
    expect(backoff(0, 500, 30_000, () => 0)).toBe(500);
    expect(backoff(0, 500, 30_000, () => 1)).toBe(1000);
    expect(backoff(0, 500, 30_000, () => 0.5)).toBe(750);
  });

  test('the ceiling doubles with each attempt until it reaches max', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7, 40].map((attempt) => backoff(attempt, 500, 30_000, () => 1));
    expect(ceilings).toEqual([1000, 1500, 2500, 4500, 8500, 16_500, 30_000, 30_000, 30_000]);
  });

  test('full jitter: a random 0 waits only min at any attempt', () => {
    expect([0, 3, 10, 1000].map((attempt) => backoff(attempt, 500, 30_000, () => 0))).toEqual([500, 500, 500, 500]);
  });

  test('every wait lies within [min, max] and within the attempt ceiling', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, min, extra, r) => {
          const max = min + extra;
          const wait = backoff(attempt, min, max, () => r);
          expect(wait).toBeGreaterThanOrEqual(min);
          expect(wait).toBeLessThanOrEqual(max);
          expect(wait).toBeLessThanOrEqual(Math.round(min + min * 2 ** Math.min(attempt, 31)));
        },
      ),
    );
  });

  test('a random source outside [0, 1) is clamped rather than trusted', () => {
    expect(backoff(2, 500, 30_000, () => 7)).toBe(2500);
    expect(backoff(2, 500, 30_000, () => -3)).toBe(500);
  });

  test('a negative attempt is refused', () => {
    expect(() => backoff(-1, 500, 30_000)).toThrow(new RangeError('backoff: attempt must be a whole number ≥ 0, got -1'));
  });

  test('a fractional attempt is refused', () => {
    expect(() => backoff(1.5, 500, 30_000)).toThrow(new RangeError('backoff: attempt must be a whole number ≥ 0, got 1.5'));
  });

  test('a minimum of zero is refused', () => {
    expect(() => backoff(0, 0, 30_000)).toThrow(new RangeError('backoff: minMs must be > 0, got 0'));
  });

  test('a maximum below the minimum is refused', () => {
    expect(() => backoff(0, 500, 100)).toThrow(new RangeError('backoff: maxMs must be ≥ minMs (500), got 100'));
  });

  test('with Math.random the waits vary between calls', () => {
    const waits = new Set(Array.from({ length: 50 }, () => backoff(6, 500, 30_000)));
    expect(waits.size).toBeGreaterThan(10);
  });
});
