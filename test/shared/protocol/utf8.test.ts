// Tests the UTF-8 encoder that stands in for TextEncoder (missing in Apps Script) against Node's.

import fc from 'fast-check';
import { utf8Encode, utf8Length } from '../../../shared/protocol/utf8';

const nodeUtf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

describe('utf8Encode', () => {
  it('encodes ASCII as itself', () => {
    expect(utf8Encode('Name')).toEqual(new Uint8Array([0x4e, 0x61, 0x6d, 0x65]));
  });

  it('encodes two-, three- and four-byte characters', () => {
    expect(utf8Encode('é€🎨')).toEqual(new Uint8Array([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x8e, 0xa8]));
  });

  it('encodes a lone high surrogate as U+FFFD', () => {
    expect(utf8Encode('a\ud800b')).toEqual(new Uint8Array([0x61, 0xef, 0xbf, 0xbd, 0x62]));
  });

  it('encodes a lone low surrogate as U+FFFD', () => {
    expect(utf8Encode('\udc00')).toEqual(new Uint8Array([0xef, 0xbf, 0xbd]));
  });

  it('encodes a high surrogate at the end of the text as U+FFFD', () => {
    expect(utf8Encode('x\udbff')).toEqual(new Uint8Array([0x78, 0xef, 0xbf, 0xbd]));
  });

  it('encodes the empty string as no bytes', () => {
    expect(utf8Encode('')).toEqual(new Uint8Array([]));
  });

  it('equals Buffer.from(s, "utf8") for any string of UTF-16 code units, lone surrogates included', () => {
    const anyCodeUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }).map((units) => String.fromCharCode(...units));
    const surrogateHeavy = fc.array(fc.oneof(fc.integer({ min: 0xd800, max: 0xdfff }), fc.integer({ min: 0, max: 0x7f })), { maxLength: 20 }).map((units) => String.fromCharCode(...units));
    fc.assert(fc.property(fc.oneof(anyCodeUnits, surrogateHeavy, fc.string({ unit: 'binary', maxLength: 40 })), (s) => expect(utf8Encode(s)).toEqual(nodeUtf8(s))), { numRuns: 2000 });
  });

  it('equals TextEncoder for any string', () => {
    const encoder = new TextEncoder();
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => expect(utf8Encode(s)).toEqual(encoder.encode(s))));
  });
});

describe('utf8Length', () => {
  it('is the length of the UTF-8 bytes for any string, lone surrogates included', () => {
    const anyCodeUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }).map((units) => String.fromCharCode(...units));
    fc.assert(fc.property(fc.oneof(anyCodeUnits, fc.string({ unit: 'binary', maxLength: 40 })), (s) => expect(utf8Length(s)).toBe(utf8Encode(s).length)), { numRuns: 2000 });
  });
});
