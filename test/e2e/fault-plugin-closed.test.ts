// Fault: the plugin is closed while the sheet changes, then opened again. It resumes from the
// position kept in the document: by the missed patches while the relay's history still holds them,
// by a snapshot once history was trimmed past it (HISTORY_LIMIT) — either way Figma equals the sheet.

import { startRelayProcess, type LogEntry, type RelayProcess } from '../helpers/relay-process';
import type { AddonWorld } from '../fakes/apps-script/run-addon';
import type { PluginPage } from '../helpers/e2e-browser';
import { connectSheet, OWNER, settle, startFigma, startSheet } from '../helpers/e2e-chain';
import { colourCell, editValue } from '../helpers/e2e-edits';
import { Teardown } from '../helpers/e2e-teardown';

/** History holds 250 changes; the fakes edit far faster than Apps Script, so the request rate is raised. */
const RELAY_ENV = { HISTORY_LIMIT: '250', REQUEST_RATE: '1000', REQUEST_BURST: '1000' };

const teardown = new Teardown();
let relay: RelayProcess;
let world: AddonWorld;
let plugin: PluginPage;
let edits = 0;

afterAll(() => teardown.close());

beforeAll(async () => {
  relay = await startRelayProcess(RELAY_ENV);
  teardown.add('relay', () => relay.stop());
  world = await startSheet(teardown);
  plugin = await startFigma(teardown);
  await plugin.open();
  await plugin.pair(connectSheet(world, relay.url));
  await settle(world, plugin);
}, 60_000);

afterEach(() => {
  expect(plugin?.errors ?? []).toEqual([]);
});

/** Closes the plugin, makes `count` edits, opens it again; returns how the relay caught it up (in order). */
async function closedFor(count: number): Promise<{ since: { epoch: string; seq: number }; caughtUp: LogEntry[] }> {
  const last = (await plugin.applied()).at(-1)!;
  await plugin.close();
  for (let i = 0; i < count; i++, edits++) world.edit(OWNER, 'Primitives', colourCell(edits), [[editValue(edits)]]);
  const seen = relay.logs.length;
  await plugin.open();
  // Nobody pastes a code: the link and the last applied position come from the document.
  const { sheet, figma, state } = await settle(world, plugin);
  expect(figma).toEqual(sheet.model);
  expect((await plugin.applied()).at(-1)).toMatchObject({ epoch: last.epoch, seq: state.seq });
  // Once the relay heard the window report the apply, every catch-up it served is in its log.
  await relay.waitForLog((e) => e.msg === 'client applied' && e.seq === state.seq);
  const caughtUp = relay.logs.slice(seen).filter((e) => e.msg === 'subscriber caught up');
  // The window said hello with the position kept in the document.
  expect(caughtUp[0]).toMatchObject({ since: { epoch: last.epoch, seq: last.seq }, seq: state.seq });
  return { since: { epoch: last.epoch, seq: last.seq }, caughtUp };
}

test('opened again after 200 edits, the plugin catches up by the missed patches alone, from the position kept in the document', async () => {
  const { caughtUp } = await closedFor(200);
  expect(caughtUp.map((e) => e.recovery)).toEqual(['patches']);
});

test('opened again after more edits than the relay keeps, the plugin catches up by a snapshot', async () => {
  const { caughtUp } = await closedFor(300);
  expect(caughtUp.map((e) => e.recovery)).toEqual(['snapshot']);
});
