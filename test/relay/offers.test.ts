// Offers through a real relay on loopback: a plugin sends a Figma file's variables in slices on its
// socket, the relay keeps the newest few per channel, /status lists them and the add-on reads one with
// a signed GET. Every refusal is an answer on a socket that stays open; each misuse has its code.

import { offerParts } from '../../shared/protocol/offer-parts';
import { paths, type Offer, type OfferListing, type ServerMessage } from '../../shared/protocol/messages';
import { subscribe, type TestSocket } from '../helpers/ws-client';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { getStatus, ModelSheet, newChannel, postChange, register, signedHeaders, type TestChannel } from './support/relay-api';

let relay: InProcessRelay;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  relay = await startInProcessRelay({ MAX_OFFER_BYTES: '65536', OFFERS_PER_CHANNEL: '2', OFFERS_PER_MINUTE: '1000', OFFER_ASSEMBLY_TIMEOUT_MS: '300', HEARTBEAT_MS: '100' });
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close().catch(() => undefined)));
});
afterAll(async () => {
  await relay?.close();
});

function offer(id: string, rows = 3, name = 'Colors'): Offer {
  return {
    id,
    file: { name: 'Design System.fig' },
    at: 1_717_000_000_000,
    collections: [{ collectionId: 'VariableCollectionId:1:2', name, modes: ['Light'], variables: rows, values: [['Name', 'Light'], ...Array.from({ length: rows }, (_, i) => [`color/${i}`, '#ffffff'])] }],
  };
}

async function channelWithSocket(target = relay): Promise<{ channel: TestChannel; socket: TestSocket }> {
  const channel = newChannel();
  expect((await register(target.url, channel, channel.secret)).status).toBe(201);
  const { socket } = await subscribe(target.url, channel.channelId, channel.token);
  sockets.push(socket);
  return { channel, socket };
}

function sendOffer(socket: TestSocket, o: Offer, bytesPerMessage = 1024): void {
  for (const part of offerParts(o.id, JSON.stringify(o), bytesPerMessage)) socket.send(part);
}

const answerTo = (socket: TestSocket, id: string) =>
  socket.waitFor((m) => (m.type === 'offered' || m.type === 'offer-refused') && m.id === id, 5000) as Promise<Extract<ServerMessage, { type: 'offered' | 'offer-refused' }>>;

async function readOffer(channel: TestChannel, offerId: string, secret = channel.secret): Promise<{ status: number; body: unknown }> {
  const path = paths.offer(channel.channelId, offerId);
  const response = await fetch(relay.url + path, { headers: signedHeaders(secret, 'GET', path, '') });
  return { status: response.status, body: JSON.parse(await response.text()) };
}

/** The socket still serves the sync: a ping is answered. */
async function stillOpen(socket: TestSocket): Promise<void> {
  socket.send({ type: 'ping' });
  await socket.waitFor((m) => m.type === 'pong');
}

describe('an offer sent in slices', () => {
  test('is kept, listed in /status and read back exactly by a signed GET', async () => {
    const { channel, socket } = await channelWithSocket();
    const o = offer('o-first', 40);
    sendOffer(socket, o);
    const answer = await answerTo(socket, 'o-first');
    expect(answer).toEqual({ type: 'offered', id: 'o-first', expiresAt: expect.any(Number) });
    const status = await getStatus(relay.url, channel);
    expect((status.body as { offers: OfferListing[] }).offers).toEqual([
      { id: 'o-first', fileName: 'Design System.fig', collections: 1, variables: 40, bytes: Buffer.byteLength(JSON.stringify(o)), at: o.at, expiresAt: (answer as { expiresAt: number }).expiresAt },
    ]);
    expect(await readOffer(channel, 'o-first')).toEqual({ status: 200, body: o });
    await stillOpen(socket);
  });

  test('the add-on\'s read is signed: a wrong secret is refused, an unknown id is OFFER_NOT_FOUND', async () => {
    const { channel, socket } = await channelWithSocket();
    sendOffer(socket, offer('o-signed'));
    await answerTo(socket, 'o-signed');
    expect((await readOffer(channel, 'o-signed', newChannel().secret)).status).toBe(401);
    expect(await readOffer(channel, 'o-never')).toEqual({ status: 404, body: { error: expect.objectContaining({ code: 'OFFER_NOT_FOUND' }) } });
  });

  test('a channel keeps its newest offers (OFFERS_PER_CHANNEL): an older one is forgotten', async () => {
    const { channel, socket } = await channelWithSocket();
    for (const id of ['o-1', 'o-2', 'o-3']) {
      sendOffer(socket, offer(id));
      expect(await answerTo(socket, id)).toMatchObject({ type: 'offered' });
    }
    const status = await getStatus(relay.url, channel);
    expect((status.body as { offers: OfferListing[] }).offers.map((o) => o.id)).toEqual(['o-3', 'o-2']);
    expect((await readOffer(channel, 'o-1')).status).toBe(404);
  });
});

