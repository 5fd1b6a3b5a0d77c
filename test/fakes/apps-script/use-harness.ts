// One add-on harness per describe block: started before its tests and closed after them, so each
// integration suite says only what differs (the relay's settings) instead of repeating the hooks.

import { startHarness, type Harness, type HarnessOptions } from './harness';

/** How long building the add-on and starting a relay process may take. */
const START_TIMEOUT_MS = 120_000;

/**
 * Registers beforeAll/afterAll in the calling describe block and returns the harness they start.
 * Use it inside tests and hooks only: before beforeAll has run there is no harness to read.
 */
export function useHarness(relayEnv: Record<string, string> = {}, options: HarnessOptions = {}): Harness {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(relayEnv, options);
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await started?.close();
  });
  const current = (): Harness => {
    if (!started) throw new Error('the add-on harness starts in beforeAll; use it inside a test or a hook');
    return started;
  };
  // Each member reads the started harness when used, so the object can be handed out at collection time.
  return {
    get addon() {
      return current().addon;
    },
    get relay() {
      return current().relay;
    },
    get gate() {
      return current().gate;
    },
    get worlds() {
      return current().worlds;
    },
    get mirrors() {
      return current().mirrors;
    },
    world: (options) => current().world(options),
    close: () => current().close(),
  };
}
