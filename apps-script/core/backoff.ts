// When to try the relay again after a failure: exponential backoff with equal jitter, capped.

export const RETRY = {
  /** First wait after a failure. */
  minMs: 5_000,
  /** Longest wait; the hourly sweep tries regardless, so this only paces edits that keep coming. */
  maxMs: 10 * 60_000,
} as const;

/**
 * The wait before attempt `attempt` (1 = the first retry): min·2^(attempt-1), capped at max, of
 * which the upper half is random (`random` in [0, 1)), so several documents recovering together
 * do not all knock at once, yet a retry never comes sooner than half the step.
 */
export function backoffDelay(attempt: number, random: number, minMs: number = RETRY.minMs, maxMs: number = RETRY.maxMs): number {
  const step = Math.min(maxMs, minMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(step / 2 + (step / 2) * Math.min(Math.max(random, 0), 1));
}
