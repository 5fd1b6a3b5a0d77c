// Channel ids derived from a secret claim: the add-on keeps the claim, the id is a hash of it, so only
// whoever made the id can register it, even after a relay forgot the channel (expiry, data loss) and
// anyone holding a pairing code (which names the id) tries to claim it first.

import { sha256 } from '@noble/hashes/sha2.js';
import { base64UrlEncode, constantTimeEqual, hexToBytes } from './signing';
import { utf8Encode } from './utf8';

/** What is hashed before the claim, so the hash serves no other purpose. */
export const CLAIM_CONTEXT = 'sfs-channel:';
/** A claim is base64url text of at least 32 random bytes (43 characters), at most 128 characters. */
export const CLAIM_RE = /^[A-Za-z0-9_-]{43,128}$/;

/**
 * "c" + the first 31 characters of base64url(SHA-256(UTF-8("sfs-channel:" + claim))): 32 characters,
 * 186 bits. `sha256Hex` is the runtime's digest (lowercase hex of the text's UTF-8 SHA-256), so the
 * add-on passes Apps Script's native one and carries no JavaScript SHA-256.
 */
export function channelIdForClaimWith(claim: string, sha256Hex: (text: string) => string): string {
  return `c${base64UrlEncode(hexToBytes(sha256Hex(CLAIM_CONTEXT + claim))).slice(0, 31)}`;
}

/** channelIdForClaimWith with @noble/hashes' SHA-256 (relay, plugin, tests). */
export function channelIdForClaim(claim: string): string {
  return `c${base64UrlEncode(sha256(utf8Encode(CLAIM_CONTEXT + claim))).slice(0, 31)}`;
}

/** Whether `claim` is well formed and derives `channelId` (compared in constant time). */
export function claimProves(channelId: string, claim: string): boolean {
  return CLAIM_RE.test(claim) && constantTimeEqual(channelIdForClaim(claim), channelId);
}
