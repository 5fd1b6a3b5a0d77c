// EnvPort over the runtime: clock, UUIDs (Utilities.getUuid), jitter, native SHA-256 and HMAC-SHA256
// (Utilities), and the test-only flag that lets the fakes use a plain-http relay on loopback.

import type { EnvPort } from '../core/ports';
import { ALLOW_INSECURE_RELAY_FOR_TESTS } from '../core/relay-url';

export const envPort: EnvPort = {
  now: () => Date.now(),
  uuid: () => Utilities.getUuid(),
  random: () => Math.random(),
  sha256Hex(text: string): string {
    return javaBytesToHex(Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, text, Utilities.Charset.UTF_8));
  },
  hmacSha256Hex(key: string, text: string): string {
    // The charset form encodes both the value and the key as UTF-8, as shared/protocol/signing.ts does. The texts
    // signed are JSON (JSON.stringify escapes lone surrogates), so Java's and TextEncoder's UTF-8 agree.
    return javaBytesToHex(Utilities.computeHmacSha256Signature(text, key, Utilities.Charset.UTF_8));
  },
  allowInsecureRelay(): boolean {
    // Only a test sets this (in the fake's script or document properties); a deployment never does.
    const set = (props: GoogleAppsScript.Properties.Properties | null) => props?.getProperty(ALLOW_INSECURE_RELAY_FOR_TESTS) === 'true';
    return set(PropertiesService.getScriptProperties()) || set(PropertiesService.getDocumentProperties());
  },
};

/** Lowercase hex of a Java byte[] as Apps Script hands it over: numbers from −128 to 127. */
export function javaBytesToHex(bytes: readonly number[]): string {
  let hex = '';
  for (const b of bytes) hex += ((b & 0xff) + 0x100).toString(16).slice(1);
  return hex;
}
