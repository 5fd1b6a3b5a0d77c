// What the relay does with offers (docs/protocol.md "Offers"): each socket's slices joined within the
// bounds (offer-assembly.ts), a complete offer checked like every other body and kept in the offer
// store (large ones checked on an ingest worker), and the answer (`offered` or `offer-refused`) for the socket, which stays open either way.
// Also the store's listing for /status and one offer for GET …/offers/:offerId, and the metrics.

import { Counter, Gauge, type Registry } from 'prom-client';
import { ERRORS, type ErrorCode } from '../shared/protocol/errors';
import type { OfferedMessage, OfferListing, OfferRefusedMessage } from '../shared/protocol/messages';
import type { IngestPool } from './ingest-pool';
import type { Logger } from './logger';
import { AssemblyBudget, OfferAssembly } from './offer-assembly';
import { checkOffer, type OfferCheck } from './offer-check';
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
  readonly checks: Counter<'where'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.offers = new Counter({ name: 'relay_offers_total', help: 'Offers received, by outcome (stored, too_large, bad, full, rate_limited, timeout).', labelNames: ['outcome'], registers });
    this.assemblyBytes = new Gauge({ name: 'relay_offer_assembly_bytes', help: 'Bytes of offers being received on this process (slices not yet complete).', registers });
    this.storedBytes = new Gauge({ name: 'relay_offer_stored_bytes', help: 'Bytes of offers the store holds (refreshed every sweep and store).', registers });
    this.served = new Counter({ name: 'relay_offers_served_total', help: 'Offers read by the add-on (GET …/offers/:offerId).', registers });
    this.checks = new Counter({ name: 'relay_offer_checks_total', help: 'Complete offers checked, by where: inline (the thread serving sockets, up to INGEST_INLINE_BYTES) or worker (an ingest worker).', labelNames: ['where'], registers });
  }
}

export class OfferIntake {
  readonly budget: AssemblyBudget;

  constructor(
    private readonly settings: Settings,
    readonly store: OfferStore,
    readonly metrics: OfferMetrics,
    private readonly logger: Logger,
    private readonly pool: IngestPool,
    /** Offers up to this many bytes are checked inline (INGEST_INLINE_BYTES); larger ones on an ingest worker. */
    private readonly inlineBytes: number,
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

  /**
   * Checks a complete offer's text and keeps it; the answer for the socket. An offer over
   * INGEST_INLINE_BYTES is checked on an ingest worker: parsing and validating up to MAX_OFFER_BYTES
   * of JSON never holds the thread that serves other channels' sockets.
   */
  async accept(channelId: string, id: string, text: string, now: number): Promise<OfferedMessage | OfferRefusedMessage> {
    const bytes = Buffer.byteLength(text, 'utf8');
    const where = bytes <= this.inlineBytes ? 'inline' : 'worker';
    this.metrics.checks.labels(where).inc();
    const check = where === 'inline' ? checkOffer(id, text) : await this.checkOnWorker(id, text);
    if (!check.ok) return this.refusal(id, check.code ?? 'BAD_OFFER', check.message);
    const listing = listingOf(check.summary, bytes, now, this.settings.offerTtlSeconds * 1000);
    const result = await this.store.put(channelId, { listing, text }, { perChannel: this.settings.offersPerChannel, totalBytes: this.settings.offerStoreMaxBytes }, now);
    if (result === 'full') return this.refusal(id, 'OFFER_STORE_FULL', '');
    this.metrics.offers.labels('stored').inc();
    this.logger.info({ channel: channelId, offer: id, bytes, collections: listing.collections, variables: listing.variables }, 'offer stored');
    return { type: 'offered', id, expiresAt: listing.expiresAt };
  }

  private async checkOnWorker(id: string, text: string): Promise<OfferCheck> {
    try {
      const reply = await this.pool.run((job) => job.checkOffer(id, text));
      if (reply.type === 'offer-checked') return reply.check;
      this.logger.error({ offer: id, code: reply.type === 'failed' ? reply.code : reply.type, internal: reply.type === 'failed' ? reply.internal : undefined }, 'an offer could not be checked');
    } catch (err) {
      // The worker died (out of memory, say) or the relay is stopping.
      this.logger.error({ offer: id, err: (err as Error).message }, 'an offer could not be checked');
    }
    return { ok: false, code: 'INTERNAL', message: `Offer ${id} was not kept: the relay could not check it just now; send it again.` };
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
