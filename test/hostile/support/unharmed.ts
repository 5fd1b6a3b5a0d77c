// How a hostile test checks the well-behaved channel beside an attack: it kept every change, in order,
// was never refused, and its delivery delay stayed under a ceiling that is generous for a test on a
// shared 2-core machine (the bench, bench/relay/under-attack.ts, holds the 50 ms target).

import type { Bystander } from './bystander';

/** Within REQUEST_RATE (20/s by default): a well-behaved sheet is never rate limited, however long the test. */
export const WELL_BEHAVED = { intervalMs: 75 } as const;
export const BYSTANDER_P99_CEILING_MS = 1500;

/** Stops the bystander and asserts it was not harmed during `window`. */
export async function expectBystanderUnharmed(bystander: Bystander, window: number): Promise<void> {
  const latency = bystander.latency(window);
  const tally = await bystander.stop();
  expect({ lost: tally.lost, outOfOrder: tally.outOfOrder, refused: tally.refused, why: bystander.refusals() }).toEqual({ lost: 0, outOfOrder: 0, refused: 0, why: {} });
  expect(latency.count).toBeGreaterThan(0);
  expect(latency.p99).toBeLessThan(BYSTANDER_P99_CEILING_MS);
}
