// A WebSocket frame as a client sends it, for the raw clients of the hostile tests and the relay bench
// (they speak RFC 6455 over a bare TCP socket to do what a library would not: stall, flood, or cost
// nothing per message).

import { randomBytes } from 'node:crypto';

/** A masked client frame (clients must mask, RFC 6455 §5.3): final, with `opcode` (0x1 text, 0xa pong…). */
export function clientFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const length = payload.length;
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const out = Buffer.alloc(header + 4 + length);
  out[0] = 0x80 | opcode;
  if (length < 126) out[1] = 0x80 | length;
  else if (length < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(length), 2);
  }
  mask.copy(out, header);
  for (let i = 0; i < length; i++) out[header + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return out;
}
