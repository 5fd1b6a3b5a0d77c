// Bench of the Sheets add-on on the Apps Script fakes against a real relay process:
// UrlFetch calls and request bytes per single-cell edit, and the handler's own CPU time for a
// single-cell edit on a 2,000-row sheet and for pastes of 1,000 and 10,000 cells, beside the floor (reading
// the synced tabs' values) and the cost of loading the bundle, which Apps Script pays per execution;
// and, for the quotas, trigger executions and their milliseconds per edit per connected user (every
// connected user's triggers fire for every edit, billed to that user). All measured on the fakes.
// Run: node bench/run.mjs addon   (needs dist/relay/main.js: npm run build, or node scripts/build.mjs relay)

import { buildAddon } from '../../test/fakes/apps-script/build-addon';
import { startRelayChild, type RelayChild } from '../../test/helpers/relay-child';
import { createAddonWorld, type AddonWorld } from '../../test/fakes/apps-script/run-addon';
import type { FakeSheet } from '../../test/fakes/apps-script/spreadsheet';
import type { FetchRecord } from '../../test/fakes/apps-script/url-fetch';

const ROOT = process.cwd();
const OWNER = 'owner@example.com';
const ROWS = 2_000;
const EDITS = 40;
const PASTES = 7;

function startRelay(): Promise<RelayChild> {
  return startRelayChild({ env: { REQUEST_RATE: '100000', REQUEST_BURST: '100000' } });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** CPU (user + system) in ms spent by this process while `fn` runs. */
function cpu(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

function tokenSheet(world: AddonWorld): FakeSheet {
  const sheet = world.spreadsheet.addSheet('Colors', { rows: ROWS + 10, cols: 26 });
  const values: unknown[][] = [['Name', 'Light', 'Dark']];
  for (let r = 1; r < ROWS; r++) values.push([`color/group${r % 40}/token${r}`, `#${(r * 2654435761 % 0xffffff).toString(16).padStart(6, '0')}`, `#${(r * 40503 % 0xffffff).toString(16).padStart(6, '0')}`]);
  sheet.getRange(1, 1, values.length, 3).setValues(values);
  return sheet;
}

/** Sets values as the UI would and runs only the edit triggers (not onChange EDIT), measuring CPU. */
function editCpu(world: AddonWorld, sheet: FakeSheet, row: number, col: number, values: unknown[][]): number {
  sheet.ensureSize(row + values.length - 1, col + values[0]!.length - 1);
  sheet.getRange(row, col, values.length, values[0]!.length).setValues(values);
  return cpu(() => {
    const errors = world.fire('ON_EDIT', () => ({ range: sheet.getRange(row, col, values.length, values[0]!.length) }));
    if (errors.length) throw new Error(errors.join('\n'));
  });
}

const QUOTA_EDITS = 30;

interface QuotaRow {
  users: number;
  /** Trigger executions per edit, per connected user (edit + change triggers). */
  execsPerUser: number;
  /** Of those, the ones that returned before touching any service (onChange EDIT). */
  earlyPerUser: number;
  /** Wall-clock ms of trigger executions per edit, per connected user (fakes, loopback relay). */
  msPerUser: number;
  /** UrlFetch calls per edit, all users together. */
  fetchesPerEdit: number;
}

/** Every connected user's triggers fire for every edit: executions and their ms per edit per user, for 1 to 3 connected users. */
function quotaFigures(distDir: string, relayUrl: string): QuotaRow[] {
  const rows: QuotaRow[] = [];
  for (const n of [1, 2, 3]) {
    const users = Array.from({ length: n }, (_, i) => `user${i + 1}@example.com`);
    const world = createAddonWorld({ distDir, users });
    try {
      world.allowInsecureRelay();
      const sheet = world.spreadsheet.addSheet('Colors', { rows: 210, cols: 4 });
      const values: unknown[][] = [['Name', 'Value']];
      for (let r = 1; r < 200; r++) values.push([`color/t${r}`, `#${(r * 40503 % 0xffffff).toString(16).padStart(6, '0')}`]);
      sheet.getRange(1, 1, values.length, 2).setValues(values);
      for (const u of users) world.run(u, 'connect', [relayUrl]);
      const timings: { fn: string; ms: number; early: boolean }[] = [];
      const run = world.run.bind(world);
      world.run = (user, fn, args, options) => {
        const calls = world.touched.length;
        const t0 = performance.now();
        try {
          return run(user, fn, args, options);
        } finally {
          // "early": the execution read no service member beyond loading (onChange for EDIT).
          timings.push({ fn, ms: performance.now() - t0, early: world.touched.length === calls });
        }
      };
      world.resetCounters();
      for (let i = 0; i < QUOTA_EDITS; i++) world.edit(users[i % n]!, 'Colors', `B${2 + i}`, [[`#${(i * 977).toString(16).padStart(6, '0')}`]]);
      const per = (x: number) => x / QUOTA_EDITS / n;
      rows.push({
        users: n,
        execsPerUser: per(timings.length),
        earlyPerUser: per(timings.filter((t) => t.early).length),
        msPerUser: per(timings.reduce((sum, t) => sum + t.ms, 0)),
        fetchesPerEdit: world.fetches.length / QUOTA_EDITS,
      });
    } finally {
      void world.close();
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const addon = await buildAddon('https://relay.example.com', ROOT);
  const relay = await startRelay();
  const world = createAddonWorld({ distDir: addon.distDir });
  try {
    world.allowInsecureRelay();
    const sheet = tokenSheet(world);
    world.run(OWNER, 'connect', [relay.url]);

    // Warm up the JIT on both sides.
    for (let i = 0; i < 10; i++) editCpu(world, sheet, 2 + i, 2, [['#000000']]);

    // Single-cell edits.
    world.resetCounters();
    const single: number[] = [];
    for (let i = 0; i < EDITS; i++) single.push(editCpu(world, sheet, 100 + i, 2, [[`#${(i * 77).toString(16).padStart(6, '0')}`]]));
    const fetchesPerEdit = world.fetches.length / EDITS;
    const bytesPerEdit = world.fetches.reduce((n, f) => n + f.requestBytes, 0) / world.fetches.length;
    const statuses = new Set(world.fetches.map((f) => f.status));
    const calls = Object.fromEntries([...world.calls].map(([k, v]) => [k, v / EDITS]));

    // A single-cell edit after a formula changed on its own: 409, then a snapshot.
    let rate = 1;
    sheet.setFormula(ROWS + 1, 2, () => rate);
    editCpu(world, sheet, 5, 3, [['#101010']]); // the formula cell is now known to the relay
    rate = 2;
    world.resetCounters();
    const healCpu = editCpu(world, sheet, 6, 3, [['#202020']]);
    const healFetches = world.fetches.map((f) => f.status);

    // Pastes of 1,000 cells (250 rows × 4 columns, the end-to-end bench's) and 10,000 cells (1,000 rows
    // × 10 columns), new values each time; the median of PASTES handlers each.
    const pasteValues = (rows: number, cols: number, round: number) =>
      Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => (c === 0 ? `color/pasted/${r}` : `#${(((r * cols + c) * 4099 + round * 7919) % 0xffffff).toString(16).padStart(6, '0')}`)));
    const smallPaste: number[] = [];
    for (let i = 0; i < PASTES; i++) smallPaste.push(editCpu(world, sheet, 300, 5, pasteValues(250, 4, i)));
    const bigPaste: number[] = [];
    let pasteFetch: FetchRecord | undefined;
    for (let i = 0; i < PASTES; i++) {
      world.resetCounters();
      bigPaste.push(editCpu(world, sheet, 300, 5, pasteValues(1_000, 10, i)));
      pasteFetch = world.fetches[0]!;
    }
    if (!pasteFetch) throw new Error('the paste made no request');
    const pasteCpu = median(bigPaste);

    // Floors: reading the synced tab's values (what the handler cannot avoid), and loading the bundle.
    const reads: number[] = [];
    for (let i = 0; i < EDITS; i++) reads.push(cpu(() => sheet.getDataRange().getValues()));
    const loads: number[] = [];
    for (let i = 0; i < EDITS; i++) loads.push(cpu(() => world.load(OWNER)));

    const floor = median(reads);
    const load = median(loads);
    const edit = median(single);
    const row = (label: string, value: string, note = '') => console.log(`${label.padEnd(52)} ${value.padStart(12)}  ${note}`);
    console.log(`\nSheets add-on on the fakes, real relay (${relay.url}); sheet: ${ROWS} rows × 3 columns + a 10,000-cell paste\n`);
    row('UrlFetch calls per single-cell edit', fetchesPerEdit.toFixed(2), `target 1; statuses ${[...statuses].join(',')}`);
    row('UrlFetch calls for an edit after a formula moved', String(healFetches.length), `target 2; statuses ${healFetches.join(',')}`);
    row('request bytes per single-cell edit', bytesPerEdit.toFixed(0), 'target < 2048');
    row('request bytes for the 10,000-cell paste (plain JSON)', String(pasteFetch.requestBytes), `${world.fetches.length} request(s)`);
    console.log('');
    row('CPU: read the 2,000-row tab (getValues, the floor)', `${floor.toFixed(2)} ms`);
    row('CPU: load the bundle in a fresh context', `${load.toFixed(2)} ms`, 'paid by every execution');
    row('CPU: single-cell edit handler (median, incl. load)', `${edit.toFixed(2)} ms`, `${(edit / floor).toFixed(1)}× the floor; ${((edit - load) / floor).toFixed(1)}× without the load`);
    row('CPU: edit healed by a snapshot (409)', `${healCpu.toFixed(2)} ms`, `${(healCpu / floor).toFixed(1)}× the floor`);
    row(`CPU: 1,000-cell paste handler (median of ${PASTES})`, `${median(smallPaste).toFixed(2)} ms`, `${(median(smallPaste) / floor).toFixed(1)}× the floor`);
    row(`CPU: 10,000-cell paste handler (median of ${PASTES})`, `${pasteCpu.toFixed(2)} ms`, `${(pasteCpu / floor).toFixed(1)}× the floor`);
    console.log('\nService calls per single-cell edit:');
    for (const [name, n] of Object.entries(calls).sort()) console.log(`  ${name.padEnd(44)} ${n.toFixed(2)}`);
    console.log('\n(CPU is this process: the fakes, the bundle and the HTTP client thread; the relay runs in its own process.)');

    const quota = quotaFigures(addon.distDir, relay.url);
    console.log(`\nQuotas, measured on the fakes (not Google's figures): ${QUOTA_EDITS} single-cell edits on a 200-row tab, each by one of the connected users`);
    console.log(`${'connected users'.padEnd(16)} ${'executions/edit/user'.padStart(21)} ${'of which no-op'.padStart(15)} ${'ms/edit/user'.padStart(13)} ${'UrlFetch/edit'.padStart(14)}`);
    for (const q of quota) {
      console.log(`${String(q.users).padEnd(16)} ${q.execsPerUser.toFixed(2).padStart(21)} ${q.earlyPerUser.toFixed(2).padStart(15)} ${q.msPerUser.toFixed(1).padStart(13)} ${q.fetchesPerEdit.toFixed(2).padStart(14)}`);
    }
    console.log('(each connected user also runs the hourly trigger: 24 executions a day per document)');
  } finally {
    await world.close();
    await relay.stop();
    addon.remove();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
