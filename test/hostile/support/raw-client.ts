// A WebSocket client on a raw TCP socket, as an attacker would write one: it counts every byte each way,
// can stop reading (so the relay's data piles up unread), and notes each message's type, epoch and seq
// from its first bytes without parsing megabytes of snapshot.
//
// API
//   openRawClient(relayUrl, channelId) → Promise<RawClient> (after the 101 answer)
//   RawClient
//     bytesIn / bytesOut     bytes received from / sent to the relay, upgrade included
//     messages               { type, epoch?, seq?, bytes } of each text message received, in order
//     send(text)             one masked text frame
//     hello(token, since?)   the hello message
//     pause() / resume()     stop / start reading the socket (the kernel's buffers fill, then the relay's)
//     waitFor(predicate, timeoutMs = 10000) → the first message (seen or future) matching
//     closed                 Promise of { code } once the connection ends (code of the close frame, if any)
//     close()                ends the connection at once

import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { clientFrame as frame } from '../../helpers/ws-frame';
import { paths } from '../../../shared/protocol/messages';

export interface RawMessage {
  type: string;
  epoch?: string;
  seq?: number;
  bytes: number;
}

export interface RawClient {
  bytesIn: number;
  bytesOut: number;
  readonly messages: RawMessage[];
  send(text: string): void;
  hello(token: string, since?: { epoch: string; seq: number }): void;
  pause(): void;
  resume(): void;
  waitFor(predicate: (message: RawMessage) => boolean, timeoutMs?: number): Promise<RawMessage>;
  closed: Promise<{ code: number | undefined }>;
  close(): void;
}

const HEAD_RE = /^\{"type":"([a-z]+)"(?:,"epoch":"([^"]*)","seq":(\d+))?/;

export function openRawClient(relayUrl: string, channelId: string, options: { localAddress?: string } = {}): Promise<RawClient> {
  const { hostname, port } = new URL(relayUrl);
  const path = paths.socket(channelId);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: hostname, port: Number(port), ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
    let upgraded = false;
    let closeCode: number | undefined;
    const waiters: { predicate: (m: RawMessage) => boolean; resolve: (m: RawMessage) => void }[] = [];
    const closed = new Promise<{ code: number | undefined }>((r) => socket.once('close', () => r({ code: closeCode })));
    socket.once('error', reject);
    socket.on('error', () => undefined);
    const client: RawClient = {
      bytesIn: 0,
      bytesOut: 0,
      messages: [],
      send(text) {
        const bytes = frame(0x1, Buffer.from(text));
        client.bytesOut += bytes.length;
        socket.write(bytes);
      },
      hello(token, since) {
        client.send(JSON.stringify({ type: 'hello', v: 2, token, ...(since ? { since } : {}) }));
      },
      pause: () => socket.pause(),
      resume: () => socket.resume(),
      waitFor(predicate, timeoutMs = 10_000) {
        const seen = client.messages.find(predicate);
        if (seen) return Promise.resolve(seen);
        return new Promise((res, rej) => {
          const waiter = {
            predicate,
            resolve: (m: RawMessage) => {
              clearTimeout(timer);
              res(m);
            },
          };
          const timer = setTimeout(() => {
            waiters.splice(waiters.indexOf(waiter), 1);
            rej(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(client.messages.slice(-5))}`));
          }, timeoutMs);
          waiters.push(waiter);
        });
      },
      closed,
      close: () => socket.destroy(),
    };
    socket.on('connect', () => {
      const request =
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
      client.bytesOut += request.length;
      socket.write(request);
    });
    // Frames are parsed as bytes arrive, keeping only a text frame's first bytes (its type, epoch and
    // seq): megabytes of snapshot are counted, never copied together.
    let upgrade = Buffer.alloc(0);
    let header = Buffer.alloc(0);
    let frameLength = -1;
    let remaining = 0;
    let opcode = 0;
    let head = Buffer.alloc(0);
    const onPayloadEnd = (): void => {
      if (opcode === 0x1) {
        const m = HEAD_RE.exec(head.toString('latin1'));
        const message: RawMessage = { type: m?.[1] ?? '?', bytes: frameLength, ...(m?.[2] !== undefined ? { epoch: m[2], seq: Number(m[3]) } : {}) };
        client.messages.push(message);
        for (const w of [...waiters]) {
          if (!w.predicate(message)) continue;
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(message);
        }
      } else if (opcode === 0x9) {
        const pong = frame(0xa, head);
        client.bytesOut += pong.length;
        socket.write(pong);
      } else if (opcode === 0x8) {
        closeCode = head.length >= 2 ? head.readUInt16BE(0) : undefined;
      }
      header = Buffer.alloc(0);
      frameLength = -1;
      head = Buffer.alloc(0);
    };
    socket.on('data', (chunk: Buffer) => {
      client.bytesIn += chunk.length;
      let data = chunk;
      if (!upgraded) {
        upgrade = Buffer.concat([upgrade, data]);
        const end = upgrade.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = upgrade.subarray(0, end).toString('latin1');
        if (!status.startsWith('HTTP/1.1 101')) {
          reject(new Error(`upgrade refused: ${status.split('\r\n')[0]}`));
          socket.destroy();
          return;
        }
        upgraded = true;
        data = upgrade.subarray(end + 4);
        resolve(client);
      }
      while (data.length > 0) {
        if (frameLength < 0) {
          const before = header.length;
          header = Buffer.concat([header, data.subarray(0, 14 - before)]);
          const short = header.length >= 2 ? header[1]! & 0x7f : 0;
          const size = short === 126 ? 4 : short === 127 ? 10 : 2;
          if (header.length < size) {
            // The header goes on in the next chunk (all of this one is in `header`).
            data = data.subarray(data.length);
            continue;
          }
          opcode = header[0]! & 0x0f;
          frameLength = short === 126 ? header.readUInt16BE(2) : short === 127 ? Number(header.readBigUInt64BE(2)) : short;
          remaining = frameLength;
          data = data.subarray(size - before);
          header = Buffer.alloc(0);
          if (remaining === 0) onPayloadEnd();
          continue;
        }
        const take = Math.min(remaining, data.length);
        const keep = (opcode === 0x1 ? 120 : 125) - head.length;
        if (keep > 0) head = Buffer.concat([head, data.subarray(0, Math.min(keep, take))]);
        remaining -= take;
        data = data.subarray(take);
        if (remaining === 0) onPayloadEnd();
      }
    });
  });
}
