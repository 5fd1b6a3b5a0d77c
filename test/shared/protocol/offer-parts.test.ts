// An offer's JSON text as socket messages: joined in order they give the text back, each message is
// within the byte limit, and a surrogate pair is never split between two messages.

import fc from 'fast-check';
import { offerParts } from '../../../shared/protocol/offer-parts';
import { parseClientMessage } from '../../../shared/protocol/messages';

const bytes = (m: unknown) => Buffer.byteLength(JSON.stringify(m), 'utf8');

describe('offerParts', () => {
  test('slices join back to the text, each message within the limit and a valid client message', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.integer({ min: 200, max: 2000 }), (text, limit) => {
        const parts = offerParts('o-1', text, limit);
        expect(parts.map((p) => p.text).join('')).toBe(text);
        expect(parts.map((p) => [p.part, p.parts])).toEqual(parts.map((_, i) => [i, parts.length]));
        for (const p of parts) {
          expect(bytes(p)).toBeLessThanOrEqual(limit);
          expect(parseClientMessage(p).ok).toBe(true);
          expect(/^[\udc00-\udfff]/.test(p.text) || /[\ud800-\udbff]$/.test(p.text)).toBe(false);
        }
      }),
    );
  });

  test('quotes, backslashes and control characters are counted as JSON writes them', () => {
    const text = '"\\\u0001'.repeat(500);
    for (const p of offerParts('o-1', text, 400)) expect(bytes(p)).toBeLessThanOrEqual(400);
  });

  test('a limit that leaves no room for text is refused', () => {
    expect(() => offerParts('o-1', 'x', 60)).toThrow(RangeError);
  });
});