describe('refused offers are answered, and the socket keeps syncing', () => {
  test('an offer over MAX_OFFER_BYTES is OFFER_TOO_LARGE as soon as it passes it; its later slices are dropped', async () => {
    const { channel, socket } = await channelWithSocket();
    sendOffer(socket, offer('o-big', 3000), 8 * 1024);
    expect(await answerTo(socket, 'o-big')).toMatchObject({ type: 'offer-refused', code: 'OFFER_TOO_LARGE' });
    await stillOpen(socket);
    expect(socket.messages.filter((m) => m.type === 'offer-refused')).toHaveLength(1);
    // The sync goes on: a change reaches this socket.
    const sheet = new ModelSheet();
    expect((await postChange(relay.url, channel, sheet.snapshot([{ tabId: 1, name: 'T', values: [['Name', 'Value'], ['a', 1]] }]))).status).toBe(200);
    await socket.nextOf('snapshot');
  });

  test.each([
    ['slices out of order', 'BAD_OFFER', (id: string) => [{ type: 'offer' as const, id, part: 0, parts: 3, text: '{' }, { type: 'offer' as const, id, part: 2, parts: 3, text: '}' }]],
    ['a slice without its slice 0', 'BAD_OFFER', (id: string) => [{ type: 'offer' as const, id, part: 1, parts: 2, text: '}' }]],
    ['a part past its parts', 'BAD_OFFER', (id: string) => [{ type: 'offer' as const, id, part: 0, parts: 2, text: '{' }, { type: 'offer' as const, id, part: 2, parts: 2, text: '}' }]],
    ['text that is not JSON', 'BAD_OFFER', (id: string) => [{ type: 'offer' as const, id, part: 0, parts: 1, text: '{not json' }]],
    ['JSON that is not an Offer', 'BAD_OFFER', (id: string) => [{ type: 'offer' as const, id, part: 0, parts: 1, text: JSON.stringify({ ...offer(id), collections: [] }) }]],
    ['an Offer naming another id', 'BAD_OFFER', (id: string) => [{ type: 'offer' as const, id, part: 0, parts: 1, text: JSON.stringify(offer('o-other')) }]],
  ])('%s is refused with %s', async (_what, code, messages) => {
    const { socket } = await channelWithSocket();
    for (const m of messages('o-bad')) socket.send(m);
    expect(await answerTo(socket, 'o-bad')).toMatchObject({ type: 'offer-refused', id: 'o-bad', code });
    await stillOpen(socket);
  });

  test('an offer whose next slice never comes is dropped after OFFER_ASSEMBLY_TIMEOUT_MS, and its sender told', async () => {
    const { socket } = await channelWithSocket();
    socket.send({ type: 'offer', id: 'o-stalled', part: 0, parts: 2, text: '{"id":' });
    const answer = await answerTo(socket, 'o-stalled');
    expect(answer).toMatchObject({ type: 'offer-refused', code: 'BAD_OFFER', message: expect.stringContaining('did not come within 300 ms') });
    await stillOpen(socket);
  });

  test('a malformed offer message is a protocol misuse: 4400, as for any message', async () => {
    const { socket } = await channelWithSocket();
    socket.send({ type: 'offer', id: 'o-x', part: 64, parts: 64, text: '' });
    expect(await socket.closed).toEqual({ code: 4400, reason: expect.stringContaining('part must be ≤ 63') });
  });
});

