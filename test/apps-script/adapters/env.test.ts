// The add-on's native hashing (Utilities over the fake, which computes real digests and returns Java's
// signed bytes) gives exactly what shared/ computes in script: the relay checks signatures with
// shared/protocol/signing.ts, so a request signed natively must carry the very same signature.

import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { sha256Hex } from '../../../shared/protocol/canonical-hash';
import { paths } from '../../../shared/protocol/messages';
import { base64UrlEncode, checkSignature, hmacSha256Hex, signRequest } from '../../../shared/protocol/signing';
import { fakeUtilities } from '../../fakes/apps-script/utilities';

const calls: string[] = [];
const scope = globalThis as { Utilities?: GoogleAppsScript.Utilities.Utilities };
scope.Utilities = fakeUtilities(
  (name) => calls.push(name),
  () => undefined,
);
afterAll(() => {
  delete scope.Utilities;
});

// Loaded after the global is in place, as Apps Script provides it before any script runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { envPort, javaBytesToHex } = require('../../../apps-script/adapters/env') as typeof import('../../../apps-script/adapters/env');

/** A secret as pairing makes one: base64url of 32 random bytes. */
const secret = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => base64UrlEncode(bytes));
/** A change body as the add-on sends it: JSON text of any cell values, unicode and lone surrogates included. */
const body = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()), { maxLength: 30 })
  .map((values) => JSON.stringify({ v: 2, id: 'c1', kind: 'patch', tabs: [{ tabId: 0, name: 'Colors', ranges: [{ row: 2, col: 1, values: [values] }] }], hash: '' }));

test('Utilities.computeHmacSha256Signature answers Java bytes: 32 numbers from -128 to 127, some negative', () => {
  const bytes = Utilities.computeHmacSha256Signature('what do ya want for nothing?', 'Jefe', Utilities.Charset.UTF_8);
  expect(bytes).toHaveLength(32);
  expect(bytes.every((b) => Number.isInteger(b) && b >= -128 && b <= 127)).toBe(true);
  expect(bytes.some((b) => b < 0)).toBe(true);
});

test('the native HMAC of RFC 4231 test case 2 is its published value, as is the portable one', () => {
  const expected = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
  expect(envPort.hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(expected);
  expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(expected);
});

test('a request signed with the native HMAC carries the signature shared/protocol/signing.ts computes, and the relay check accepts it', () => {
  fc.assert(
    fc.property(secret, body, fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 }), fc.constantFrom('post', 'PUT', 'get'), (key, text, timestamp, method) => {
      const path = paths.changes('ch_0123456789abcdef');
      const native = signRequest(key, timestamp, method, path, text, envPort.hmacSha256Hex);
      expect(native).toBe(signRequest(key, timestamp, method, path, text));
      expect(checkSignature(key, { timestamp: String(timestamp), signature: native, method, path, body: text }, timestamp)).toBeUndefined();
    }),
    { numRuns: 300 },
  );
});

test('the native HMAC takes the key and the text as UTF-8, like the portable one, for any well-formed text', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 200 }), (key, text) => {
      expect(envPort.hmacSha256Hex(key, text)).toBe(hmacSha256Hex(key, text));
      expect(envPort.hmacSha256Hex(key, text)).toBe(createHmac('sha256', Buffer.from(key, 'utf8')).update(text, 'utf8').digest('hex'));
    }),
    { numRuns: 300 },
  );
});

test('the native SHA-256 is the portable one', () => {
  for (const text of ['', 'abc', 'é', '🎨', '[[0,"Colors",[["Name","Value"]]]]']) expect(envPort.sha256Hex(text)).toBe(sha256Hex(text));
});

test('Java bytes become lowercase hex two digits each, negative bytes as their unsigned value', () => {
  expect(javaBytesToHex([0, 1, 15, 16, 127, -128, -1])).toBe('00010f107f80ff');
});

test('signing goes through Utilities.computeHmacSha256Signature once per request', () => {
  calls.length = 0;
  signRequest('k', 1, 'POST', '/v2/channels/c/changes', '{}', envPort.hmacSha256Hex);
  expect(calls).toEqual(['Utilities.computeHmacSha256Signature']);
});
