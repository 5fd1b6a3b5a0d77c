// Token buckets: a burst is allowed at once, then the sustained rate refills it.

import { KeyedRateLimit, TokenBucket } from '../../relay/rate-limit';

test('a bucket allows its burst at once and refuses the next', () => {
  const bucket = new TokenBucket(2, 3, 0);
  expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
});

test('a bucket refills at its rate, never past its burst', () => {
  const bucket = new TokenBucket(2, 3, 0);
  for (let i = 0; i < 3; i++) bucket.take(0);
  expect(bucket.take(499)).toBe(false);
  expect(bucket.take(500)).toBe(true);
  expect(bucket.isFull(10_000)).toBe(true);
  expect([bucket.take(10_000), bucket.take(10_000), bucket.take(10_000), bucket.take(10_000)]).toEqual([true, true, true, false]);
});

test('keyed limits are independent per key', () => {
  const limit = new KeyedRateLimit(1, 1);
  expect([limit.take('a', 0), limit.take('a', 0), limit.take('b', 0)]).toEqual([true, false, true]);
});

test('a keyed limiter remembers at most maxKeys draining buckets: a new key past them is refused until some refill', () => {
  const limit = new KeyedRateLimit(1, 1, 2);
  expect([limit.take('a', 0), limit.take('b', 0), limit.take('c', 0)]).toEqual([true, true, false]);
  expect(limit.size).toBe(2);
  // A second on, a and b are full again and forgotten, so c gets a bucket.
  expect(limit.take('c', 1500)).toBe(true);
  expect(limit.size).toBe(1);
});
