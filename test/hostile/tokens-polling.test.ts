// Issue 12's tokens endpoint under attack: a pairing code's holder polls a channel's tokens as fast as
// it can from six addresses (keep-alive connections, half with If-None-Match, every format, a mode no
// tab has) while the sheet keeps changing. The relay lets through at most TOKENS_PER_IP_PER_SECOND per
// address and TOKENS_RATE per channel (429 the rest), makes each export once per position and query on
// its tokens worker (never on the thread serving sockets, for this grid), keeps its memory bounded,
// and a well-behaved channel beside it keeps every change in time.

import type { CellValue } from '../../shared/protocol/grid';
import { SETTINGS } from '../../relay/settings';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { newChannel, postChange, register } from '../relay/support/relay-api';
import { publishTabs } from '../relay/support/token-sheet';
import { attackerAddresses } from './support/attacker';
import { POLL_QUERIES, pollTokens } from './support/attack-tokens';
import { processMemory, startBystander, type Bystander } from './support/bystander';
import { PRODUCTION_CLIENT_LIMITS } from './support/relay-env';
import { expectBystanderUnharmed, WELL_BEHAVED } from './support/unharmed';

let relay: RelayProcess | undefined;
let bystander: Bystander | undefined;
afterEach(async () => {
  await bystander?.stop();
  bystander = undefined;
  await relay?.stop();
  relay = undefined;
});

const setting = (env: string): number => Number(SETTINGS.find((s) => s.env === env)!.fallback);

/** Two tabs of 2,000 colours in two modes (about 200 KB of grid): well past TOKENS_INLINE_BYTES. */
function tokenTabs(version: number): { tabId: number; name: string; rows: CellValue[][] }[] {
  const hex = (i: number): string => `#${((i * 2654435761 + version) >>> 8).toString(16).padStart(6, '0').slice(-6)}`;
  return ['Primitives', 'Semantic'].map((name, t) => ({
    tabId: t,
    name,
    rows: [['Name', 'Light', 'Dark'], ...Array.from({ length: 2000 }, (_, i): CellValue[] => [`color/${t}/${i}`, hex(i), hex(i + 7)])],
  }));
}

/** relay_tokens_export_seconds_count by where, from the relay's /metrics. */
async function exportCounts(url: string): Promise<{ inline: number; worker: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const count = (where: string): number => Number(new RegExp(`^relay_tokens_export_seconds_count\\{where="${where}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { inline: count('inline'), worker: count('worker') };
}

test('polls as fast as a pairing code allows, from six addresses, pass only at the per-address and per-channel rates, export once per position and query off the socket thread, and leave the bystander unharmed', async () => {
  relay = await startRelayProcess({ ...PRODUCTION_CLIENT_LIMITS });
  const victim = newChannel();
  await register(relay.url, victim, victim.secret);
  const { sheet } = await publishTabs(relay.url, victim, { tabs: tokenTabs(0) });
  bystander = await startBystander(relay.url, WELL_BEHAVED);
  const window = bystander.mark();
  const before = await exportCounts(relay.url);

  const seconds = 8;
  const started = Date.now();
  // The sheet's owner edits a cell every second meanwhile: every poll after it asks for new exports.
  let changes = 0;
  let editing = true;
  const edits = (async () => {
    for (let i = 1; editing; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const answer = await postChange(relay!.url, victim, sheet.patch(0, 'Primitives', 2 + i, 2, [[`#${String(i).padStart(6, '0')}`]]));
      if (answer.status === 200) changes++;
    }
  })();
  const addresses = attackerAddresses(6, 120);
  const polls = await pollTokens(relay.url, victim, { addresses, perAddress: 4, durationMs: seconds * 1000 });
  editing = false;
  await edits;
  const elapsed = (Date.now() - started) / 1000 + 1;

  // What passed the limits: per address at most its burst and rate, per channel at most its burst and rate.
  const perIp = setting('TOKENS_PER_IP_PER_SECOND');
  for (const address of addresses) expect(polls.perAddress[address]).toBeLessThanOrEqual(2 * perIp + perIp * elapsed);
  const passed = Object.values(polls.perAddress).reduce((a, b) => a + b, 0);
  expect(passed).toBeLessThanOrEqual(setting('TOKENS_BURST') + setting('TOKENS_RATE') * elapsed);
  expect(polls.answers['429 RATE_LIMITED']).toBeGreaterThan(passed);
  // Every answer is one the endpoint gives to a good token.
  const allowed = new Set(['200', '304', '404 UNKNOWN_MODE', '429 RATE_LIMITED', '503 RELAY_BUSY']);
  expect(Object.keys(polls.answers).filter((k) => !allowed.has(k))).toEqual([]);
  expect(polls.answers['200']).toBeGreaterThan(0);

  // Exports: on the tokens worker only, at most one per position and query.
  const after = await exportCounts(relay.url);
  expect(after.inline - before.inline).toBe(0);
  const positions = changes + 1;
  // file= is served from the export of the same format: one fewer export than queries.
  const exportKeys = POLL_QUERIES.filter((q) => !q.includes('file=')).length;
  expect(after.worker - before.worker).toBeLessThanOrEqual(positions * exportKeys);
  expect(after.worker - before.worker).toBeGreaterThan(0);

  expect(processMemory(relay.child.pid!).peakRssBytes).toBeLessThan(512 * 1024 * 1024);
  await expectBystanderUnharmed(bystander, window);
}, 120_000);
