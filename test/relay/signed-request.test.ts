// The relay's signature check (Node HMAC) decides exactly as the shared checkSignature does.

import fc from 'fast-check';
import { SyncError } from '../../shared/protocol/errors';
import { checkSignature, signRequest } from '../../shared/protocol/signing';
import { assertSignature } from '../../relay/signed-request';

function relayVerdict(secret: string, parts: Parameters<typeof assertSignature>[1], now: number): string | undefined {
  try {
    assertSignature(secret, parts, now);
    return undefined;
  } catch (err) {
    return (err as SyncError).code;
  }
}

test('for any request, the relay and shared/protocol/signing.ts agree on the verdict', () => {
  const now = 1_800_000_000_000;
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 60 }),
      fc.string({ maxLength: 200 }),
      fc.integer({ min: -700_000, max: 700_000 }),
      fc.constantFrom('good', 'other-secret', 'garbled', 'uppercase', 'missing', 'no-prefix'),
      (secret, body, skew, tamper) => {
        const timestamp = String(now + skew);
        const path = '/v2/channels/abcdefghijklmnop/changes';
        const good = signRequest(secret, timestamp, 'POST', path, body);
        const signature = {
          good,
          'other-secret': signRequest(`${secret}x`, timestamp, 'POST', path, body),
          garbled: `v1=${'zz'.repeat(32)}`,
          uppercase: good.toUpperCase().replace('V1=', 'v1='),
          missing: undefined,
          'no-prefix': good.slice(3),
        }[tamper];
        const parts = { timestamp, signature, method: 'POST', path, body };
        expect(relayVerdict(secret, parts, now)).toBe(checkSignature(secret, parts, now));
      },
    ),
    { numRuns: 300 },
  );
});

test('a non-numeric timestamp is MISSING_SIGNATURE', () => {
  const parts = { timestamp: 'yesterday', signature: 'v1=00', method: 'GET', path: '/', body: '' };
  expect(relayVerdict('s', parts, 0)).toBe('MISSING_SIGNATURE');
});

test('a body given as its UTF-8 bytes gets the verdict its text gets', () => {
  const now = 1_800_000_000_000;
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.boolean(), (body, good) => {
      const timestamp = String(now);
      const path = '/v2/channels/abcdefghijklmnop/changes';
      const signature = good ? signRequest('secret', timestamp, 'POST', path, body) : signRequest('secret', timestamp, 'POST', path, `${body}!`);
      const parts = { timestamp, signature, method: 'POST', path };
      expect(relayVerdict('secret', { ...parts, body: Buffer.from(body, 'utf8') }, now)).toBe(relayVerdict('secret', { ...parts, body }, now));
    }),
    { numRuns: 200 },
  );
});

test('body bytes that are not UTF-8 are checked as the text they decode to, as a text body is', () => {
  const now = 1_800_000_000_000;
  const bytes = Buffer.from([0x7b, 0xff, 0xc3, 0x28, 0x7d]);
  const path = '/v2/channels/abcdefghijklmnop/changes';
  const signature = signRequest('secret', String(now), 'POST', path, bytes.toString('utf8'));
  expect(relayVerdict('secret', { timestamp: String(now), signature, method: 'POST', path, body: bytes }, now)).toBeUndefined();
});
