// The SQLite store on its own thread, as the relay runs it: the Store contract's answers come back
// across the thread, errors keep their codes, and the WAL is checkpointed by a thread of its own (the
// store's commits never do it), so it does not grow without bound.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../relay/logger';
import type { ChannelEvent } from '../../relay/store';
import { patchMessageText, utf8Bytes } from '../../relay/wire-messages';
import { WorkerStore } from '../../relay/worker-store';

let dir: string;
let store: WorkerStore | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'worker-store-'));
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const CHANNEL = 'worker-store-channel-1';

test('calls and events cross the thread; once the thread is gone every call is refused with STORE_UNAVAILABLE', async () => {
  const events: [string, ChannelEvent][] = [];
  store = new WorkerStore({ dataDir: dir, sync: 'normal', historyLimit: 100, historyMaxBytes: 1_000_000 }, (id, e) => events.push([id, e]), createLogger('silent'));
  expect(await store.open()).toEqual({ channelsResetAtStart: 0, migration: { from: 0, channelsMigrated: 0 } });
  await store.createChannel(CHANNEL, 's'.repeat(43), 'e', 'h'.repeat(64));
  await store.follow(CHANNEL);
  const message = utf8Bytes(patchMessageText({ id: 'a', tabs: [], hash: 'h'.repeat(64) }, 'e', 1, 1));
  const request = { channelId: CHANNEL, changeId: 'a', baseEpoch: 'e', baseSeq: 0, kind: 'patch' as const, hash: 'h'.repeat(64), title: undefined, at: 1, bytes: 0, tabs: [], removedTabs: [], chunks: [], dropChunks: [], message };
  expect(await store.append(request)).toEqual({ result: 'appended', accepted: { epoch: 'e', seq: 1, hash: 'h'.repeat(64) } });
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(events.map(([id, e]) => [id, e.type, e.type === 'change' ? Buffer.from(e.message).toString() : ''])).toEqual([[CHANNEL, 'change', Buffer.from(message).toString()]]);
  await expect(store.readChunks(CHANNEL, { epoch: 'e', seq: 1 }, [{ tabId: 1, index: 0 }])).resolves.toBeUndefined();
  await (store as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
  await expect(store.getChannel(CHANNEL)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  await expect(store.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
});

test('after many large commits the WAL stays bounded: another thread checkpoints it', async () => {
  store = new WorkerStore({ dataDir: dir, sync: 'normal', historyLimit: 100, historyMaxBytes: 1_000_000 }, () => undefined, createLogger('silent'));
  await store.open();
  await store.createChannel(CHANNEL, 's'.repeat(43), 'e', 'h'.repeat(64));
  const chunk = utf8Bytes('x'.repeat(1024 * 1024));
  for (let seq = 0; seq < 40; seq++) {
    const message = utf8Bytes(`{"type":"snapshot","epoch":"e","seq":${seq + 1},"hash":"${'h'.repeat(64)}"}`);
    const tabs = [{ tabId: 1, name: 'T', rowCount: 1, digest: 'd', bytes: chunk.byteLength, chunks: [{ digest: `d${seq}`, rows: 1, lastNonEmpty: 0, bytes: chunk.byteLength }] }];
    const outcome = await store.append({ channelId: CHANNEL, changeId: `c${seq}`, baseEpoch: 'e', baseSeq: seq, kind: 'snapshot', hash: 'h'.repeat(64), title: undefined, at: 1, bytes: chunk.byteLength, tabs, removedTabs: [], chunks: [{ tabId: 1, index: 0, text: new Uint8Array(chunk) }], dropChunks: [], message });
    expect(outcome.result).toBe('appended');
    // As a stream of snapshots would, with the checkpointer's ticks in between.
    if (seq % 8 === 7) await new Promise((resolve) => setTimeout(resolve, 300));
  }
  await new Promise((resolve) => setTimeout(resolve, 600));
  // 40 MB were committed; without checkpoints the WAL would hold them all. With them it holds what
  // came between two checkpoints that finished: 8 MB and a tick on a quiet machine, up to 17.6 MB seen
  // on a loaded CI run (the file keeps its largest size), so the bound leaves room for that.
  expect(statSync(join(dir, 'relay.db-wal')).size).toBeLessThan(28 * 1024 * 1024);
});
