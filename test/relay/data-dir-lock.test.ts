// One relay per DATA_DIR: a second relay on the same folder is refused at once with an error naming
// it, and the lock goes with the relay that held it (a clean stop here; kill -9 in test/hostile).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, lockDataDir } from '../../relay/data-dir-lock';
import { startInProcessRelay } from './support/in-process-relay';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'relay-lock-'));
  dirs.push(dir);
  return dir;
}

test('a second lock on the same DATA_DIR throws DataDirLockedError naming the folder; after release it can be taken', () => {
  const dir = dataDir();
  const first = lockDataDir(dir);
  expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
  expect(() => lockDataDir(dir)).toThrow(`DATA_DIR=${dir} is in use by another relay process (${join(dir, 'relay.lock')} is locked)`);
  first.release();
  lockDataDir(dir).release();
});

test('a relay on a DATA_DIR another relay holds does not start; once the first stops, it does', async () => {
  const dir = dataDir();
  const first = await startInProcessRelay({ DATA_DIR: dir });
  await expect(startInProcessRelay({ DATA_DIR: dir })).rejects.toThrow(DataDirLockedError);
  await first.close();
  const second = await startInProcessRelay({ DATA_DIR: dir });
  await second.close();
});
