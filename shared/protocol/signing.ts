// Request signing (add-on → relay), subscribe tokens (derived from the secret) and the
// constant-time comparison both checks need. Pure, so Apps Script, Node and browsers agree.

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { utf8Encode } from './utf8';

export const SIGNATURE_HEADER = 'X-Sync-Signature';
export const TIMESTAMP_HEADER = 'X-Sync-Timestamp';
/** Largest difference between a request's timestamp and the relay's clock. */
export const MAX_SKEW_MS = 5 * 60 * 1000;

/** The exact text that is signed: timestamp + "." + METHOD + "." + path + "." + body. */
export function signingText(timestamp: number | string, method: string, path: string, body: string): string {
  return `${timestamp}.${method.toUpperCase()}.${path}.${body}`;
}

/** Lowercase hex HMAC-SHA256 of `text` under `key`, both taken as their UTF-8 bytes. */
export type HmacSha256Hex = (key: string, text: string) => string;

/** The portable implementation (@noble/hashes), used wherever no native one is given. */
export const hmacSha256Hex: HmacSha256Hex = (key, text) => bytesToHex(hmac(sha256, utf8Encode(key), utf8Encode(text)));

/**
 * `v1=<hex HMAC-SHA256(secret, signingText)>`; the key is the secret's UTF-8 bytes. A runtime with a
 * native HMAC (Apps Script's Utilities) passes it as `mac`: the rule stays here, only the arithmetic moves.
 */
export function signRequest(secret: string, timestamp: number | string, method: string, path: string, body: string, mac: HmacSha256Hex = hmacSha256Hex): string {
  return signRequestWith(mac, secret, timestamp, method, path, body);
}

/**
 * signRequest with the HMAC always given: a bundle that calls only the `…With` forms leaves
 * @noble/hashes out (the add-on signs with Apps Script's Utilities and needs nothing newer than ES2020).
 */
export function signRequestWith(mac: HmacSha256Hex, secret: string, timestamp: number | string, method: string, path: string, body: string): string {
  return `v1=${mac(secret, signingText(timestamp, method, path, body))}`;
}

/** base64url(HMAC-SHA256(secret, "subscribe:" + channelId)), no padding: what a plugin presents. */
export function subscribeToken(secret: string, channelId: string): string {
  return subscribeTokenWith(hmacSha256Hex, secret, channelId);
}

/** subscribeToken with the HMAC given (see signRequestWith). */
export function subscribeTokenWith(mac: HmacSha256Hex, secret: string, channelId: string): string {
  return base64UrlEncode(hexToBytes(mac(secret, `subscribe:${channelId}`)));
}

/** The bytes of lowercase or uppercase hex (an even number of digits). */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) throw new Error('hexToBytes: not hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Compares two strings in time that depends only on their length (lengths here are public: hex or base64url of fixed size). */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * The checks of a signed request that need no body: both headers well formed, the timestamp within
 * MAX_SKEW_MS of `now`. A relay runs these before reading a body; checkSignature runs them first too.
 */
export function checkSignatureHeaders(timestamp: string | undefined, signature: string | undefined, now: number): 'MISSING_SIGNATURE' | 'CLOCK_SKEW' | undefined {
  if (!timestamp || !signature || !/^\d{1,16}$/.test(timestamp) || !signature.startsWith('v1=')) return 'MISSING_SIGNATURE';
  if (Math.abs(now - Number(timestamp)) > MAX_SKEW_MS) return 'CLOCK_SKEW';
  return undefined;
}

/**
 * Why a signed request fails, or undefined when it is good. `now` and `timestamp` are unix ms. The
 * relay passes Node's HMAC as `mac` (bodies can be megabytes); the rule is the same everywhere.
 */
export function checkSignature(
  secret: string,
  request: { timestamp: string | undefined; signature: string | undefined; method: string; path: string; body: string },
  now: number,
  mac: HmacSha256Hex = hmacSha256Hex,
): 'MISSING_SIGNATURE' | 'CLOCK_SKEW' | 'BAD_SIGNATURE' | undefined {
  const { timestamp, signature } = request;
  const early = checkSignatureHeaders(timestamp, signature, now);
  if (early) return early;
  const expected = signRequest(secret, timestamp!, request.method, request.path, request.body, mac);
  return constantTimeEqual(expected, signature!.toLowerCase()) ? undefined : 'BAD_SIGNATURE';
}

/** Hex SHA-256 of a token, so a relay can remember revoked tokens without keeping them. */
export function tokenFingerprint(token: string): string {
  return bytesToHex(sha256(utf8Encode(token))).slice(0, 32);
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding (RFC 4648 §5). */
export function base64UrlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]! + B64URL[n & 63]!;
  }
  if (i < bytes.length) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]!;
    if (i + 1 < bytes.length) out += B64URL[(n >> 6) & 63]!;
  }
  return out;
}

/** Decodes base64url (padding optional); undefined for text that is not base64url. */
export function base64UrlDecode(text: string): Uint8Array | undefined {
  const clean = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(clean) || clean.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < clean.length; i++) {
    acc = (acc << 6) | B64URL.indexOf(clean[i]!);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}
