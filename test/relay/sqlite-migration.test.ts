// The SQLite schema's upgrade on start: a database written by the previous relay (schema 1, protocol v1)
// keeps its channels, secrets and revocations, gets its grids re-chunked and re-hashed, and new epochs;
// a database of a newer relay is refused.

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../relay/sqlite-store';
import { gridHash } from '../../shared/protocol/canonical-hash';
import { subscribeToken } from '../../shared/protocol/signing';
import { startRelayProcess } from '../helpers/relay-process';
import { subscribe } from '../helpers/ws-client';
import { writeV1Database } from './support/v1-database';

const CHANNEL = 'sqlite-migration-channel-1';
let dir: string;
const open: SqliteStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-migration-'));
});
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function openStore(): SqliteStore {
  const store = new SqliteStore({ dataDir: dir, sync: 'normal', historyLimit: 100, historyMaxBytes: 1_000_000 }, () => undefined);
  open.push(store);
  return store;
}

test('a database written by the previous relay (schema 1) is migrated on start: channels, secrets and revocations kept, grids re-chunked and re-hashed, new epochs, no history', async () => {
  const rows = Array.from({ length: 600 }, (_, i) => [`color/token-${i}`, '#0066ff', i % 2 === 0 ? '' : 'x']);
  writeV1Database(dir, [
    { channelId: CHANNEL, secret: 's'.repeat(43), epoch: 'epoch-v1', seq: 12, title: 'Tokens', tabs: [{ tabId: 7, name: 'Colors', values: rows }, { tabId: 2, name: 'Empty', values: [] }], revoked: ['fp-1', 'fp-2'], history: ['c-11', 'c-12'] },
    { channelId: 'sqlite-migration-channel-2', secret: 't'.repeat(43), epoch: 'epoch-b', seq: 0, tabs: [] },
  ]);
  const store = openStore();
  expect(store.migration).toEqual({ from: 1, channelsMigrated: 2 });
  const channel = (await store.getChannel(CHANNEL))!;
  const grid = { tabs: [{ tabId: 7, name: 'Colors', rows }, { tabId: 2, name: 'Empty', rows: [] }] };
  expect(channel).toEqual({ channelId: CHANNEL, secret: 's'.repeat(43), epoch: expect.not.stringMatching(/^epoch-v1$/), seq: 12, hash: gridHash(grid), title: 'Tokens' });
  expect([await store.isRevoked(CHANNEL, 'fp-1'), await store.isRevoked(CHANNEL, 'fp-2'), await store.isRevoked(CHANNEL, 'fp-3')]).toEqual([true, true, false]);
  expect(await store.findAnswer(CHANNEL, 'c-12')).toBeUndefined();
  expect(await store.catchUp(CHANNEL, { epoch: 'epoch-v1', seq: 11 })).toEqual({ recovery: 'snapshot', epoch: channel.epoch, seq: 12, title: 'Tokens' });
  const head = (await store.head(CHANNEL))!;
  expect(head.tabs.map((t) => [t.tabId, t.rowCount, t.chunks.length])).toEqual([[2, 0, 0], [7, 600, 3]]);
  const snapshot = JSON.parse((await store.snapshot(CHANNEL))!.message.toString()) as { tabs: { tabId: number; name: string; values: (string | number)[][] }[]; hash: string };
  expect(snapshot.hash).toBe(gridHash(grid));
  expect(gridHash({ tabs: snapshot.tabs.map((t) => ({ tabId: t.tabId, name: t.name, rows: t.values })) })).toBe(gridHash(grid));
  expect((await store.getChannel('sqlite-migration-channel-2'))!.hash).toBe(gridHash({ tabs: [] }));
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

test('a relay started on the previous relay’s DATA_DIR logs the migration and serves the channel at a new epoch, by snapshot', async () => {
  const secret = 's'.repeat(43);
  writeV1Database(dir, [{ channelId: CHANNEL, secret, epoch: 'epoch-v1', seq: 3, tabs: [{ tabId: 1, name: 'Colors', values: [['Name', 'Value'], ['color/bg', '#ffffff']] }] }]);
  const relay = await startRelayProcess({ DATA_DIR: dir });
  try {
    expect(await relay.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('relay.db was written by an earlier relay'))).toEqual(expect.objectContaining({ channels: 1, fromSchema: 1 }));
    const { socket, welcome } = await subscribe(relay.url, CHANNEL, subscribeToken(secret, CHANNEL), { since: { epoch: 'epoch-v1', seq: 3 } });
    expect({ recovery: welcome.recovery, seq: welcome.seq, newEpoch: welcome.epoch !== 'epoch-v1' }).toEqual({ recovery: 'snapshot', seq: 3, newEpoch: true });
    expect(await socket.nextOf('snapshot')).toEqual(expect.objectContaining({ seq: 3, hash: gridHash({ tabs: [{ tabId: 1, name: 'Colors', rows: [['Name', 'Value'], ['color/bg', '#ffffff']] }] }) }));
    await socket.close();
  } finally {
    await relay.stop();
  }
});
