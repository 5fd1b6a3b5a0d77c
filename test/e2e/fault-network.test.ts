// Faults on the wire, through a proxy at the relay's address: the plugin's socket destroyed in the
// middle of a patch, and the relay's address answering 503 to the add-on for a while. Each ends
// with Figma equal to the sheet and nothing lost.

import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import type { AddonWorld } from '../fakes/apps-script/run-addon';
import type { PluginPage } from '../helpers/e2e-browser';
import { addonPosition, connectSheet, OWNER, settle, startFigma, startSheet } from '../helpers/e2e-chain';
import { colourCell, editValue } from '../helpers/e2e-edits';
import { startProxy, type TcpProxy } from '../helpers/e2e-proxy';
import { sidebar } from '../helpers/e2e-sheet';
import { Teardown } from '../helpers/e2e-teardown';

const teardown = new Teardown();
let relay: RelayProcess;
let address: TcpProxy;
let world: AddonWorld;
let plugin: PluginPage;

afterAll(() => teardown.close());

beforeAll(async () => {
  relay = await startRelayProcess();
  teardown.add('relay', () => relay.stop());
  address = await startProxy([relay.port]);
  teardown.add('proxy', () => address.close());
  world = await startSheet(teardown);
  plugin = await startFigma(teardown);
  await plugin.open();
  await plugin.pair(connectSheet(world, address.url));
  await settle(world, plugin);
}, 60_000);

afterEach(() => {
  expect(plugin?.errors ?? []).toEqual([]);
});

test('the plugin’s socket destroyed in the middle of a patch: it reconnects, gets the patch again and applies it', async () => {
  const before = (await plugin.applied()).at(-1)!;
  // Cut 3,000 bytes into what the relay sends next: inside the patch of a 1,200-cell paste.
  await address.cutAfter(3000);
  const rows = Array.from({ length: 300 }, (_, i) => [`cut/row-${i}`, `#${(i * 4099).toString(16).padStart(6, '0').slice(-6)}`, `Row ${i} of a paste cut in flight`, '']);
  const seen = relay.logs.length;
  world.edit(OWNER, 'Primitives', 'A62', rows);
  const { sheet, figma } = await settle(world, plugin);
  expect(await address.cuts()).toBe(1);
  expect(figma).toEqual(sheet.model);
  expect(figma.collections[0]!.variables.filter((v) => v.name.startsWith('cut/'))).toHaveLength(300);
  const resumed = relay.logs.slice(seen).filter((e) => e.msg === 'subscriber caught up');
  expect(resumed).toEqual([expect.objectContaining({ recovery: 'patches', since: { epoch: before.epoch, seq: before.seq }, seq: before.seq + 1 })]);
});

test('the relay’s address answering 503 to the add-on for 30 edits: they wait in its queue and arrive in order', async () => {
  const acked = sidebar(world).seq!;
  await address.setMode({ kind: 'status', status: 503 });
  for (let i = 0; i < 30; i++) world.edit(OWNER, 'Primitives', colourCell(i), [[editValue(i)]]);
  const waiting = addonPosition(world);
  expect(waiting.seq).toBe(acked);
  expect(waiting.status.kind).toBe('queued');
  expect(waiting.queued).toBe(30);
  expect(await address.statusAnswers()).toBeGreaterThan(0);
  // Meanwhile the plugin saw nothing new, and its socket stayed up.
  expect((await plugin.applied()).at(-1)!.seq).toBe(acked);
  await plugin.waitForStatus('Live');

  await address.setMode({ kind: 'forward' });
  const seen = relay.logs.length;
  // The next edit after the backoff sends the queue first, then itself.
  world.advance(60_000);
  world.edit(OWNER, 'Primitives', colourCell(30), [[editValue(30)]]);
  expect(addonPosition(world)).toEqual({ seq: acked + 31, queued: 0, status: { kind: 'live', text: 'Live', queued: 0 } });
  await relay.waitForLog((e) => e.msg === 'request' && e.seq === acked + 31);
  const accepted = relay.logs.slice(seen).filter((e) => e.msg === 'request' && e.route === '/v2/channels/:id/changes');
  expect(accepted.map((e) => [e.status, e.outcome, e.seq])).toEqual(Array.from({ length: 31 }, (_, i) => [200, 'accepted-patch', acked + 1 + i]));
  const { sheet, figma } = await settle(world, plugin);
  expect(figma).toEqual(sheet.model);
});
