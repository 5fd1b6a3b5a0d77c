// Row 8 of issue 11, the relay's folder: a second relay on the same DATA_DIR refuses to start (the
// first goes on serving), a relay killed with SIGKILL leaves no stale lock, and on a full disk the
// relay says so: /readyz 503 and changes answered 503 STORE_UNAVAILABLE (the add-on keeps and retries
// them), with every acknowledged change still there.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RELAY_MAIN, startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { subscribe } from '../helpers/ws-client';
import { getJson, ModelSheet, newChannel, postChange, register } from '../relay/support/relay-api';
import { startBystander, type Bystander } from './support/bystander';
import { expectBystanderUnharmed, WELL_BEHAVED } from './support/unharmed';

const dirs: string[] = [];
let relay: RelayProcess | undefined;
let bystander: Bystander | undefined;
afterEach(async () => {
  await bystander?.stop();
  bystander = undefined;
  await relay?.stop();
  relay = undefined;
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'relay-dir-'));
  dirs.push(dir);
  return dir;
}

test('a second relay on the same DATA_DIR exits 1 with one line naming it, while the first goes on serving', async () => {
  const dir = dataDir();
  relay = await startRelayProcess({ DATA_DIR: dir });
  bystander = await startBystander(relay.url, WELL_BEHAVED);
  const window = bystander.mark();
  const second = spawnSync(process.execPath, [RELAY_MAIN], { env: { PATH: process.env.PATH ?? '', PORT: '0', DATA_DIR: dir }, encoding: 'utf8', timeout: 20_000 });
  expect({ status: second.status, stdout: second.stdout, stderr: second.stderr }).toEqual({
    status: 1,
    stdout: '',
    stderr: `relay: DATA_DIR=${dir} is in use by another relay process (${join(dir, 'relay.lock')} is locked): stop it, or give this relay its own DATA_DIR (several relays share channels through REDIS_URL).\n`,
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await expectBystanderUnharmed(bystander, window);
});

test('a relay killed with SIGKILL leaves no stale lock: the next one starts on the same DATA_DIR and has its channels', async () => {
  const dir = dataDir();
  const first = await startRelayProcess({ DATA_DIR: dir });
  const channel = newChannel();
  await register(first.url, channel, channel.secret);
  await postChange(first.url, channel, new ModelSheet().patch(1, 'T', 1, 1, [['kept']]));
  await first.kill();
  relay = await startRelayProcess({ DATA_DIR: dir });
  const { socket, welcome } = await subscribe(relay.url, channel.channelId, channel.token);
  expect(welcome.seq).toBe(1);
  await socket.close();
});

/** unshare(1) gives the relay a mount namespace with a small tmpfs of its own as DATA_DIR: a disk that fills. */
const canUnshare = spawnSync('unshare', ['-rm', 'true']).status === 0;
const onSmallDisk = canUnshare ? test : test.skip;
if (!canUnshare) console.warn('data-dir.test.ts: unshare -rm is not permitted here, so the full-disk test is skipped');

onSmallDisk('on a full disk /readyz answers 503 and changes 503 STORE_UNAVAILABLE, and every acknowledged change is kept', async () => {
  const dir = dataDir();
  const wrap = ['unshare', '-rm', 'sh', '-c', `mount -t tmpfs -o size=12m tmpfs "${dir}" && exec "$@"`, 'sh'];
  relay = await startRelayProcess({ DATA_DIR: dir, MAX_BODY_BYTES: String(1024 * 1024), SLOW_CONSUMER_BYTES: String(4 * 1024 * 1024), REQUEST_RATE: '1000', REQUEST_BURST: '1000' }, { wrap });
  expect((await getJson(`${relay.url}/readyz`)).status).toBe(200);
  const channel = newChannel();
  await register(relay.url, channel, channel.secret);
  const sheet = new ModelSheet();
  let acknowledged = 0;
  let refusal: { status: number; body: unknown } | undefined;
  // Snapshots of some 600 KB, each kept in history: the 12 MB disk fills within a few dozen.
  for (let i = 0; i < 60 && !refusal; i++) {
    const rows = Array.from({ length: 300 }, (_, r) => [`row ${r} of snapshot ${i}`, 'x'.repeat(2000)]);
    const answer = await postChange(relay.url, channel, sheet.snapshot([{ tabId: 1, name: 'Big', values: rows }]));
    if (answer.status === 200) acknowledged = (answer.body as { seq: number }).seq;
    else refusal = answer;
  }
  expect(refusal).toEqual({ status: 503, body: expect.objectContaining({ error: expect.objectContaining({ code: 'STORE_UNAVAILABLE' }) }), headers: expect.anything() });
  expect(acknowledged).toBeGreaterThan(0);
  // The disk itself refused the write (SQLite's SQLITE_FULL), and the relay said so instead of a 500.
  expect((await relay.waitForLog((e) => e.msg === 'the store could not write')).sqlite).toBe('SQLITE_FULL');
  const ready = await getJson(`${relay.url}/readyz`);
  expect([ready.status, (ready.body as { error: { code: string } }).error.code]).toEqual([503, 'STORE_UNAVAILABLE']);
  const { socket, welcome } = await subscribe(relay.url, channel.channelId, channel.token);
  expect(welcome.seq).toBe(acknowledged);
  await socket.close();
}, 60_000);
