// What the relay does with offers (docs/protocol.md "Offers"): each socket's slices joined within the
// bounds (offer-assembly.ts), a complete offer checked like every other body and kept in the offer
// store, and the answer (`offered` or `offer-refused`) for the socket, which stays open either way.
// Also the store's listing for /status and one offer for GET …/offers/:offerId, and the metrics.

import { Counter, Gauge, type Registry } from 'prom-client';
import { ERRORS, type ErrorCode } from '../shared/protocol/errors';
import { parseJson, parseOffer, type OfferedMessage, type OfferListing, type OfferRefusedMessage } from '../shared/protocol/messages';
import type { Logger } from './logger';
import { AssemblyBudget, OfferAssembly } from './offer-assembly';
import { listingOf, type OfferStore } from './offer-store';
import type { Settings } from './settings';

export type OfferOutcome = 'stored' | 'too_large' | 'bad' | 'full' | 'rate_limited' | 'timeout';

const OUTCOME_OF: Partial<Record<ErrorCode, OfferOutcome>> = { OFFER_TOO_LARGE: 'too_large', BAD_OFFER: 'bad', OFFER_STORE_FULL: 'full', RATE_LIMITED: 'rate_limited' };

/** The offers' metrics, in the relay's registry. */
export class OfferMetrics {
  readonly offers: Counter<'outcome'>;
  readonly assemblyBytes: Gauge;
  readonly storedBytes: Gauge;
  readonly served: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.offers = new Counter({ name: 'relay_offers_total', help: 'Offers received, by outcome (stored, too_large, bad, full, rate_limited, timeout).', labelNames: ['outcome'], registers });
    this.assemblyBytes = new Gauge({ name: 'relay_offer_assembly_bytes', help: 'Bytes of offers being received on this process (slices not yet complete).', registers });
    this.storedBytes = new Gauge({ name: 'relay_offer_stored_bytes', help: 'Bytes of offers the store holds (refreshed every sweep and store).', registers });
    this.served = new Counter({ name: 'relay_offers_served_total', help: 'Offers read by the add-on (GET …/offers/:offerId).', registers });
  }
}

export class OfferIntake {
  readonly budget: AssemblyBudget;

  constructor(
    private readonly settings: Settings,
    readonly store: OfferStore,
    readonly metrics: OfferMetrics,
    private readonly logger: Logger,
  ) {
    this.budget = new AssemblyBudget(settings.offerAssemblyMaxBytes, (held) => metrics.assemblyBytes.set(held));
  }

  /** One socket's assembly of offers. */
  assembly(): OfferAssembly {
    return new OfferAssembly({ maxOfferBytes: this.settings.maxOfferBytes, timeoutMs: this.settings.offerAssemblyTimeoutMs }, this.budget);
  }

  /** The answer refusing an offer (counted). */
  refusal(id: string, code: ErrorCode, message: string, outcome: OfferOutcome = OUTCOME_OF[code] ?? 'bad'): OfferRefusedMessage {
    this.metrics.offers.labels(outcome).inc();
    return { type: 'offer-refused', id, code, message: message || ERRORS[code].message };
  }

  /** Checks a complete offer's text and keeps it; the answer for the socket. */
  async accept(channelId: string, id: string, text: string, now: number): Promise<OfferedMessage | OfferRefusedMessage> {
    const json = parseJson(text);
    // V8's complaint quotes the text: name the fault only.
    if (!json.ok) return this.refusal(id, 'BAD_OFFER', `Offer ${id} was not kept: its text is not valid JSON.`);
    const parsed = parseOffer(json.value);
    if (!parsed.ok) return this.refusal(id, 'BAD_OFFER', `Offer ${id} was not kept: ${parsed.message.slice(0, 300)}.`);
    if (parsed.value.id !== id) return this.refusal(id, 'BAD_OFFER', `Offer ${id} was not kept: its text names another id (${parsed.value.id}).`);
    const bytes = Buffer.byteLength(text, 'utf8');
    const listing = listingOf(parsed.value, bytes, now, this.settings.offerTtlSeconds * 1000);
    const result = await this.store.put(channelId, { listing, text }, { perChannel: this.settings.offersPerChannel, totalBytes: this.settings.offerStoreMaxBytes }, now);
    if (result === 'full') return this.refusal(id, 'OFFER_STORE_FULL', '');
    this.metrics.offers.labels('stored').inc();
    this.logger.info({ channel: channelId, offer: id, bytes, collections: listing.collections, variables: listing.variables }, 'offer stored');
    return { type: 'offered', id, expiresAt: listing.expiresAt };
  }

  list(channelId: string, now: number): Promise<OfferListing[]> {
    return this.store.list(channelId, now);
  }

  async get(channelId: string, offerId: string, now: number): Promise<string | undefined> {
    const text = await this.store.get(channelId, offerId, now);
    if (text !== undefined) this.metrics.served.inc();
    return text;
  }

  /** Forgets expired offers and refreshes the stored-bytes gauge. */
  async sweep(now: number): Promise<void> {
    this.metrics.storedBytes.set(await this.store.sweep(now));
  }
}
