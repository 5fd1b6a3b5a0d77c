// Fault: the relay (SQLite) is killed with SIGKILL in the middle of 1,000 edits and restarted on the
// same database. Every change it acknowledged survives, the add-on's queue resends the rest in
// order, and the plugin catches up by `since` — ending with Figma equal to the sheet.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { addonPosition, connectSheet, OWNER, settle, startFigma, startSheet } from '../helpers/e2e-chain';
import { startProxy } from '../helpers/e2e-proxy';
import { Teardown } from '../helpers/e2e-teardown';
import { colourCell, editValue } from '../helpers/e2e-edits';
import { decodePairingCode } from '../../shared/protocol/pairing-code';
import { subscribe } from '../helpers/ws-client';

/**
 * The fakes run an edit's trigger in ~20 ms, far faster than Apps Script ever fires (about a second
 * per execution), so the relay's per-channel request rate is raised to let 1,000 edits through.
 */
const FAST_EDITS = { REQUEST_RATE: '1000', REQUEST_BURST: '1000' };

const teardown = new Teardown();
afterAll(() => teardown.close());

/** Sends SIGKILL to `pid` after `ms`, from another process: the test's thread is busy editing then. */
function killLater(pid: number, ms: number): Promise<void> {
  const killer = spawn('sh', ['-c', `sleep ${ms / 1000}; kill -9 ${pid}`], { stdio: 'ignore' });
  return new Promise((resolve) => killer.once('exit', () => resolve()));
}

test('a relay killed mid-stream and restarted loses no acknowledged change; the queue and the plugin catch up', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-relay-data-'));
  teardown.add('relay data', () => rmSync(dataDir, { recursive: true, force: true }));
  let relay: RelayProcess = await startRelayProcess({ DATA_DIR: dataDir, ...FAST_EDITS });
  const first = relay;
  teardown.add('first relay', () => first.stop('SIGKILL'));
  // The relay's public address: a restart comes back behind it on whatever port it gets.
  const address = await startProxy([relay.port]);
  teardown.add('address', () => address.close());
  const world = await startSheet(teardown);
  const plugin = await startFigma(teardown);

  await plugin.open();
  const code = connectSheet(world, address.url);
  await plugin.pair(code);
  const paired = await settle(world, plugin);
  expect(paired.figma).toEqual(paired.sheet.model);
  const epoch = (await plugin.applied())[0]!.epoch;

  // 1,000 single-cell edits; the kill lands (from another process) while the 800s are being sent.
  let killed: Promise<void> | undefined;
  let ackedBeforeKill = -1;
  for (let i = 0; i < 1000; i++) {
    if (i === 780) killed = killLater(relay.child.pid!, 250);
    world.edit(OWNER, 'Primitives', colourCell(i), [[editValue(i)]]);
    if (i === 950) {
      await killed;
      expect(await first.exited).toBeNull();
      // The acknowledged position before the restart: all of it must come back.
      ackedBeforeKill = addonPosition(world).seq;
      const queued = addonPosition(world);
      expect(queued.status.kind).toBe('queued');
      expect(queued.queued).toBeGreaterThan(0);
      relay = await startRelayProcess({ DATA_DIR: dataDir, ...FAST_EDITS });
      const second = relay;
      teardown.add('second relay', () => second.stop());
      // Before anything new arrives, the restarted relay already stands at the acknowledged position.
      const link = (decodePairingCode(code) as { ok: true; link: { channelId: string; token: string } }).link;
      const probe = await subscribe(relay.url, link.channelId, link.token);
      await probe.socket.close();
      expect({ epoch: probe.welcome.epoch, atLeast: probe.welcome.seq >= ackedBeforeKill }).toEqual({ epoch, atLeast: true });
      await address.setBackends([relay.port]);
      // The hourly trigger sends what waits, whatever the backoff says.
      expect(world.hourly()).toEqual([]);
    }
  }
  const end = addonPosition(world);
  expect(end).toEqual({ seq: expect.any(Number), queued: 0, status: { kind: 'live', text: 'Live', queued: 0 } });
  expect(end.seq).toBeGreaterThan(ackedBeforeKill);

  const { sheet, figma } = await settle(world, plugin, 40_000);
  expect(figma).toEqual(sheet.model);
  // Same epoch: history survived the kill, so the plugin resumed by position, not by a new history.
  expect((await plugin.applied()).at(-1)!.epoch).toBe(epoch);
  // The plugin's resume (the probe above joined without `since`).
  const resumed = await relay.waitForLog((e) => e.msg === 'subscriber caught up' && e.since !== null);
  expect(resumed).toMatchObject({ recovery: 'patches', since: { epoch, seq: expect.any(Number) }, epoch });
  expect(plugin.errors).toEqual([]);
}, 120_000);
