// What only the SQLite store does (the shared contract is in store-contract.test.ts): the epoch reset
// that protects clients when a power loss may have rolled back acknowledged commits, and the migration
// of a database written by the previous relay.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, type SqliteStoreOptions } from '../../relay/sqlite-store';
import type { AppendRequest } from '../../relay/store';
import { patchMessageText, utf8Bytes } from '../../relay/wire-messages';
import { gridHash } from '../../shared/canonical-hash';
import { writeV1Database } from './support/v1-database';

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

test('a database written by the previous relay (schema 1) is migrated on start: channels, secrets and revocations kept, grids re-chunked and re-hashed, new epochs, no history', async () => {
  const rows = Array.from({ length: 600 }, (_, i) => [`color/token-${i}`, '#0066ff', i % 2 === 0 ? '' : 'x']);
  writeV1Database(dir, [
    { channelId: CHANNEL, secret: 's'.repeat(43), epoch: 'epoch-v1', seq: 12, title: 'Tokens', tabs: [{ tabId: 7, name: 'Colors', values: rows }, { tabId: 2, name: 'Empty', values: [] }], revoked: ['fp-1', 'fp-2'], history: ['c-11', 'c-12'] },
    { channelId: 'sqlite-store-channel-2', secret: 't'.repeat(43), epoch: 'epoch-b', seq: 0, tabs: [] },
  ]);
  const store = openStore();
  expect(store.migration).toEqual({ from: 1, channelsMigrated: 2 });
  const channel = (await store.getChannel(CHANNEL))!;
  const grid = { tabs: [{ tabId: 7, name: 'Colors', rows }, { tabId: 2, name: 'Empty', rows: [] }] };
  expect(channel).toEqual({ channelId: CHANNEL, secret: 's'.repeat(43), epoch: expect.not.stringMatching(/^epoch-v1$/), seq: 12, hash: gridHash(grid), title: 'Tokens', revoked: ['fp-1', 'fp-2'] });
  expect(await store.findAnswer(CHANNEL, 'c-12')).toBeUndefined();
  expect(await store.catchUp(CHANNEL, { epoch: 'epoch-v1', seq: 11 })).toEqual({ recovery: 'snapshot', epoch: channel.epoch, seq: 12, title: 'Tokens' });
  const head = (await store.head(CHANNEL))!;
  expect(head.tabs.map((t) => [t.tabId, t.rowCount, t.chunks.length])).toEqual([[2, 0, 0], [7, 600, 3]]);
  const snapshot = JSON.parse((await store.snapshot(CHANNEL))!.message.toString()) as { tabs: { tabId: number; name: string; values: (string | number)[][] }[]; hash: string };
  expect(snapshot.hash).toBe(gridHash(grid));
  expect(gridHash({ tabs: snapshot.tabs.map((t) => ({ tabId: t.tabId, name: t.name, rows: t.values })) })).toBe(gridHash(grid));
  expect((await store.getChannel('sqlite-store-channel-2'))!.hash).toBe(gridHash({ tabs: [] }));
  await store.close();
  open.splice(0);
  // Opened again, the file is current: nothing to migrate, epochs stay.
  const again = openStore();
  expect({ migration: again.migration, epoch: (await again.getChannel(CHANNEL))!.epoch }).toEqual({ migration: { from: 2, channelsMigrated: 0 }, epoch: channel.epoch });
});

test('a database written by a newer relay is refused with what to do', () => {
  const db = new Database(join(dir, 'relay.db'));
  db.pragma('user_version = 9');
  db.close();
  expect(() => openStore()).toThrow(/schema version 9, newer than this relay's 2: run a newer relay, or restore a backup/);
});
