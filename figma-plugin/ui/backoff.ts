// How long to wait before reconnect attempt N: exponential growth with full jitter, capped.

/**
 * The wait before reconnect attempt `attempt` (0 for the first retry after a success), in ms.
 * Full jitter (centrifuge-js `backoff`, AWS "Exponential Backoff and Jitter"): a random wait between
 * `minMs` and `min(maxMs, minMs + minMs * 2^attempt)`, so many plugins dropped by one relay restart
 * spread their reconnects instead of arriving together. The caller resets `attempt` to 0 on success.
 */
export function backoff(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`backoff: attempt must be a whole number ≥ 0, got ${attempt}`);
  if (!(minMs > 0)) throw new RangeError(`backoff: minMs must be > 0, got ${minMs}`);
  if (!(maxMs >= minMs)) throw new RangeError(`backoff: maxMs must be ≥ minMs (${minMs}), got ${maxMs}`);
  // 2^31 already exceeds any sensible cap; stopping there keeps the arithmetic finite.
  const ceiling = Math.min(maxMs - minMs, minMs * 2 ** Math.min(attempt, 31));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(minMs + r * ceiling);
}
