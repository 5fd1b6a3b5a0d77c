// Issue 11, row 6: a 17-byte resync used to return the full snapshot, 20 times a second per socket (three
// sockets pulled 2.5 GB from a 5 MB channel in about 9 s). Now a socket that holds the current snapshot
// gets nothing for a resync, and otherwise at most one snapshot per RESYNC_INTERVAL_MS: the bytes out
// follow the changes of the grid, not the resyncs in.

import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { postChange } from '../relay/support/relay-api';
import { createBigChannel } from './support/big-channel';
import { floodResyncs } from './support/attack-resync-flood';

let redis: TestRedis | undefined;
let relay: RelayProcess | undefined;

afterEach(async () => {
  await relay?.stop();
  relay = undefined;
});
afterAll(async () => {
  await redis?.stop();
});

async function startOn(store: 'sqlite' | 'redis', env: Record<string, string>): Promise<RelayProcess> {
  if (store === 'redis') {
    redis ??= await startRedis();
    Object.assign(env, { REDIS_URL: redis.url, REDIS_PREFIX: `resync${process.pid}-${Date.now()}:` });
  }
  return startRelayProcess(env);
}

describe.each(['sqlite', 'redis'] as const)('on %s', (store) => {
  test('resyncs on an unchanged 5 MB grid get nothing beyond the snapshot each socket took at hello', async () => {
    relay = await startOn(store, {});
    const { channel, bytes } = await createBigChannel(relay.url);
    const flood = await floodResyncs(relay.url, channel, { sockets: 3, perSecond: 18, durationMs: 3000 });
    expect(flood.resyncsSent).toBeGreaterThan(100);
    expect(flood.snapshots).toBe(3);
    // One snapshot per socket (each ~`bytes`), whatever the resyncs: 2.5 GB in 9 s before the fix.
    expect(flood.bytesIn).toBeLessThan(3 * (bytes + 64 * 1024));
    expect(flood.closes).toEqual([]);
  }, 60_000);

  test('on a grid that changes ten times a second, each socket gets at most one snapshot per RESYNC_INTERVAL_MS', async () => {
    relay = await startOn(store, { RESYNC_INTERVAL_MS: '1000', REQUEST_RATE: '100', REQUEST_BURST: '100' });
    const { channel, sheet, bytes } = await createBigChannel(relay.url);
    let editing = true;
    const edits = (async () => {
      for (let i = 0; editing; i++) {
        await postChange(relay!.url, channel, sheet.patch(0, 'Tokens', 1 + (i % 50), 2, [[`#0000${String(i % 100).padStart(2, '0')}`]]));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const seconds = 3;
    const flood = await floodResyncs(relay.url, channel, { sockets: 3, perSecond: 18, durationMs: seconds * 1000 });
    editing = false;
    await edits;
    // Per socket: the hello snapshot, then at most one per second (plus one at the edge), and small patches.
    const perSocket = 1 + seconds + 1;
    expect(flood.snapshots).toBeLessThanOrEqual(3 * perSocket);
    expect(flood.bytesIn).toBeLessThan(3 * perSocket * (bytes + 64 * 1024));
    // Bytes out per byte in: bounded by the grid's changes, not by the resyncs (which were ~17 bytes each).
    expect(flood.bytesIn / flood.bytesOut).toBeLessThan((3 * perSocket * bytes) / (flood.resyncsSent * 17));
  }, 60_000);
});