describe('bounds across sockets and time', () => {
  test('offers being received past OFFER_ASSEMBLY_MAX_BYTES are OFFER_STORE_FULL, and room comes back when one completes', async () => {
    const small = await startInProcessRelay({ MAX_OFFER_BYTES: '4096', OFFER_ASSEMBLY_MAX_BYTES: '4096', OFFER_STORE_MAX_BYTES: '1000000', OFFERS_PER_MINUTE: '1000' });
    try {
      const a = await channelWithSocket(small);
      const b = await channelWithSocket(small);
      a.socket.send({ type: 'offer', id: 'o-a', part: 0, parts: 2, text: 'x'.repeat(3000) });
      await stillOpen(a.socket);
      b.socket.send({ type: 'offer', id: 'o-b', part: 0, parts: 2, text: 'y'.repeat(3000) });
      expect(await answerTo(b.socket, 'o-b')).toMatchObject({ type: 'offer-refused', code: 'OFFER_STORE_FULL' });
      // a gives up (a new offer from slice 0 abandons the first): the bytes are free again.
      sendOffer(a.socket, offer('o-a2'), 1024);
      expect(await answerTo(a.socket, 'o-a2')).toMatchObject({ type: 'offered' });
      sendOffer(b.socket, offer('o-b2'), 1024);
      expect(await answerTo(b.socket, 'o-b2')).toMatchObject({ type: 'offered' });
    } finally {
      await small.close();
    }
  });

  test('more offers a minute than OFFERS_PER_MINUTE from one socket are refused (RATE_LIMITED), the socket stays', async () => {
    const limited = await startInProcessRelay({ OFFERS_PER_MINUTE: '1' });
    try {
      const { socket } = await channelWithSocket(limited);
      for (const id of ['o-r1', 'o-r2']) {
        sendOffer(socket, offer(id));
        expect(await answerTo(socket, id)).toMatchObject({ type: 'offered' });
      }
      sendOffer(socket, offer('o-r3'));
      expect(await answerTo(socket, 'o-r3')).toMatchObject({ type: 'offer-refused', code: 'RATE_LIMITED' });
      await stillOpen(socket);
    } finally {
      await limited.close();
    }
  });

  test('the offer metrics count each outcome', async () => {
    const text = await (await fetch(`${relay.url}/metrics`)).text();
    expect(text).toMatch(/relay_offers_total\{outcome="stored"\} [1-9]/);
    expect(text).toMatch(/relay_offers_total\{outcome="too_large"\} [1-9]/);
    expect(text).toMatch(/relay_offers_total\{outcome="timeout"\} [1-9]/);
    expect(text).toMatch(/relay_offer_assembly_bytes \d+/);
  });
});

describe('an offer over INGEST_INLINE_BYTES is checked on an ingest worker', () => {
  let small: InProcessRelay;
  beforeAll(async () => {
    small = await startInProcessRelay({ MAX_OFFER_BYTES: '65536', OFFERS_PER_MINUTE: '1000', INGEST_INLINE_BYTES: '1024' });
  });
  afterAll(async () => {
    await small?.close();
  });
  const checks = async (where: string): Promise<number> => Number(new RegExp(`relay_offer_checks_total\\{where="${where}"\\} (\\d+)`).exec(await (await fetch(`${small.url}/metrics`)).text())?.[1] ?? 0);

  test('and kept exactly as a small one is, with the room it held given back', async () => {
    const { channel, socket } = await channelWithSocket(small);
    const o = offer('o-large', 60);
    expect(Buffer.byteLength(JSON.stringify(o))).toBeGreaterThan(1024);
    const before = await checks('worker');
    sendOffer(socket, o);
    expect(await answerTo(socket, 'o-large')).toEqual({ type: 'offered', id: 'o-large', expiresAt: expect.any(Number) });
    expect(await checks('worker')).toBe(before + 1);
    const path = paths.offer(channel.channelId, 'o-large');
    const read = await fetch(small.url + path, { headers: signedHeaders(channel.secret, 'GET', path, '') });
    expect(JSON.parse(await read.text())).toEqual(o);
    expect(await (await fetch(`${small.url}/metrics`)).text()).toMatch(/^relay_offer_assembly_bytes 0$/m);
    // A small one stays inline.
    const inlineBefore = await checks('inline');
    sendOffer(socket, offer('o-small', 1));
    expect((await answerTo(socket, 'o-small')).type).toBe('offered');
    expect(await checks('inline')).toBe(inlineBefore + 1);
  });

  test('a bad large offer is refused by the worker with the message the inline check gives', async () => {
    const { socket } = await channelWithSocket(small);
    const o = { ...offer('o-bad', 60), collections: 'none' } as unknown as Offer;
    sendOffer(socket, o);
    const answer = await answerTo(socket, 'o-bad');
    expect(answer).toMatchObject({ type: 'offer-refused', id: 'o-bad', code: 'BAD_OFFER', message: expect.stringMatching(/^Offer o-bad was not kept: .*collections/) });
    await stillOpen(socket);
  });
});

