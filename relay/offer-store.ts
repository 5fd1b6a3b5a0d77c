// Where a channel's offers wait for the sheet: the newest few per channel (OFFERS_PER_CHANNEL), each
// for a while (OFFER_TTL_SECONDS), all of them within OFFER_STORE_MAX_BYTES. One interface with two
// homes like the channel store: SQLite (one process, in its own file) and Redis (many processes).

import type { OfferListing } from '../shared/protocol/messages';
import type { OfferSummary } from './offer-check';

/** An offer as stored: what /status lists of it and its JSON text. */
export interface StoredOffer {
  listing: OfferListing;
  text: string;
}

export interface OfferBounds {
  perChannel: number;
  totalBytes: number;
}

export interface OfferStore {
  readonly kind: 'sqlite' | 'redis';
  /**
   * Keeps the offer (replacing one of the same id), forgets the channel's oldest beyond
   * `bounds.perChannel` and every expired offer; 'full' when it would pass `bounds.totalBytes`.
   */
  put(channelId: string, offer: StoredOffer, bounds: OfferBounds, now: number): Promise<'stored' | 'full'>;
  /** The channel's offers that have not expired, newest first. */
  list(channelId: string, now: number): Promise<OfferListing[]>;
  /** The offer's JSON text, unless it expired or was never kept. */
  get(channelId: string, offerId: string, now: number): Promise<string | undefined>;
  /** Forgets expired offers; resolves with the bytes the store still holds. */
  sweep(now: number): Promise<number>;
  close(): Promise<void>;
}

/** What `/status` lists of an offer: its summary, size and expiry. */
export function listingOf(summary: OfferSummary, bytes: number, receivedAt: number, ttlMs: number): OfferListing {
  return { ...summary, bytes, expiresAt: receivedAt + ttlMs };
}
