// Issue 10's offers under attack: a pairing-code holder (the channel id and its subscribe token) sends
// offers that are too large, garbled, or never finished, from 16 sockets on 4 addresses at most the
// socket's message rate. Each is refused with an answer on a socket that stays open, the relay's memory stays
// bounded (OFFER_ASSEMBLY_MAX_BYTES), nothing is stored, and a well-behaved channel beside it keeps
// every change in time. A real offer from the sheet's own plugin still gets through afterwards.

import { offerParts } from '../../shared/protocol/offer-parts';
import type { Offer } from '../../shared/protocol/messages';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { getJson, getStatus, newChannel, register } from '../relay/support/relay-api';
import { attackerAddresses } from './support/attacker';
import { endless, garbled, largeGarbled, offerSockets, oversized, type OfferSocket } from './support/attack-offers';
import { processMemory, startBystander, type Bystander } from './support/bystander';
import { eventually, PRODUCTION_CLIENT_LIMITS } from './support/relay-env';
import { expectBystanderUnharmed, WELL_BEHAVED } from './support/unharmed';

let relay: RelayProcess | undefined;
let bystander: Bystander | undefined;
let sockets: OfferSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.map((s) => s.close()));
  sockets = [];
  await bystander?.stop();
  bystander = undefined;
  await relay?.stop();
  relay = undefined;
});

/** Within MESSAGE_RATE (20/s): the relay's rate limit is a separate, already tested bound. */
const PACE = 15;
/**
 * The relay's offer bounds scaled down (1 MiB offers, 4 MiB being received) with the slices (64 KiB), so
 * the attack exercises every bound while costing a loaded 2-core machine a tenth of the bytes.
 */
const SLICE = 64 * 1024;
const OFFER_LIMITS = { MAX_OFFER_BYTES: String(1024 * 1024), OFFER_ASSEMBLY_MAX_BYTES: String(4 * 1024 * 1024) };

test('oversized, garbled and endless offers are refused with answers, memory stays bounded, and the bystander is unharmed', async () => {
  relay = await startRelayProcess({ ...PRODUCTION_CLIENT_LIMITS, ...OFFER_LIMITS, OFFERS_PER_MINUTE: '1000', OFFER_ASSEMBLY_TIMEOUT_MS: '2000', HEARTBEAT_MS: '500' });
  const victim = newChannel();
  await register(relay.url, victim, victim.secret);
  bystander = await startBystander(relay.url, WELL_BEHAVED);
  const window = bystander.mark();
  sockets = await offerSockets(relay.url, victim.channelId, victim.token, { addresses: attackerAddresses(4, 60), perAddress: 4 });

  // Every socket: an offer of 20 slices of 64 KiB (1.25 MiB, past MAX_OFFER_BYTES), three small
  // garbled ones, one of ~900 KiB refused only at its last cell (checked on an ingest worker), then the
  // first slice of an offer that never ends — at the message rate. 16 sockets hold up to 16 MiB at once
  // against OFFER_ASSEMBLY_MAX_BYTES (4 MiB), which also counts complete offers until they are checked.
  await Promise.all(
    sockets.map((s, i) => s.paced([...oversized(`o-big-${i}`, SLICE, 20), ...garbled(`o-bad-${i}`), ...largeGarbled(`o-huge-${i}`, 900 * 1024, SLICE), endless(`o-end-${i}`, SLICE)], PACE)),
  );
  const answered = (s: OfferSocket) => s.answers.filter((a) => a.id.startsWith('o-end-')).length === 1;
  expect(await eventually(() => sockets.every(answered), 15_000)).toBe(true);

  for (const s of sockets) {
    expect(s.closeCode()).toBeUndefined();
    const codes = new Map(s.answers.map((a) => [a.id.replace(/-\d+(-\d)?$/, ''), a.code]));
    // Too large on its own, or refused earlier because the others' slices fill OFFER_ASSEMBLY_MAX_BYTES.
    expect(['OFFER_TOO_LARGE', 'OFFER_STORE_FULL']).toContain(codes.get('o-big'));
    expect(codes.get('o-bad')).toBe('BAD_OFFER');
    // Checked in full and refused, or refused earlier because the others' offers fill OFFER_ASSEMBLY_MAX_BYTES.
    expect(['BAD_OFFER', 'OFFER_STORE_FULL']).toContain(codes.get('o-huge'));
    // The endless offer waits in memory until the assembly bound refuses its first slice, or its next slice is overdue.
    expect(['BAD_OFFER', 'OFFER_STORE_FULL']).toContain(codes.get('o-end'));
    expect(s.answers.some((a) => a.type === 'offered')).toBe(false);
  }
  const tally = (code: string) => sockets.filter((s) => s.answers.some((a) => a.id.startsWith('o-big-') && a.code === code)).length;
  expect([tally('OFFER_TOO_LARGE') > 0, tally('OFFER_TOO_LARGE') + tally('OFFER_STORE_FULL')]).toEqual([true, sockets.length]);
  // At least one large garbled offer got whole to its check, which ran on an ingest worker.
  expect(sockets.some((s) => s.answers.some((a) => a.id.startsWith('o-huge-') && a.code === 'BAD_OFFER'))).toBe(true);
  expect(Number(/^relay_offer_checks_total\{where="worker"\} (\d+)$/m.exec(String((await getJson(`${relay.url}/metrics`)).body))?.[1])).toBeGreaterThan(0);
  // Unfinished offers are held within OFFER_ASSEMBLY_MAX_BYTES: nothing stored, memory bounded.
  const status = await getStatus(relay.url, victim);
  expect((status.body as { offers?: unknown[] }).offers).toBeUndefined();
  expect(processMemory(relay.child.pid!).peakRssBytes).toBeLessThan(384 * 1024 * 1024);
  await expectBystanderUnharmed(bystander, window);

  // The sheet's own plugin still gets its offer through.
  const [plugin] = await offerSockets(relay.url, victim.channelId, victim.token, { addresses: ['127.0.0.1'], perAddress: 1 });
  sockets.push(plugin!);
  const offer: Offer = { id: 'o-real', file: { name: 'Design System.fig' }, at: Date.now(), collections: [{ collectionId: 'VariableCollectionId:1:1', name: 'Colors', modes: ['Value'], variables: 1, values: [['Name', 'Value'], ['color/bg', '#ffffff']] }] };
  await plugin!.paced(offerParts(offer.id, JSON.stringify(offer)), PACE);
  expect(await eventually(() => plugin!.answers.some((a) => a.id === 'o-real'), 5000)).toBe(true);
  expect(plugin!.answers.find((a) => a.id === 'o-real')!.type).toBe('offered');
}, 90_000);
