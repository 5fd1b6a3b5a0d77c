// The SQLite store on its own: atomic appends with compare-and-set, bounded history, and the
// epoch reset that protects clients when a power loss may have rolled back acknowledged commits.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, type SqliteStoreOptions } from '../../relay/sqlite-store';
import type { AppendRequest, ChannelEvent } from '../../relay/store';
import { gridToTabsJson, patchMessageText } from '../../relay/wire-messages';
import { emptyGrid } from '../../shared/grid';

const CHANNEL = 'sqlite-store-channel-1';
let dir: string;
const open: SqliteStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-store-'));
});
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function openStore(options: Partial<SqliteStoreOptions> = {}, events: [string, ChannelEvent][] = []): SqliteStore {
  const store = new SqliteStore({ dataDir: dir, sync: 'normal', historyLimit: 100, historyMaxBytes: 1_000_000, ...options }, (id, event) => events.push([id, event]));
  open.push(store);
  return store;
}

function request(epoch: string, baseSeq: number, changeId: string): AppendRequest {
  const grid = emptyGrid();
  const change = { id: changeId, tabs: [], hash: 'f'.repeat(64) };
  return { channelId: CHANNEL, changeId, baseEpoch: epoch, baseSeq, kind: 'patch', grid, tabsJson: gridToTabsJson(grid), hash: change.hash, title: undefined, at: 1, message: patchMessageText(change, epoch, baseSeq + 1, 1) };
}

/** Marks the database as left open by a process, on a machine with another boot id. */
function simulateCrashBeforeReboot(): void {
  const db = new Database(join(dir, 'relay.db'));
  db.prepare(`UPDATE meta SET value = ? WHERE key = ?`).run('1', 'running');
  db.prepare(`UPDATE meta SET value = ? WHERE key = ?`).run('boot-before-the-power-cut', 'boot_id');
  db.close();
}

test('an append at a stale seq is refused as a conflict and changes nothing', async () => {
  const store = openStore();
  const { channel } = await store.createChannel(CHANNEL, 's'.repeat(43), 'epoch-1', 'h'.repeat(64));
  expect(await store.append(request(channel.epoch, 0, 'a'))).toEqual({ result: 'appended', accepted: { epoch: 'epoch-1', seq: 1, hash: 'f'.repeat(64) } });
  expect(await store.append(request(channel.epoch, 0, 'b'))).toEqual({ result: 'conflict' });
  expect(await store.append(request('other-epoch', 1, 'b'))).toEqual({ result: 'conflict' });
  expect((await store.getChannel(CHANNEL))!.seq).toBe(1);
});

test('an append of a change id already stored answers the original, whatever the base', async () => {
  const store = openStore();
  await store.createChannel(CHANNEL, 's'.repeat(43), 'epoch-1', 'h'.repeat(64));
  await store.append(request('epoch-1', 0, 'a'));
  expect(await store.append(request('epoch-1', 1, 'a'))).toEqual({ result: 'duplicate', accepted: { epoch: 'epoch-1', seq: 1, hash: 'f'.repeat(64) } });
});

test('history keeps the last HISTORY_LIMIT changes, and change ids go with them', async () => {
  const store = openStore({ historyLimit: 3 });
  await store.createChannel(CHANNEL, 's'.repeat(43), 'epoch-1', 'h'.repeat(64));
  for (let seq = 0; seq < 6; seq++) await store.append(request('epoch-1', seq, `id-${seq + 1}`));
  expect((await store.readRange(CHANNEL, 3, 6))!.map((e) => e.seq)).toEqual([4, 5, 6]);
  expect(await store.readRange(CHANNEL, 2, 6)).toBeUndefined();
  expect(await store.findAnswer(CHANNEL, 'id-3')).toBeUndefined();
  expect(await store.findAnswer(CHANNEL, 'id-4')).toEqual({ epoch: 'epoch-1', seq: 4, hash: 'f'.repeat(64) });
});

test('followers hear about a commit only after it, and only for followed channels', async () => {
  const events: [string, ChannelEvent][] = [];
  const store = openStore({}, events);
  await store.createChannel(CHANNEL, 's'.repeat(43), 'epoch-1', 'h'.repeat(64));
  await store.append(request('epoch-1', 0, 'a'));
  await store.follow(CHANNEL);
  await store.append(request('epoch-1', 1, 'b'));
  expect(events).toEqual([]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(events).toEqual([[CHANNEL, { type: 'change', seq: 2, message: expect.stringContaining('"seq":2'), committedAt: expect.any(Number) }]]);
});

test('after an unclean stop and a reboot, with SQLITE_SYNC=normal, every channel gets a new epoch and an empty history', async () => {
  const first = openStore();
  await first.createChannel(CHANNEL, 's'.repeat(43), 'epoch-1', 'h'.repeat(64));
  await first.append(request('epoch-1', 0, 'a'));
  await first.close();
  open.splice(0);
  simulateCrashBeforeReboot();
  const second = openStore();
  const channel = (await second.getChannel(CHANNEL))!;
  expect({ reset: second.channelsResetAtStart, seq: channel.seq, newEpoch: channel.epoch !== 'epoch-1' }).toEqual({ reset: 1, seq: 1, newEpoch: true });
  expect(await second.catchUp(CHANNEL, { epoch: 'epoch-1', seq: 1 })).toEqual(expect.objectContaining({ recovery: 'snapshot', epoch: channel.epoch }));
  expect(await second.findAnswer(CHANNEL, 'a')).toBeUndefined();
});

test('a clean stop before a reboot keeps every epoch', async () => {
  const first = openStore();
  await first.createChannel(CHANNEL, 's'.repeat(43), 'epoch-1', 'h'.repeat(64));
  await first.close();
  open.splice(0);
  const db = new Database(join(dir, 'relay.db'));
  db.prepare(`UPDATE meta SET value = ? WHERE key = ?`).run('boot-before-the-power-cut', 'boot_id');
  db.close();
  const second = openStore();
  expect({ reset: second.channelsResetAtStart, epoch: (await second.getChannel(CHANNEL))!.epoch }).toEqual({ reset: 0, epoch: 'epoch-1' });
});

test('with SQLITE_SYNC=full an unclean stop before a reboot keeps every epoch (every commit was synced)', async () => {
  const first = openStore({ sync: 'full' });
  await first.createChannel(CHANNEL, 's'.repeat(43), 'epoch-1', 'h'.repeat(64));
  await first.close();
  open.splice(0);
  simulateCrashBeforeReboot();
  const second = openStore({ sync: 'full' });
  expect({ reset: second.channelsResetAtStart, epoch: (await second.getChannel(CHANNEL))!.epoch }).toEqual({ reset: 0, epoch: 'epoch-1' });
});
