// Fault: two relay processes share one Redis behind a load balancer (a round-robin TCP proxy, the
// one address in the pairing code). The relay holding the plugin's socket is killed; the balancer
// stops sending to it, the plugin reconnects through the same address to the other relay, resumes
// by `since` and misses nothing — while the sheet keeps editing through both.

import { startRedis } from '../helpers/redis-server';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { addonPosition, connectSheet, OWNER, settle, startFigma, startSheet } from '../helpers/e2e-chain';
import { colourCell, editValue } from '../helpers/e2e-edits';
import { startProxy } from '../helpers/e2e-proxy';
import { Teardown } from '../helpers/e2e-teardown';

/** Apps Script never fires this fast; the fakes do, so the per-channel request rate is raised. */
const FAST_EDITS = { REQUEST_RATE: '1000', REQUEST_BURST: '1000' };

const teardown = new Teardown();
afterAll(() => teardown.close());

test('the relay holding the plugin is killed: the plugin moves to the other relay on the same Redis and misses nothing', async () => {
  const redis = await startRedis();
  teardown.add('redis', () => redis.stop());
  const relays: RelayProcess[] = [];
  for (let i = 0; i < 2; i++) {
    const relay = await startRelayProcess({ REDIS_URL: redis.url, REDIS_PREFIX: `e2e${process.pid}:`, ...FAST_EDITS });
    teardown.add(`relay ${i}`, () => relay.stop('SIGKILL'));
    relays.push(relay);
  }
  const balancer = await startProxy(relays.map((r) => r.port));
  teardown.add('balancer', () => balancer.close());
  const world = await startSheet(teardown);
  const plugin = await startFigma(teardown);

  await plugin.open();
  await plugin.pair(connectSheet(world, balancer.url));
  const paired = await settle(world, plugin);
  expect(paired.figma).toEqual(paired.sheet.model);
  const epoch = (await plugin.applied())[0]!.epoch;

  // Edits go through the balancer, so publishes alternate between the two relays.
  for (let i = 0; i < 60; i++) world.edit(OWNER, 'Primitives', colourCell(i), [[editValue(i)]]);
  const before = await settle(world, plugin);
  expect(before.figma).toEqual(before.sheet.model);
  const used = new Set((await balancer.connections()).filter((c) => !c.socket).map((c) => c.backend));
  expect([...used].sort()).toEqual(relays.map((r) => r.port).sort());

  const sockets = (await balancer.connections()).filter((c) => c.socket && c.open);
  expect(sockets).toHaveLength(1);
  const victim = relays.find((r) => r.port === sockets[0]!.backend)!;
  const survivor = relays.find((r) => r !== victim)!;
  await balancer.setBackends([survivor.port]);
  await victim.kill();
  // The sheet goes on while the plugin finds its way back.
  for (let i = 60; i < 160; i++) world.edit(OWNER, 'Primitives', colourCell(i), [[editValue(i)]]);
  expect(addonPosition(world)).toMatchObject({ queued: 0, status: { kind: 'live' } });

  const { sheet, figma } = await settle(world, plugin, 40_000);
  expect(figma).toEqual(sheet.model);
  const resumed = await survivor.waitForLog((e) => e.msg === 'subscriber caught up' && e.since !== null, 10_000);
  expect(resumed).toMatchObject({ recovery: 'patches', since: { epoch, seq: expect.any(Number) }, epoch });
  const reconnected = (await balancer.connections()).filter((c) => c.socket && c.open);
  expect(reconnected.map((c) => c.backend)).toEqual([survivor.port]);
  expect(plugin.errors).toEqual([]);
}, 90_000);
