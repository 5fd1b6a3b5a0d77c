// What only the SQLite store does (the shared contract is in store-contract.test.ts): the epoch reset
// that protects clients when a power loss may have rolled back acknowledged commits.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, type SqliteStoreOptions } from '../../relay/sqlite-store';
import type { AppendRequest } from '../../relay/store';
import { patchMessageText, utf8Bytes } from '../../relay/wire-messages';

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

function openStore(options: Partial<SqliteStoreOptions> = {}): SqliteStore {
  const store = new SqliteStore({ dataDir: dir, sync: 'normal', historyLimit: 100, historyMaxBytes: 1_000_000, ...options }, () => undefined);
  open.push(store);
  return store;
}

function request(epoch: string, baseSeq: number, changeId: string): AppendRequest {
  const change = { id: changeId, tabs: [], hash: 'f'.repeat(64) };
  const message = utf8Bytes(patchMessageText(change, epoch, baseSeq + 1, 1));
  return { channelId: CHANNEL, changeId, baseEpoch: epoch, baseSeq, kind: 'patch', hash: change.hash, title: undefined, at: 1, bytes: 0, tabs: [], removedTabs: [], chunks: [], dropChunks: [], message };
}

/** Marks the database as left open by a process, on a machine with another boot id. */
function simulateCrashBeforeReboot(): void {
  const db = new Database(join(dir, 'relay.db'));
  db.prepare(`UPDATE meta SET value = ? WHERE key = ?`).run('1', 'running');
  db.prepare(`UPDATE meta SET value = ? WHERE key = ?`).run('boot-before-the-power-cut', 'boot_id');
  db.close();
}

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
