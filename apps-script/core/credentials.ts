// A new channel's id and secret, made from UUIDs (the only randomness Apps Script offers).

import { base64UrlEncode, hexToBytes } from '../../shared/signing';

/** UUIDs that go into one secret. */
export const SECRET_UUIDS = 3;

/**
 * A secret of 32 bytes, base64url (43 characters). Utilities.getUuid() gives version-4 UUIDs with
 * 122 random bits each (from Java's SecureRandom on Google's side), so three carry 366 bits; SHA-256
 * of their text keeps 256 of them, which is what the protocol asks for (≥ 32 random bytes).
 * `sha256Hex` is the runtime's digest (Utilities.computeDigest in Apps Script).
 */
export function secretFromUuids(uuids: readonly string[], sha256Hex: (text: string) => string): string {
  if (uuids.length < SECRET_UUIDS || new Set(uuids).size !== uuids.length) {
    throw new Error(`a secret needs ${SECRET_UUIDS} distinct UUIDs`);
  }
  return base64UrlEncode(hexToBytes(sha256Hex(uuids.join(':'))));
}

/** A channel id: a UUID's 32 hex digits. It names the channel; only the secret guards it. */
export function channelIdFromUuid(uuid: string): string {
  const id = uuid.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(id)) throw new Error(`not a UUID: ${uuid}`);
  return id;
}
