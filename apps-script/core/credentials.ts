// A new channel's claim, id and secret, made from UUIDs (the only randomness Apps Script offers).

import { channelIdForClaimWith } from '../../shared/protocol/channel-claim';
import { base64UrlEncode, hexToBytes } from '../../shared/protocol/signing';

/** UUIDs that go into one secret (or claim). */
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

/**
 * A claim and the channel id derived from it (shared/protocol/channel-claim.ts). The claim is made like a
 * secret (32 random bytes) and kept beside it, never shown: only whoever holds it can register the id
 * again after a relay forgot the channel, while the id itself travels in every pairing code.
 */
export function newChannelClaim(uuids: readonly string[], sha256Hex: (text: string) => string): { claim: string; channelId: string } {
  const claim = secretFromUuids(uuids, sha256Hex);
  return { claim, channelId: channelIdForClaimWith(claim, sha256Hex) };
}
