// Attack (issue 11, row 6): sockets that send the 17-byte {"type":"resync"} as fast as their message
// rate allows and read everything, to make the relay send snapshot after snapshot. Before the fix three
// such sockets pulled 2.5 GB from a 5 MB channel in about 9 s.
//
// API
//   floodResyncs(relayUrl, channel, { sockets = 3, perSecond = 18, durationMs = 3000 }) → Promise<ResyncFlood>
//   ResyncFlood { bytesIn, bytesOut, resyncsSent, snapshots, closes }: bytes the relay sent to / received
//     from the attacker's sockets (upgrade and hello included), snapshot messages received, and the close
//     codes of sockets the relay closed.

import type { TestChannel } from '../../relay/support/relay-api';
import { openRawClient } from './raw-client';

export interface ResyncFlood {
  bytesIn: number;
  bytesOut: number;
  resyncsSent: number;
  snapshots: number;
  closes: (number | undefined)[];
}

export async function floodResyncs(relayUrl: string, channel: TestChannel, options: { sockets?: number; perSecond?: number; durationMs?: number } = {}): Promise<ResyncFlood> {
  const perSecond = options.perSecond ?? 18;
  const durationMs = options.durationMs ?? 3000;
  const clients = [];
  for (let i = 0; i < (options.sockets ?? 3); i++) {
    const client = await openRawClient(relayUrl, channel.channelId);
    client.hello(channel.token);
    await client.waitFor((m) => m.type === 'welcome');
    clients.push(client);
  }
  let resyncsSent = 0;
  const closes: (number | undefined)[] = [];
  const open = new Set(clients);
  for (const c of clients) void c.closed.then(({ code }) => (open.delete(c), closes.push(code)));
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    for (const c of open) {
      c.send('{"type":"resync"}');
      resyncsSent++;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
  }
  // What the relay sends in answer may still be on its way: give it a moment, then count.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const totals = {
    bytesIn: clients.reduce((n, c) => n + c.bytesIn, 0),
    bytesOut: clients.reduce((n, c) => n + c.bytesOut, 0),
    resyncsSent,
    snapshots: clients.reduce((n, c) => n + c.messages.filter((m) => m.type === 'snapshot').length, 0),
    closes,
  };
  for (const c of clients) c.close();
  await Promise.all(clients.map((c) => c.closed));
  return totals;
}
