// Wall-clock time with sub-millisecond precision, comparable between processes on one machine:
// publish-to-send latency is measured from a commit in one relay process to a send in another.

import { performance } from 'node:perf_hooks';

/** Unix ms with a fractional part. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
