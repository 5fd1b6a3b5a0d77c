// A minimal WebSocket subscriber for the benchmark: a raw TCP socket, the RFC 6455 handshake and a
// frame reader that hands over text payloads without per-message events or copies. It keeps the
// client's cost per delivery far below the servers', so the bench measures the servers.

import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { clientFrame as frame } from '../../test/helpers/ws-frame';

export interface RawSubscriber {
  send(text: string): void;
  close(): void;
  closed: Promise<void>;
}

/** Opens a socket to ws://host:port/path; resolves after the 101 answer. `onText` gets each text payload (a view into the read buffer). */
export function openRawSubscriber(url: string, onText: (payload: Buffer) => void): Promise<RawSubscriber> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: hostname, port: Number(port) });
    socket.setNoDelay(true);
    let pending: Buffer = Buffer.alloc(0);
    let upgraded = false;
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('error', reject);
    socket.on('connect', () => {
      socket.write(
        `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    const subscriber: RawSubscriber = {
      send: (text) => socket.write(frame(0x1, Buffer.from(text))),
      close: () => socket.destroy(),
      closed,
    };
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      if (!upgraded) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) {
          reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
          socket.destroy();
          return;
        }
        upgraded = true;
        pending = pending.subarray(end + 4);
        resolve(subscriber);
      }
      let offset = 0;
      while (pending.length - offset >= 2) {
        const opcode = pending[offset]! & 0x0f;
        let length = pending[offset + 1]! & 0x7f;
        let header = 2;
        if (length === 126) {
          if (pending.length - offset < 4) break;
          length = pending.readUInt16BE(offset + 2);
          header = 4;
        } else if (length === 127) {
          if (pending.length - offset < 10) break;
          length = Number(pending.readBigUInt64BE(offset + 2));
          header = 10;
        }
        if (pending.length - offset < header + length) break;
        const payload = pending.subarray(offset + header, offset + header + length);
        if (opcode === 0x1) onText(payload);
        else if (opcode === 0x9) socket.write(frame(0xa, Buffer.from(payload)));
        offset += header + length;
      }
      pending = offset === pending.length ? Buffer.alloc(0) : pending.subarray(offset);
    });
  });
}
