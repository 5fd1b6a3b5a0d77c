// Snapshots are built once per head and shared: concurrent requests wait for one build, a kept one
// serves later requests at its position, and a head that moved on is built again.

import { HeadCache } from '../../relay/head-cache';
import { RelayMetrics } from '../../relay/metrics';
import { Snapshots } from '../../relay/snapshots';
import type { Store, StoredSnapshot } from '../../relay/store';

function storeAt(position: { epoch: string; seq: number }): { store: Store; builds: () => number } {
  let builds = 0;
  const partial: Pick<Store, 'snapshot'> = {
    snapshot: async () => {
      builds++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { ...position, title: undefined, message: Buffer.from(`{"type":"snapshot","seq":${position.seq}}`) } satisfies StoredSnapshot;
    },
  };
  return { store: partial as Store, builds: () => builds };
}

test('a hundred sockets asking at once get one build, the same buffer', async () => {
  const position = { epoch: 'e', seq: 4 };
  const { store, builds } = storeAt(position);
  const snapshots = new Snapshots(store, new HeadCache(1024 * 1024), new RelayMetrics({ processMetrics: false }));
  const all = await Promise.all(Array.from({ length: 100 }, () => snapshots.current('ch', position)));
  expect(builds()).toBe(1);
  expect(new Set(all.map((s) => s!.message)).size).toBe(1);
  // Kept with the head: a later request at that position costs nothing.
  await snapshots.current('ch', position);
  expect(builds()).toBe(1);
});

test('a request for a later position (the head moved on) builds again; another epoch is never served from the cache', async () => {
  const position = { epoch: 'e', seq: 4 };
  const { store, builds } = storeAt(position);
  const snapshots = new Snapshots(store, new HeadCache(1024 * 1024), new RelayMetrics({ processMetrics: false }));
  await snapshots.current('ch', position);
  position.seq = 5;
  expect((await snapshots.current('ch', { epoch: 'e', seq: 5 }))!.seq).toBe(5);
  position.epoch = 'f';
  position.seq = 1;
  expect((await snapshots.current('ch', { epoch: 'f', seq: 1 }))!.epoch).toBe('f');
  expect(builds()).toBe(3);
});
