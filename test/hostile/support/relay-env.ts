// The relay settings hostile tests start from: the defaults a production relay has for the limits per
// client address (the test helpers raise them for ordinary tests, where every client is 127.0.0.1),
// since the attacker here comes from other loopback addresses (see attacker.ts).

import { SETTINGS } from '../../../relay/settings';
import { LOOPBACK_CLIENT_LIMITS } from '../../helpers/relay-process';

/** The documented defaults of every limit LOOPBACK_CLIENT_LIMITS raises. */
export const PRODUCTION_CLIENT_LIMITS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.keys(LOOPBACK_CLIENT_LIMITS).map((env) => {
    const setting = SETTINGS.find((s) => s.env === env);
    if (!setting) throw new Error(`${env} is not a relay setting`);
    return [env, setting.fallback];
  }),
);

/** Polls `check` every 50 ms until it holds; false when `ms` pass first. */
export async function eventually(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
