// Attack (issue 11, row 1): sockets that subscribe to a big channel with its pairing code, ask for a
// resync, and stop reading. Before the fix each pinned its own ~16 MB copy of the snapshot in the relay.
//
// API
//   stallResyncReaders(relayUrl, channel, { sockets = 30, addresses? }) → Promise<StalledReaders>
//     Opens the sockets one after another, each: hello, wait for welcome, resync, stop reading; from
//     the loopback `addresses` in turn when given (past MAX_SOCKETS_PER_CHANNEL_PER_IP from one).
//   StalledReaders
//     clients            the RawClients
//     resyncAll()        each socket asks for a resync again (still not reading)
//     closedBy(code)     how many were closed by the relay with that close code so far (or cut: 1006)
//     stop()             closes every socket

import type { TestChannel } from '../../relay/support/relay-api';
import { openRawClient, type RawClient } from './raw-client';

export interface StalledReaders {
  clients: RawClient[];
  resyncAll(): void;
  stop(): Promise<void>;
}

export async function stallResyncReaders(relayUrl: string, channel: TestChannel, options: { sockets?: number; addresses?: readonly string[] } = {}): Promise<StalledReaders> {
  const clients: RawClient[] = [];
  for (let i = 0; i < (options.sockets ?? 30); i++) {
    const localAddress = options.addresses?.[i % options.addresses.length];
    const client = await openRawClient(relayUrl, channel.channelId, localAddress ? { localAddress } : {});
    clients.push(client);
    client.hello(channel.token);
    await client.waitFor((m) => m.type === 'welcome');
    client.send('{"type":"resync"}');
    client.pause();
  }
  return {
    clients,
    resyncAll: () => clients.forEach((c) => c.send('{"type":"resync"}')),
    async stop() {
      for (const c of clients) c.close();
      await Promise.all(clients.map((c) => c.closed));
    },
  };
}
