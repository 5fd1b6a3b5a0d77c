// Attack (issue 11, row 2): one channel's holder posting ~5 MB snapshots back to back, each different,
// as fast as the relay answers (up to its rate limit), so the relay parses, validates and hashes 5 MB
// again and again. Before the fix three such streams moved another channel's p99 from 8.6 ms to 905 ms.
//
// API
//   streamSnapshots(relayUrl, channel, { durationMs = 5000, streams = 1, prepared }) → Promise<SnapshotStream>
//     `prepared` (snapshotBodies) are cycled; each post has a fresh id and signature.
//   SnapshotStream { accepted, busy, limited, other, bytesPosted }: 200s, 503 RELAY_BUSY, 429, anything else.

import { Agent, request } from 'node:http';
import { paths } from '../../../shared/protocol/messages';
import type { TestChannel } from '../../relay/support/relay-api';
import { signedSnapshot, type PreparedSnapshot } from './big-channel';

export interface SnapshotStream {
  accepted: number;
  busy: number;
  limited: number;
  other: number;
  bytesPosted: number;
}

function post(relayUrl: string, path: string, agent: Agent, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const u = new URL(relayUrl);
    const req = request({ host: u.hostname, port: u.port, path, method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

export async function streamSnapshots(relayUrl: string, channel: TestChannel, options: { durationMs?: number; streams?: number; prepared: PreparedSnapshot[] }): Promise<SnapshotStream> {
  const totals: SnapshotStream = { accepted: 0, busy: 0, limited: 0, other: 0, bytesPosted: 0 };
  const agent = new Agent({ keepAlive: true });
  const end = Date.now() + (options.durationMs ?? 5000);
  const path = paths.changes(channel.channelId);
  let k = 0;
  await Promise.all(
    Array.from({ length: options.streams ?? 1 }, async () => {
      while (Date.now() < end) {
        const { body, headers } = signedSnapshot(options.prepared[k++ % options.prepared.length]!, channel);
        const status = await post(relayUrl, path, agent, body, headers);
        totals.bytesPosted += body.length;
        if (status === 200) totals.accepted++;
        else if (status === 503) totals.busy++;
        else if (status === 429) totals.limited++;
        else totals.other++;
        // A refused post is retried after a short pause, as an eager client would (not Retry-After).
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }),
  );
  agent.destroy();
  return totals;
}
