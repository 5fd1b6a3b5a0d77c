// An offer's JSON text as socket messages: slices in order, each message within the relay's limit for
// one client message (LIMITS.maxClientMessageBytes), a surrogate pair never split between two.

import { LIMITS } from './limits';
import type { OfferPartMessage } from './messages';
import { utf8Length } from './utf8';

/** Room kept below the message limit for a relay that counts a few bytes differently. */
export const OFFER_PART_MARGIN_BYTES = 1024;

/** Bytes one code unit (or pair) costs inside a JSON string, UTF-8 encoded. */
function jsonCost(text: string, i: number): { units: number; bytes: number } {
  const c = text.charCodeAt(i);
  if (c === 0x22 || c === 0x5c) return { units: 1, bytes: 2 };
  if (c < 0x20) return { units: 1, bytes: c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6 };
  if (c < 0x80) return { units: 1, bytes: 1 };
  if (c < 0x800) return { units: 1, bytes: 2 };
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return { units: 2, bytes: 4 };
    return { units: 1, bytes: 6 };
  }
  if (c >= 0xdc00 && c <= 0xdfff) return { units: 1, bytes: 6 };
  return { units: 1, bytes: 3 };
}

/**
 * Slices `text` into `offer` messages whose JSON (UTF-8) is at most `maxMessageBytes` each. The relay
 * joins the `text`s of parts 0 … parts − 1 in order. The caller checks the count against
 * LIMITS.maxOfferParts (a longer offer cannot be sent).
 */
export function offerParts(id: string, text: string, maxMessageBytes: number = LIMITS.maxClientMessageBytes - OFFER_PART_MARGIN_BYTES): OfferPartMessage[] {
  // The envelope with the widest part numbers a message can carry.
  const envelope = utf8Length(JSON.stringify({ type: 'offer', id, part: 99_999, parts: 99_999, text: '' }));
  const budget = maxMessageBytes - envelope;
  if (budget < 8) throw new RangeError(`offerParts: ${maxMessageBytes} bytes per message leaves no room for text`);
  const slices: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; ) {
    const { units, bytes: cost } = jsonCost(text, i);
    if (bytes + cost > budget) {
      slices.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += cost;
    i += units;
  }
  slices.push(text.slice(start));
  return slices.map((slice, part) => ({ type: 'offer', id, part, parts: slices.length, text: slice }));
}
