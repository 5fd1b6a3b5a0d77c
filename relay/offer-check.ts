// Checks a complete offer's text as the relay checks every body (JSON, the offer schema, the id it was
// sent under) and sums it up for its listing. Pure, so a small offer is checked on the thread serving
// sockets and a large one (up to MAX_OFFER_BYTES, 4 MiB by default) on an ingest worker.

import type { ErrorCode } from '../shared/protocol/errors';
import { parseJson, parseOffer, type OfferListing } from '../shared/protocol/messages';

/** What the listing says of an offer, but its size and expiry (which the intake adds). */
export type OfferSummary = Omit<OfferListing, 'bytes' | 'expiresAt'>;

/** A refusal is BAD_OFFER unless it names another code (INTERNAL when the check itself failed). */
export type OfferCheck = { ok: true; summary: OfferSummary } | { ok: false; message: string; code?: ErrorCode };

export function checkOffer(id: string, text: string): OfferCheck {
  const json = parseJson(text);
  // V8's complaint quotes the text: name the fault only.
  if (!json.ok) return { ok: false, message: `Offer ${id} was not kept: its text is not valid JSON.` };
  const parsed = parseOffer(json.value);
  if (!parsed.ok) return { ok: false, message: `Offer ${id} was not kept: ${parsed.message.slice(0, 300)}.` };
  const offer = parsed.value;
  if (offer.id !== id) return { ok: false, message: `Offer ${id} was not kept: its text names another id (${offer.id}).` };
  return {
    ok: true,
    summary: { id: offer.id, fileName: offer.file.name, collections: offer.collections.length, variables: offer.collections.reduce((n, c) => n + c.variables, 0), at: offer.at },
  };
}
