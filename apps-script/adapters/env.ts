// EnvPort over the runtime: clock, UUIDs (Utilities.getUuid), jitter, and the test-only flag that
// lets the fakes use a plain-http relay on loopback.

import type { EnvPort } from '../core/ports';
import { ALLOW_INSECURE_RELAY_FOR_TESTS } from '../core/relay-url';

export const envPort: EnvPort = {
  now: () => Date.now(),
  uuid: () => Utilities.getUuid(),
  random: () => Math.random(),
  sha256Hex(text: string): string {
    const bytes = Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, text, Utilities.Charset.UTF_8);
    let hex = '';
    for (const b of bytes) hex += ((b & 0xff) + 0x100).toString(16).slice(1); // Java bytes are signed
    return hex;
  },
  allowInsecureRelay(): boolean {
    // Only a test sets this (in the fake's script or document properties); a deployment never does.
    const set = (props: GoogleAppsScript.Properties.Properties | null) => props?.getProperty(ALLOW_INSECURE_RELAY_FOR_TESTS) === 'true';
    return set(PropertiesService.getScriptProperties()) || set(PropertiesService.getDocumentProperties());
  },
};
