// How a hostile test checks the well-behaved channel beside an attack: it kept every change, in order,
// was never refused, and its delivery delay stayed under a ceiling that is generous for a test on a
// shared 2-core machine (the bench, bench/relay/under-attack.ts, holds the 50 ms target).

import type { Bystander } from './bystander';

/** Within REQUEST_RATE (20/s by default): a well-behaved sheet is never rate limited, however long the test. */
export const WELL_BEHAVED = { intervalMs: 75 } as const;
export const BYSTANDER_P99_CEILING_MS = 1500;

/**
 * Stops the bystander and asserts it was not harmed during `window`. `atGlobalCap`: the attack holds
 * MAX_CONNECTIONS, where a new connection is closed at accept whoever opens it (the relay cannot tell
 * an honest address from an attacker's there): a post that needed a new connection may then fail with
 * a network error, which the sheet retries, so nothing may be lost but such refusals are allowed.
 */
export async function expectBystanderUnharmed(bystander: Bystander, window: number, options: { atGlobalCap?: boolean } = {}): Promise<void> {
  const latency = bystander.latency(window);
  const tally = await bystander.stop();
  const why = bystander.refusals();
  if (options.atGlobalCap) {
    for (const reason of Object.keys(why)) if (reason.startsWith('network:')) delete why[reason];
    expect({ lost: tally.lost, outOfOrder: tally.outOfOrder, why }).toEqual({ lost: 0, outOfOrder: 0, why: {} });
  } else {
    expect({ lost: tally.lost, outOfOrder: tally.outOfOrder, refused: tally.refused, why }).toEqual({ lost: 0, outOfOrder: 0, refused: 0, why: {} });
  }
  expect(latency.count).toBeGreaterThan(0);
  expect(latency.p99).toBeLessThan(BYSTANDER_P99_CEILING_MS);
}
