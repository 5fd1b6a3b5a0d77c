// The Utilities fake's digests and HMAC: real values, Java's signed bytes, and the charset forms.

import { createHash, createHmac } from 'node:crypto';
import { fakeUtilities, fromJavaBytes } from './utilities';

const utilities = fakeUtilities(
  () => undefined,
  () => undefined,
);
const hex = (bytes: number[]) => fromJavaBytes(bytes).toString('hex');

test('computeHmacSha256Signature of two strings is HMAC-SHA256 of their UTF-8 bytes, with or without the UTF_8 charset', () => {
  const expected = createHmac('sha256', 'clé').update('valeur 🎨').digest('hex');
  expect(hex(utilities.computeHmacSha256Signature('valeur 🎨', 'clé'))).toBe(expected);
  expect(hex(utilities.computeHmacSha256Signature('valeur 🎨', 'clé', utilities.Charset.UTF_8))).toBe(expected);
});

test('computeHmacSha256Signature of two byte arrays signs those bytes', () => {
  const key = [-1, 0, 127, -128];
  const value = [104, 105, -61, -87];
  const expected = createHmac('sha256', Buffer.from([255, 0, 127, 128])).update(Buffer.from([104, 105, 195, 169])).digest('hex');
  expect(hex(utilities.computeHmacSha256Signature(value, key))).toBe(expected);
});

test('with US_ASCII, each character outside ASCII (a surrogate pair counts as one) is signed as "?"', () => {
  const expected = createHmac('sha256', 'k?').update('a?b?').digest('hex');
  expect(hex(utilities.computeHmacSha256Signature('aéb🎨', 'kü', utilities.Charset.US_ASCII))).toBe(expected);
});

test('computeDigest honours the charset as the HMAC does', () => {
  expect(hex(utilities.computeDigest(utilities.DigestAlgorithm.SHA_256, 'é', utilities.Charset.UTF_8))).toBe(createHash('sha256').update('é').digest('hex'));
  expect(hex(utilities.computeDigest(utilities.DigestAlgorithm.SHA_256, 'é', utilities.Charset.US_ASCII))).toBe(createHash('sha256').update('?').digest('hex'));
});

test('an unknown charset is refused as Apps Script refuses it', () => {
  expect(() => utilities.computeHmacSha256Signature('v', 'k', 'UTF_16' as unknown as GoogleAppsScript.Utilities.Charset)).toThrow('Invalid argument: charset');
});

test('a string value with a byte-array key matches no form of the method', () => {
  expect(() => (utilities.computeHmacSha256Signature as (v: unknown, k: unknown) => number[])('v', [1, 2])).toThrow('Invalid argument: key');
});
