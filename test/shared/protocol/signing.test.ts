// Tests request signing, subscribe tokens, base64url and the constant-time comparison against
// node:crypto and Buffer as independent implementations.

import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  MAX_SKEW_MS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  base64UrlDecode,
  base64UrlEncode,
  checkSignature,
  constantTimeEqual,
  signRequest,
  signingText,
  subscribeToken,
  tokenFingerprint,
} from '../../../shared/protocol/signing';

const SECRET = 'q3Zt8kQm1w0bV4nR7yX2cE5uJ9hL6pA-sD_fG3kM8nB';
const CHANNEL = 'ch_4f9a2b7c1d3e5f60';
const NOW = 1_717_000_000_000;
const BODY = '{"v":2,"id":"c1","kind":"patch","tabs":[],"hash":"' + '0'.repeat(64) + '"}';
const PATH = `/v2/channels/${CHANNEL}/changes`;

const nodeSignature = (secret: string, timestamp: string, method: string, path: string, body: string): string =>
  `v1=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.${method}.${path}.${body}`, 'utf8').digest('hex')}`;

/** A request signed correctly at NOW, to be spoiled one way per test. */
const good = () => ({ timestamp: String(NOW), signature: nodeSignature(SECRET, String(NOW), 'POST', PATH, BODY), method: 'POST', path: PATH, body: BODY });

describe('signRequest', () => {
  it('is v1= and the hex HMAC-SHA256 of timestamp.METHOD.path.body keyed by the UTF-8 secret', () => {
    expect(signRequest(SECRET, NOW, 'POST', PATH, BODY)).toBe(nodeSignature(SECRET, String(NOW), 'POST', PATH, BODY));
  });

  it('upper-cases the method before signing', () => {
    expect(signRequest(SECRET, NOW, 'put', '/v2/channels/x', '{}')).toBe(nodeSignature(SECRET, String(NOW), 'PUT', '/v2/channels/x', '{}'));
  });

  it('signs an empty body (a GET) as an empty string after the last dot', () => {
    expect(signingText(NOW, 'GET', '/v2/channels/x/status', '')).toBe(`${NOW}.GET./v2/channels/x/status.`);
    expect(signRequest(SECRET, NOW, 'GET', '/v2/channels/x/status', '')).toBe(nodeSignature(SECRET, String(NOW), 'GET', '/v2/channels/x/status', ''));
  });

  it('agrees with node:crypto for any secret, method, path and body, unicode included', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 9_999_999_999_999 }),
        fc.constantFrom('GET', 'POST', 'PUT'),
        fc.string({ maxLength: 40 }),
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        (secret, timestamp, method, path, body) => {
          expect(signRequest(secret, timestamp, method, path, body)).toBe(nodeSignature(secret, String(timestamp), method, path, body));
        },
      ),
    );
  });

  it('names the headers X-Sync-Signature and X-Sync-Timestamp', () => {
    expect([SIGNATURE_HEADER, TIMESTAMP_HEADER]).toEqual(['X-Sync-Signature', 'X-Sync-Timestamp']);
  });
});

describe('the worked examples of docs/protocol.md (computed with openssl and Python hmac)', () => {
  const CHANGE_BODY =
    '{"v":2,"id":"c-0001","kind":"patch","tabs":[{"tabId":0,"name":"Colors 🎨","ranges":[{"row":2,"col":2,"values":[["#0066ff"]]}]}],"hash":"e66f08af8b20297e2cbf3c0eba65221fe5f1af3d10d7d9b4c2e0622eeeae3539"}';

  it('signs the documented POST of a change', () => {
    expect(signRequest(SECRET, '1717000000000', 'POST', PATH, CHANGE_BODY)).toBe('v1=4feb004a7ae33be09d629c0f480df32f57b14723536d2f360dcd4c438a85232b');
  });

  it('signs the documented GET of the status, whose body is empty', () => {
    expect(signRequest(SECRET, '1717000000000', 'GET', `/v2/channels/${CHANNEL}/status`, '')).toBe('v1=1cdb480cdf48330e494ec41d8dcd21af87d90644aa33aa8724240654d7c0498e');
  });

  it('docs/protocol.md shows these very signatures, secret and token', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/protocol.md'), 'utf8');
    const shown = [SECRET, CHANGE_BODY, signRequest(SECRET, '1717000000000', 'POST', PATH, CHANGE_BODY), signRequest(SECRET, '1717000000000', 'GET', `/v2/channels/${CHANNEL}/status`, ''), subscribeToken(SECRET, CHANNEL)];
    expect(shown.filter((text) => !doc.includes(text))).toEqual([]);
  });

  it('derives the documented subscribe token', () => {
    expect(subscribeToken(SECRET, CHANNEL)).toBe('EAfoQiCGPOZYSdj4tz2eU3BnGUg437aCApOJTyBh0Ns');
  });
});

describe('subscribeToken', () => {
  it('is base64url of HMAC-SHA256(secret, "subscribe:" + channelId), without padding', () => {
    const expected = createHmac('sha256', Buffer.from(SECRET, 'utf8')).update(`subscribe:${CHANNEL}`, 'utf8').digest('base64url');
    expect(subscribeToken(SECRET, CHANNEL)).toBe(expected);
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('agrees with node:crypto for any secret and channel id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/), (secret, channelId) => {
        const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`subscribe:${channelId}`, 'utf8').digest('base64url');
        expect(subscribeToken(secret, channelId)).toBe(expected);
      }),
    );
  });

  it('changes when the secret is rotated', () => {
    expect(subscribeToken(`${SECRET}x`, CHANNEL)).not.toBe(subscribeToken(SECRET, CHANNEL));
  });
});

describe('checkSignature', () => {
  it('accepts a correctly signed request', () => {
    expect(checkSignature(SECRET, good(), NOW)).toBeUndefined();
  });

  it('accepts a signature written in upper-case hex', () => {
    const request = good();
    expect(checkSignature(SECRET, { ...request, signature: `v1=${request.signature.slice(3).toUpperCase()}` }, NOW)).toBeUndefined();
  });

  it('accepts a lower-case method, since the method is upper-cased before signing', () => {
    expect(checkSignature(SECRET, { ...good(), method: 'post' }, NOW)).toBeUndefined();
  });

  it('answers MISSING_SIGNATURE when the signature header is missing', () => {
    expect(checkSignature(SECRET, { ...good(), signature: undefined }, NOW)).toBe('MISSING_SIGNATURE');
  });

  it('answers MISSING_SIGNATURE when the timestamp header is missing', () => {
    expect(checkSignature(SECRET, { ...good(), timestamp: undefined }, NOW)).toBe('MISSING_SIGNATURE');
  });

  it('answers MISSING_SIGNATURE when the timestamp is empty', () => {
    expect(checkSignature(SECRET, { ...good(), timestamp: '' }, NOW)).toBe('MISSING_SIGNATURE');
  });

  it('answers MISSING_SIGNATURE when the timestamp is not unix milliseconds in digits', () => {
    expect(checkSignature(SECRET, { ...good(), timestamp: new Date(NOW).toISOString() }, NOW)).toBe('MISSING_SIGNATURE');
  });

  it('answers MISSING_SIGNATURE when the timestamp is negative', () => {
    expect(checkSignature(SECRET, { ...good(), timestamp: `-${NOW}` }, NOW)).toBe('MISSING_SIGNATURE');
  });

  it('answers MISSING_SIGNATURE when the signature lacks the v1= prefix', () => {
    expect(checkSignature(SECRET, { ...good(), signature: good().signature.slice(3) }, NOW)).toBe('MISSING_SIGNATURE');
  });

  it('answers MISSING_SIGNATURE for an unknown signature version', () => {
    expect(checkSignature(SECRET, { ...good(), signature: `v2=${good().signature.slice(3)}` }, NOW)).toBe('MISSING_SIGNATURE');
  });

  it('answers BAD_SIGNATURE when the hex after v1= is not a signature', () => {
    expect(checkSignature(SECRET, { ...good(), signature: 'v1=zz' }, NOW)).toBe('BAD_SIGNATURE');
  });

  it('accepts a timestamp exactly 5 minutes behind the relay clock', () => {
    const timestamp = String(NOW - MAX_SKEW_MS);
    expect(checkSignature(SECRET, { ...good(), timestamp, signature: nodeSignature(SECRET, timestamp, 'POST', PATH, BODY) }, NOW)).toBeUndefined();
  });

  it('accepts a timestamp exactly 5 minutes ahead of the relay clock', () => {
    const timestamp = String(NOW + MAX_SKEW_MS);
    expect(checkSignature(SECRET, { ...good(), timestamp, signature: nodeSignature(SECRET, timestamp, 'POST', PATH, BODY) }, NOW)).toBeUndefined();
  });

  it('answers CLOCK_SKEW 1 ms past 5 minutes behind', () => {
    const timestamp = String(NOW - MAX_SKEW_MS - 1);
    expect(checkSignature(SECRET, { ...good(), timestamp, signature: nodeSignature(SECRET, timestamp, 'POST', PATH, BODY) }, NOW)).toBe('CLOCK_SKEW');
  });

  it('answers CLOCK_SKEW 1 ms past 5 minutes ahead', () => {
    const timestamp = String(NOW + MAX_SKEW_MS + 1);
    expect(checkSignature(SECRET, { ...good(), timestamp, signature: nodeSignature(SECRET, timestamp, 'POST', PATH, BODY) }, NOW)).toBe('CLOCK_SKEW');
  });

  it('answers BAD_SIGNATURE for a request signed with another secret', () => {
    expect(checkSignature(`${SECRET}x`, good(), NOW)).toBe('BAD_SIGNATURE');
  });

  it('answers BAD_SIGNATURE when the body was changed after signing', () => {
    expect(checkSignature(SECRET, { ...good(), body: BODY.replace('c1', 'c2') }, NOW)).toBe('BAD_SIGNATURE');
  });

  it('answers BAD_SIGNATURE when the path was changed after signing', () => {
    expect(checkSignature(SECRET, { ...good(), path: '/v2/channels/another_channel_01/changes' }, NOW)).toBe('BAD_SIGNATURE');
  });

  it('answers BAD_SIGNATURE when the method was changed after signing', () => {
    expect(checkSignature(SECRET, { ...good(), method: 'PUT' }, NOW)).toBe('BAD_SIGNATURE');
  });

  it('answers BAD_SIGNATURE when the timestamp was changed after signing', () => {
    expect(checkSignature(SECRET, { ...good(), timestamp: String(NOW + 1) }, NOW)).toBe('BAD_SIGNATURE');
  });
});

describe('base64url', () => {
  it('encodes like Buffer base64url (RFC 4648 §5, no padding) and decodes back, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = base64UrlEncode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(base64UrlDecode(text)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes text that carries = padding', () => {
    expect(base64UrlDecode('_-8=')).toEqual(new Uint8Array([0xff, 0xef]));
  });

  it('decodes the empty string to no bytes', () => {
    expect(base64UrlDecode('')).toEqual(new Uint8Array([]));
  });

  it('refuses the + and / of plain base64', () => {
    expect(base64UrlDecode('ab+/')).toBeUndefined();
  });

  it('refuses a length no encoding can have', () => {
    expect(base64UrlDecode('abcde')).toBeUndefined();
  });

  it('refuses spaces', () => {
    expect(base64UrlDecode('ab cd')).toBeUndefined();
  });
});

describe('constantTimeEqual', () => {
  it('is true for equal strings', () => {
    expect(constantTimeEqual('v1=abc', 'v1=abc')).toBe(true);
  });

  it('is false for strings that differ in the last character', () => {
    expect(constantTimeEqual('v1=abc', 'v1=abd')).toBe(false);
  });

  it('is false for strings of different length', () => {
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });

  it('agrees with === for any two strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b) => expect(constantTimeEqual(a, b)).toBe(a === b)));
    fc.assert(fc.property(fc.string({ maxLength: 8 }), (a) => expect(constantTimeEqual(a, a)).toBe(true)));
  });
});

describe('tokenFingerprint', () => {
  it('is the first 32 hex characters of SHA-256 of the token', () => {
    const token = subscribeToken(SECRET, CHANNEL);
    expect(tokenFingerprint(token)).toBe(createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 32));
  });
});
