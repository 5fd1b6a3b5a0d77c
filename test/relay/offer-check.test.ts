// The check of a complete offer's text (inline or on an ingest worker: offers.test.ts runs both), and
// the assembly's budget: a complete offer's bytes stay counted until the caller releases them.

import { offerParts } from '../../shared/protocol/offer-parts';
import type { Offer } from '../../shared/protocol/messages';
import { AssemblyBudget, OfferAssembly } from '../../relay/offer-assembly';
import { checkOffer } from '../../relay/offer-check';
import { OfferIntake, OfferMetrics } from '../../relay/offer-intake';
import type { OfferStore } from '../../relay/offer-store';
import type { IngestPool } from '../../relay/ingest-pool';
import { createLogger } from '../../relay/logger';
import { readSettings } from '../../relay/settings';
import { SyncError } from '../../shared/protocol/errors';
import { Registry } from 'prom-client';

const OFFER: Offer = {
  id: 'offer-1',
  file: { name: 'Design System.fig' },
  at: 1_717_000_000_000,
  collections: [
    { collectionId: 'VariableCollectionId:1:2', name: 'Colors', modes: ['Light', 'Dark'], variables: 2, values: [['Name', 'Light', 'Dark'], ['bg', '#ffffff', '#000000'], ['fg', '#000000', '#ffffff']] },
    { collectionId: 'VariableCollectionId:1:3', name: 'Sizes', modes: ['Default'], variables: 1, values: [['Name', 'Default'], ['space/1', '4']] },
  ],
};

describe('checkOffer', () => {
  test('sums a valid offer up for its listing: id, file name, collections, variables, when it was made', () => {
    expect(checkOffer('offer-1', JSON.stringify(OFFER))).toEqual({ ok: true, summary: { id: 'offer-1', fileName: 'Design System.fig', collections: 2, variables: 3, at: 1_717_000_000_000 } });
  });

  test('refuses text that is not JSON without quoting it', () => {
    const check = checkOffer('offer-1', '{"id":"offer-1", secret text');
    expect(check).toEqual({ ok: false, message: 'Offer offer-1 was not kept: its text is not valid JSON.' });
  });

  test('refuses an offer the schema refuses, naming the field', () => {
    const check = checkOffer('offer-1', JSON.stringify({ ...OFFER, collections: 'none' }));
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toMatch(/^Offer offer-1 was not kept: .*collections/);
  });

  test('refuses an offer whose text names another id than its slices', () => {
    expect(checkOffer('offer-2', JSON.stringify(OFFER))).toEqual({ ok: false, message: 'Offer offer-2 was not kept: its text names another id (offer-1).' });
  });
});

describe('the assembly budget', () => {
  test('a complete offer stays counted until released, once however often release is called', () => {
    const budget = new AssemblyBudget(1_000_000);
    const assembly = new OfferAssembly({ maxOfferBytes: 1_000_000, timeoutMs: 1000 }, budget);
    const text = JSON.stringify(OFFER);
    const parts = offerParts(OFFER.id, text, 100);
    let result = assembly.add(parts[0]!, 0);
    for (const part of parts.slice(1)) result = assembly.add(part, 0);
    expect(result.kind).toBe('complete');
    if (result.kind !== 'complete') return;
    expect(result.text).toBe(text);
    expect(assembly.bytes).toBe(0);
    expect(budget.bytes).toBe(Buffer.byteLength(text));
    result.release();
    result.release();
    expect(budget.bytes).toBe(0);
  });

  test('a socket that closes gives back the offer it was receiving, not one already complete', () => {
    const budget = new AssemblyBudget(1_000_000);
    const assembly = new OfferAssembly({ maxOfferBytes: 1_000_000, timeoutMs: 1000 }, budget);
    const completeText = JSON.stringify({ ...OFFER, id: 'a' });
    const result = assembly.add(offerParts('a', completeText, 100_000)[0]!, 0);
    expect(result.kind).toBe('complete');
    const partial = offerParts('b', JSON.stringify({ ...OFFER, id: 'b' }), 100);
    expect(assembly.add(partial[0]!, 0).kind).toBe('more');
    expect(budget.bytes).toBe(Buffer.byteLength(completeText) + Buffer.byteLength(partial[0]!.text));
    assembly.drop();
    expect(budget.bytes).toBe(Buffer.byteLength(completeText));
    if (result.kind === 'complete') result.release();
    expect(budget.bytes).toBe(0);
  });
});

describe('an offer the worker could not check', () => {
  test('is refused with INTERNAL and a message to send it again, and nothing is stored', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const stored: string[] = [];
    const store = { put: async (_channel: string, entry: { text: string }) => (stored.push(entry.text), 'stored' as const) } as unknown as OfferStore;
    const diedPool = { run: () => Promise.reject(new SyncError('INTERNAL', 'the worker applying this change stopped; retry it')) } as unknown as IngestPool;
    const intake = new OfferIntake(readSettings({}), store, new OfferMetrics(new Registry()), logger, diedPool, 16);
    const answer = await intake.accept('cChannel', 'offer-1', JSON.stringify(OFFER), Date.now());
    expect(answer).toEqual({ type: 'offer-refused', id: 'offer-1', code: 'INTERNAL', message: 'Offer offer-1 was not kept: the relay could not check it just now; send it again.' });
    expect(stored).toEqual([]);
    expect(lines.join('')).toContain('an offer could not be checked');
    // Inline (under the threshold) the same offer is checked and stored.
    const inline = new OfferIntake(readSettings({}), store, new OfferMetrics(new Registry()), logger, diedPool, 1_000_000);
    expect(await inline.accept('cChannel', 'offer-1', JSON.stringify(OFFER), Date.now())).toMatchObject({ type: 'offered', id: 'offer-1' });
    expect(stored).toEqual([JSON.stringify(OFFER)]);
  });
});
