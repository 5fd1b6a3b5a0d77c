// Signed-request floods on one channel, row 8 of issue 11: requests far past the channel's rate (the
// replay guard used to store every signature before the rate limit refused it), and bodies that are
// read only to fail their signature (they used to be held whole, unbounded in total).
//
// API
//   signedFlood(relayUrl, { channelId, secret }, { durationMs, kind, addresses = ['127.0.0.2'], concurrency = 16,
//                                                  bodyBytes = 1000, holdLastByteMs? }) → Promise<SignedFloodResult>
//     holdLastByteMs: each body is sent but for its last byte, which follows so many ms later (bodies pile up)
//   kind
//     'valid'          correctly signed patches (each a new signature) on the channel
//     'bad-signature'  a fresh timestamp and a wrong signature, with a body of bodyBytes
//     'stale'          a timestamp an hour old, announcing bodyBytes and sending none (answered before any body)
//   SignedFloodResult { sent, answers (tally), refusedByRate: the first 20 requests answered 429, to send again later }
//   resend(relayUrl, request, localAddress) → Promise<HttpAnswer>   sends one recorded request again, byte for byte

import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { paths } from '../../../shared/protocol/messages';
import { signRequest } from '../../../shared/protocol/signing';
import { httpFrom, tally, type HttpAnswer } from './attacker';

export type SignedFloodKind = 'valid' | 'bad-signature' | 'stale';

export interface RecordedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface SignedFloodResult {
  sent: number;
  answers: Record<string, number>;
  refusedByRate: RecordedRequest[];
}

export async function signedFlood(
  relayUrl: string,
  channel: { channelId: string; secret: string },
  options: { durationMs: number; kind: SignedFloodKind; addresses?: readonly string[]; concurrency?: number; bodyBytes?: number; holdLastByteMs?: number },
): Promise<SignedFloodResult> {
  const addresses = options.addresses ?? ['127.0.0.2'];
  const agents = new Map(addresses.map((address) => [address, new Agent({ keepAlive: true, maxSockets: 8, localAddress: address })]));
  const path = paths.changes(channel.channelId);
  const answers: HttpAnswer[] = [];
  const refusedByRate: RecordedRequest[] = [];
  const deadline = Date.now() + options.durationMs;
  let n = 0;
  const filler = 'x'.repeat(Math.max(0, (options.bodyBytes ?? 1000) - 200));
  const patch = (i: number): string =>
    JSON.stringify({ v: 2, id: `flood-${i}-${randomBytes(4).toString('hex')}`, kind: 'patch', tabs: [{ tabId: 9, name: 'F', ranges: [{ row: 1, col: 1, values: [[filler]] }] }], hash: '0'.repeat(64) });
  // Requests that cannot pass need no work from the attacker: one body, and a signature that is only hex.
  const unsigned = options.kind === 'valid' ? undefined : patch(0);
  const worker = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const i = n++;
      const address = addresses[i % addresses.length]!;
      // A patch to a tab of its own: a valid one is taken (its hash is not checked before the signature).
      const body = unsigned ?? patch(i);
      const timestamp = options.kind === 'stale' ? Date.now() - 3_600_000 : Date.now();
      const signature = options.kind === 'valid' ? signRequest(channel.secret, timestamp, 'POST', path, body) : `v1=${randomBytes(32).toString('hex')}`;
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-sync-timestamp': String(timestamp), 'x-sync-signature': signature };
      let answer: HttpAnswer;
      if (options.kind === 'stale') {
        // Headers announcing the body, and no body: the relay must answer without reading one.
        // No keep-alive: a connection whose announced body never came cannot carry another request.
        answer = await httpFrom(relayUrl + path, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' }, localAddress: address, agent: false, timeoutMs: 5000 });
      } else {
        answer = await httpFrom(relayUrl + path, { method: 'POST', headers, body, localAddress: address, agent: agents.get(address), holdLastByteMs: options.holdLastByteMs });
      }
      answers.push(answer);
      if (answer.status === 429 && answer.code === 'RATE_LIMITED' && refusedByRate.length < 20) refusedByRate.push({ path, headers, body });
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  } finally {
    for (const agent of agents.values()) agent.destroy();
  }
  return { sent: answers.length, answers: tally(answers), refusedByRate };
}

export function resend(relayUrl: string, request: RecordedRequest, localAddress = '127.0.0.2'): Promise<HttpAnswer> {
  return httpFrom(relayUrl + request.path, { method: 'POST', headers: request.headers, body: request.body, localAddress });
}
