// What a pairing code holder can do with offers (issue 10): open sockets on the channel and send
// offers that are too large, garbled, or never finished, as fast as the socket's message rate allows.
//
// API
//   offerSockets(relayUrl, channelId, token, { addresses, perAddress }) → Promise<OfferSocket[]>
//     joined sockets (hello → welcome), each from its address
//   OfferSocket
//     ws, answers          every offered / offer-refused received, in order
//     closeCode()          the close code once closed (undefined while open)
//     send(message)        sends one object as JSON
//     paced(messages, perSecond) → Promise<void>   sends them at most perSecond a second
//     close()
//   oversized(id, sliceBytes, slices), garbled(id), largeGarbled(id, bytes, sliceBytes), endless(id, sliceBytes)
//     → offer messages

import WebSocket from 'ws';
import { paths, type OfferPartMessage } from '../../../shared/protocol/messages';

export interface OfferSocket {
  ws: WebSocket;
  answers: { type: string; id: string; code?: string }[];
  closeCode(): number | undefined;
  send(message: unknown): void;
  paced(messages: readonly unknown[], perSecond: number): Promise<void>;
  close(): Promise<void>;
}

function open(relayUrl: string, channelId: string, token: string, localAddress: string): Promise<OfferSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(relayUrl.replace(/^http/, 'ws') + paths.socket(channelId), { localAddress });
    const answers: OfferSocket['answers'] = [];
    let closed: number | undefined;
    let welcomed = false;
    ws.on('error', () => undefined);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', v: 2, token, client: { name: 'offer attacker' } })));
    ws.on('message', (data) => {
      const text = String(data);
      if (!welcomed && text.startsWith('{"type":"welcome"')) {
        welcomed = true;
        resolve(socket);
      } else if (text.startsWith('{"type":"offer')) answers.push(JSON.parse(text) as OfferSocket['answers'][number]);
    });
    ws.once('close', (code) => {
      closed = code;
      if (!welcomed) reject(new Error(`the attacker's socket closed with ${code} before its welcome`));
    });
    const socket: OfferSocket = {
      ws,
      answers,
      closeCode: () => closed,
      send: (message) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
      },
      async paced(messages, perSecond) {
        for (const message of messages) {
          socket.send(message);
          await new Promise((r) => setTimeout(r, 1000 / perSecond));
        }
      },
      close: () =>
        ws.readyState === WebSocket.CLOSED
          ? Promise.resolve()
          : new Promise((r) => {
              ws.once('close', () => r());
              ws.terminate();
            }),
    };
  });
}

export async function offerSockets(relayUrl: string, channelId: string, token: string, options: { addresses: readonly string[]; perAddress: number }): Promise<OfferSocket[]> {
  const sockets: OfferSocket[] = [];
  for (const address of options.addresses) {
    for (let i = 0; i < options.perAddress; i++) sockets.push(await open(relayUrl, channelId, token, address));
  }
  return sockets;
}

/** Slices of junk that never make an offer, past any size limit. */
export function oversized(id: string, sliceBytes: number, slices: number): OfferPartMessage[] {
  return Array.from({ length: Math.min(64, slices) }, (_, part): OfferPartMessage => ({ type: 'offer', id, part, parts: Math.min(64, slices), text: 'x'.repeat(sliceBytes) }));
}

/** Offers that arrive whole but are not offers: not JSON, the wrong shape, cells that are objects. */
export function garbled(id: string): OfferPartMessage[] {
  const texts = ['{"id":', JSON.stringify({ id, file: {}, at: -1, collections: [] }), JSON.stringify({ id, file: { name: 'x' }, at: 1, collections: [{ collectionId: 'c', name: 'T', modes: ['V'], variables: 1, values: [[{ a: 1 }]] }] })];
  return texts.map((text, i): OfferPartMessage => ({ type: 'offer', id: `${id}-${i}`, part: 0, parts: 1, text }));
}

/**
 * A whole offer of about `bytes` of valid JSON that the schema refuses only at its last cell: the
 * relay must parse and check all of it (on an ingest worker, being over INGEST_INLINE_BYTES).
 */
export function largeGarbled(id: string, bytes: number, sliceBytes: number): OfferPartMessage[] {
  const row = ['color/group/name-000000', '#0a0b0c'];
  const rows = Math.max(1, Math.floor(bytes / (JSON.stringify(row).length + 1)));
  const values: unknown[][] = [['Name', 'Value'], ...Array.from({ length: rows }, (_, i) => [`color/group/name-${String(i).padStart(6, '0')}`, '#0a0b0c'])];
  values.push([{ not: 'a cell' }, '#000000']);
  const text = JSON.stringify({ id, file: { name: 'x.fig' }, at: 1, collections: [{ collectionId: 'c', name: 'T', modes: ['Value'], variables: rows + 1, values }] });
  const parts = Math.ceil(text.length / sliceBytes);
  return Array.from({ length: parts }, (_, part): OfferPartMessage => ({ type: 'offer', id, part, parts, text: text.slice(part * sliceBytes, (part + 1) * sliceBytes) }));
}

/** The first slice of an offer of 64 slices; the rest never come. */
export function endless(id: string, sliceBytes: number): OfferPartMessage {
  return { type: 'offer', id, part: 0, parts: 64, text: 'y'.repeat(sliceBytes) };
}
