// The plugin main thread against the counting fake: writes and reads for a 2,000-variable × 4-mode
// snapshot into an empty file, for re-applying it, for a one-cell patch, the longest main-thread
// chunk, and the drift check at 5,000 variables. Prints each figure beside its target. Figures on the
// virtual clock are this fake's Figma-like call costs, not Figma's. Run: node bench/run.mjs plugin

import { performance } from 'node:perf_hooks';
import { startPlugin } from '../../figma-plugin/main/plugin-main';
import { realScheduler } from '../../figma-plugin/main/host';
import { mapGrid } from '../../shared/sheet/mapper';
import { planSync } from '../../shared/plan/plan';
import { FileMirror } from '../../figma-plugin/main/file-state';
import type { Grid, Rows } from '../../shared/protocol/grid';
import type { MainToUi } from '../../shared/plan/plugin-messages';
import { createFakeFigma } from '../../test/fakes/figma/fake-figma';
import { seedExistingFile, type SeedVariable } from '../../test/fakes/figma/existing-file';
import { exportSheet } from '../../shared/sheet/sheet-export';
import { offerParts } from '../../shared/protocol/offer-parts';
import { parseOffer } from '../../shared/protocol/messages';
import { normalizeRows } from '../../shared/protocol/grid';

const VARIABLES = 2000;
const MODES = 4;
const CHUNK_BUDGET_MS = 40;

const hex = (n: number) => `#${(n & 0xffffff).toString(16).padStart(6, '0')}`;

/** Half colours, half numbers; every value differs from Figma's defaults so each one is a real write. */
function snapshot(changedCell?: { row: number; mode: number }, variables = VARIABLES): Grid {
  const header = ['Name', 'Type', ...Array.from({ length: MODES }, (_, m) => `Mode ${m + 1}`)];
  const rows: Rows = [header];
  for (let i = 0; i < variables; i++) {
    const colour = i % 2 === 0;
    const values = Array.from({ length: MODES }, (_, m) => (colour ? hex(0x102030 + i * 7 + m * 101) : i + m + 1.5));
    if (changedCell && changedCell.row === i && changedCell.mode < MODES) values[changedCell.mode] = colour ? '#abcdef' : 999.25;
    rows.push([`${colour ? 'color' : 'size'}/group-${Math.floor(i / 50)}/token-${i}`, colour ? 'color' : 'number', ...values]);
  }
  return { tabs: [{ tabId: 1, name: 'Tokens', rows }] };
}

type Applied = Extract<MainToUi, { type: 'applied' }>;

async function session(scheduler: 'virtual' | 'real', chunkBudgetMs: number) {
  const fake = createFakeFigma({ modeLimit: 10 });
  // The periodic drift check is measured on its own (section 7), not on a timer.
  const plugin = startPlugin(fake.figma, { scheduler: scheduler === 'virtual' ? fake.scheduler : realScheduler, chunkBudgetMs, driftCheckMs: 'off' });
  await plugin.idle();
  const chunks: number[] = [];
  // Chunk lengths: the time between yields on the scheduler's clock.
  const now = scheduler === 'virtual' ? () => fake.clock.now() : () => performance.now();
  let chunkStart = now();
  const original = fake.scheduler.yieldToEditor;
  if (scheduler === 'virtual') {
    fake.scheduler.yieldToEditor = async () => {
      chunks.push(now() - chunkStart);
      await original();
      chunkStart = now();
    };
  }
  const apply = async (grid: Grid, seq: number): Promise<{ applied: Applied; writes: Record<string, number>; reads: Record<string, number> }> => {
    fake.log.reset();
    chunks.length = 0;
    chunkStart = now();
    fake.ui.deliver({ type: 'apply', position: { epoch: 'bench', seq }, grid });
    await plugin.idle();
    chunks.push(now() - chunkStart);
    return { applied: fake.ui.last('applied'), writes: fake.log.byName('write'), reads: fake.log.byName('read') };
  };
  /** One drift check, measured like an apply: virtual time, chunks, and the calls it made. */
  const check = async () => {
    fake.log.reset();
    chunks.length = 0;
    const start = now();
    chunkStart = start;
    await plugin.checkDrift();
    chunks.push(now() - chunkStart);
    return { ms: now() - start, writes: fake.log.byName('write'), reads: fake.log.byName('read') };
  };
  /** Delivers one UI message and measures it like an apply (virtual ms, chunks). */
  const deliver = async (message: Parameters<typeof fake.ui.deliver>[0]) => {
    fake.log.reset();
    chunks.length = 0;
    const start = now();
    chunkStart = start;
    fake.ui.deliver(message);
    await plugin.idle();
    chunks.push(now() - chunkStart);
    return { ms: now() - start, writes: fake.log.byName('write'), reads: fake.log.byName('read') };
  };
  return { fake, apply, check, deliver, chunks };
}

const sum = (o: Record<string, number>, filter: (k: string) => boolean = () => true) =>
  Object.entries(o).reduce((n, [k, v]) => (filter(k) ? n + v : n), 0);
const isVariableCall = (k: string) => /^(variables|Variable|VariableCollection)\./.test(k);
const line = (what: string, value: string, target: string, ok: boolean) =>
  console.log(`${what.padEnd(58)} ${value.padStart(12)}   target ${target.padEnd(22)} ${ok ? 'ok' : 'MISSED'}`);

/**
 * 8 and 9: a file that already has 5,000 variables × 4 modes (made by hand, bound to layers): export it
 * to sheet tabs as the plugin does ("Send to sheet"), then adopt the same set from the imported tabs with
 * 10 values changed in the sheet. Virtual ms on this fake's Figma-like call costs.
 */
async function exportAndAdopt(): Promise<void> {
  const COUNT = 5000;
  const modes = ['Light', 'Dark', 'Compact', 'Print'];
  const variables: SeedVariable[] = Array.from({ length: COUNT }, (_, i) => {
    const kind = i % 4;
    const name = `${['color', 'size', 'font', 'flag'][kind]}/group-${Math.floor(i / 50)}/token-${i}`;
    if (kind === 0) return { name, type: 'COLOR', values: modes.map((_, m) => ({ r: ((i * 7 + m) % 256) / 255, g: Math.fround(((i * 13) % 1000) / 1000), b: 0.5, a: 1 })) };
    if (kind === 1) return { name, type: 'FLOAT', values: modes.map((_, m) => Math.fround(i / 10 + m * 0.1)) };
    if (kind === 2) return { name, type: 'STRING', values: modes.map((_, m) => (m % 2 ? `Inter ${i}` : String(400 + (i % 5) * 100))) };
    return { name, type: 'BOOLEAN', values: modes.map((_, m) => (i + m) % 2 === 0) };
  });
  const s = await session('virtual', CHUNK_BUDGET_MS);
  seedExistingFile(s.fake.variables, s.fake.file, [{ name: 'Tokens', modes, variables }]);

  // 8. Export: read the file in chunks, make the tabs and the offer's text.
  const wallStart = performance.now();
  const run = await s.deliver({ type: 'export-request' });
  const wallMs = performance.now() - wallStart;
  const virtualMs = run.ms;
  const exported = s.fake.ui.last('export');
  const longest = Math.max(0, ...s.chunks);
  const bytes = Buffer.byteLength(exported.offerText, 'utf8');
  const offer = parseOffer(JSON.parse(exported.offerText));
  if (!offer.ok) throw new Error(offer.message);
  const parts = offerParts(offer.value.id, exported.offerText);
  const mirror = await FileMirror.load(s.fake.figma.variables);
  const pure: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    JSON.stringify(exportSheet(mirror.state()));
    pure.push(performance.now() - t0);
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  console.log(`\n8. export of ${COUNT} variables × ${modes.length} modes to sheet tabs ("Send to sheet"; virtual ms on the fake's Figma-like costs)`);
  line('   main-thread time reading the file (virtual ms)', virtualMs.toFixed(1), '(reads: 0.01 ms each)', true);
  line('   calls to Figma (2 list calls + property reads)', String(sum(run.reads)), '(reference)', true);
  line('   longest chunk (virtual ms)', longest.toFixed(1), '≤ ~50 ms', longest <= 50);
  line('   writes', String(sum(run.writes)), '0', sum(run.writes) === 0);
  line('   exportSheet + JSON text, median of 7 in Node (ms, uninterrupted)', median(pure).toFixed(1), '≤ ~50 ms', median(pure) <= 50);
  line('   wall-clock of the whole export in Node (ms)', wallMs.toFixed(1), '(reference)', true);
  line('   rows exported / problems', `${offer.value.collections[0]!.variables} / ${exported.problemCount}`, `${COUNT} / 0`, offer.value.collections[0]!.variables === COUNT && exported.problemCount === 0);
  line('   bytes sent (offer JSON text)', `${(bytes / 1024 / 1024).toFixed(2)} MiB`, '≤ 4 MiB (relay default)', bytes <= 4 * 1024 * 1024);
  line('   socket messages (≤ 255 KiB each, 100 ms apart)', String(parts.length), `≤ 64`, parts.length <= 64);

  // 9. Adopt: the imported tabs with 10 values changed in the sheet, recorded as exported by this file.
  const rows = offer.value.collections[0]!.values.map((r) => [...r]);
  const light = rows[0]!.indexOf('Light');
  for (let k = 0; k < 10; k++) rows[2 + k * 400]![light] = 12345 + k; // size/… rows (FLOAT)
  await s.deliver({ type: 'exported', collectionIds: [offer.value.collections[0]!.collectionId] });
  const adopted = await s.apply({ tabs: [{ tabId: 1, name: 'Tokens', rows: normalizeRows(rows) }] }, 1);
  const adoptLongest = Math.max(...s.chunks);
  const w = adopted.writes;
  console.log(`\n9. adopting the same ${COUNT} variables from the imported tabs, 10 values changed in the sheet (exported by this file: no question asked)`);
  line('   marks written (Variable.setSharedPluginData)', String(w['Variable.setSharedPluginData'] ?? 0), String(COUNT), w['Variable.setSharedPluginData'] === COUNT);
  line('   collection mark (VariableCollection.setSharedPluginData)', String(w['VariableCollection.setSharedPluginData'] ?? 0), '1', w['VariableCollection.setSharedPluginData'] === 1);
  line('   values written (setValueForMode)', String(w['Variable.setValueForMode'] ?? 0), '10 (only those that differ)', w['Variable.setValueForMode'] === 10);
  const other = sum(w, isVariableCall) - (w['Variable.setSharedPluginData'] ?? 0) - (w['VariableCollection.setSharedPluginData'] ?? 0) - (w['Variable.setValueForMode'] ?? 0);
  line('   any other variable writes (creates, renames, modes…)', String(other), '0', other === 0);
  line('   collections named Tokens afterwards (no twin)', String(s.fake.file.collectionsNamed('Tokens')), '1', s.fake.file.collectionsNamed('Tokens') === 1);
  line('   adopted / values changed (the window\'s note)', `${adopted.applied.adopted?.[0]?.adopted ?? 0} / ${adopted.applied.adopted?.[0]?.valuesChanged ?? 0}`, `${COUNT} / 10`, adopted.applied.adopted?.[0]?.adopted === COUNT);
  line('   main-thread time of the adopting sync (virtual ms, calls only)', s.chunks.reduce((a, b) => a + b, 0).toFixed(1), '(reference)', true);
  line('   longest chunk (virtual ms)', adoptLongest.toFixed(1), '≤ ~50 ms', adoptLongest <= 50);
  console.log('   (mapping and planning run uninterrupted between chunks: section 4 measures them in Node)');
}

async function main(): Promise<void> {
  if (process.argv[2] === 'adopt') return exportAndAdopt();
  const values = VARIABLES * MODES;
  console.log(`plugin main thread against the counting fake: ${VARIABLES} variables × ${MODES} modes (${values} values), one tab`);
  console.log('chunk times use Figma-like per-call costs on a virtual clock (createVariable 0.5 ms, setValueForMode 0.3 ms, other writes 0.3 ms, reads 0.01 ms)\n');

  const s = await session('virtual', CHUNK_BUDGET_MS);

  // 1. Snapshot into an empty file.
  const first = await s.apply(snapshot(), 1);
  const creates = first.writes['variables.createVariable'] ?? 0;
  const valueWrites = first.writes['Variable.setValueForMode'] ?? 0;
  const originWrites = first.writes['Variable.setSharedPluginData'] ?? 0;
  const structure = sum(first.writes, (k) => k.startsWith('VariableCollection.') || k === 'variables.createVariableCollection');
  const longest = Math.max(...s.chunks);
  console.log('1. snapshot into an empty file');
  line('   variables created (createVariable)', String(creates), `${VARIABLES} (1 per variable)`, creates === VARIABLES);
  line('   values written (setValueForMode)', String(valueWrites), `${values} (1 per value)`, valueWrites === values);
  line('   origins recorded (Variable.setSharedPluginData)', String(originWrites), `${VARIABLES} (identity)`, originWrites === VARIABLES);
  line('   collection and mode writes', String(structure), 'a handful', structure <= 2 + MODES + 2);
  const otherVariableWrites = sum(first.writes, isVariableCall) - creates - valueWrites - originWrites - structure;
  line('   any other variable writes', String(otherVariableWrites), '0', otherVariableWrites === 0);
  line('   document writes (shared plugin data: position)', String(first.writes['root.setSharedPluginData'] ?? 0), '1', first.writes['root.setSharedPluginData'] === 1);
  line('   problems', String(first.applied.problems.length), '0', first.applied.problems.length === 0);
  line('   chunks (yields + 1)', String(s.chunks.length), `each ≤ ~50 ms`, true);
  line('   longest main-thread chunk of writes (virtual ms)', longest.toFixed(1), '≤ ~50 ms', longest <= 50);
  console.log(`   all writes by call: ${JSON.stringify(first.writes)}`);

  // 2. Re-apply the same snapshot (a new seq, as after a reconnect).
  const again = await s.apply(snapshot(), 2);
  const againVariableWrites = sum(again.writes, isVariableCall);
  const rescans = (again.reads['variables.getLocalVariablesAsync'] ?? 0) + (again.reads['variables.getLocalVariableCollectionsAsync'] ?? 0);
  console.log('\n2. re-applying the same snapshot');
  line('   variable writes', String(againVariableWrites), '0', againVariableWrites === 0);
  line('   document writes (the new position)', String(again.writes['root.setSharedPluginData'] ?? 0), '1 (0 at the same seq)', (again.writes['root.setSharedPluginData'] ?? 0) <= 1);
  line('   reads of the file (getLocal…Async calls)', String(rescans), '0 (no rescan)', rescans === 0);
  line('   property reads on variables', String(sum(again.reads, isVariableCall)), '0', sum(again.reads, isVariableCall) === 0);
  line('   counts unchanged', String(again.applied.counts.unchanged), String(VARIABLES), again.applied.counts.unchanged === VARIABLES);
  const same = await s.apply(snapshot(), 2);
  line('   writes of any kind at the same seq', String(sum(same.writes)), '0', sum(same.writes) === 0);

  // 3. A one-cell patch (the UI applies the patch to its grid and sends the whole grid).
  const patched = await s.apply(snapshot({ row: 1234, mode: 2 }), 3);
  const patchVariableWrites = sum(patched.writes, isVariableCall);
  console.log('\n3. one-cell patch');
  line('   variable writes', String(patchVariableWrites), '1', patchVariableWrites === 1);
  line('   reads of the file (getLocal…Async calls)', String((patched.reads['variables.getLocalVariablesAsync'] ?? 0)), '0', !patched.reads['variables.getLocalVariablesAsync']);
  console.log(`   writes by call: ${JSON.stringify(patched.writes)}`);

  // 4. Time on the main thread that is not chunked: mapping, then planning the whole grid (with a yield
  //    between them only when both would overrun the budget). Pure shared code, measured here in
  //    Node/V8; Figma's sandbox runs JavaScript slower.
  const mirror = await FileMirror.load(s.fake.figma.variables);
  const grid = snapshot({ row: 7, mode: 1 });
  const mapRuns: number[] = [];
  const planRuns: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    const mapped = mapGrid(grid);
    const t1 = performance.now();
    planSync(mapped.collections, mirror.state());
    mapRuns.push(t1 - t0);
    planRuns.push(performance.now() - t1);
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  console.log('\n4. mapping and planning the whole grid (each uninterrupted; a yield between them only if both overrun the budget)');
  line('   mapGrid, median of 9 runs in Node (ms)', median(mapRuns).toFixed(1), '≤ ~50 ms', median(mapRuns) <= 50);
  line('   planSync against the synced file, median of 9 (ms)', median(planRuns).toFixed(1), '≤ ~50 ms', median(planRuns) <= 50);

  // 5. Baseline in the same script: the same snapshot with chunking off (one chunk for everything).
  const baseline = await session('virtual', Number.POSITIVE_INFINITY);
  await baseline.apply(snapshot(), 1);
  const unchunked = Math.max(...baseline.chunks);
  console.log('\n5. chunking against a baseline without it (same snapshot, empty file, virtual ms)');
  line('   longest chunk without chunking', unchunked.toFixed(1), '(baseline)', true);
  line('   longest chunk with chunking / baseline', `${((longest / unchunked) * 100).toFixed(1)} %`, 'small', longest < unchunked / 10);

  // 6. The drift check while the plugin is open, at 5,000 variables (Figma's most per collection).
  const DRIFT_VARIABLES = 5000;
  const d = await session('virtual', CHUNK_BUDGET_MS);
  await d.apply(snapshot(undefined, DRIFT_VARIABLES), 1);
  const quiet = await d.check();
  const quietLongest = Math.max(...d.chunks);
  const quietReads = sum(quiet.reads);
  const wallStart = performance.now();
  await d.check();
  const wallMs = performance.now() - wallStart;
  console.log(`\n6. the drift check at ${DRIFT_VARIABLES} variables × ${MODES} modes, nothing changed (virtual ms on this fake's Figma-like costs)`);
  line('   main-thread time of one check (virtual ms)', quiet.ms.toFixed(1), '≤ ~150 ms per 15 s', quiet.ms <= 150);
  line('   longest chunk of the check (virtual ms)', quietLongest.toFixed(1), '≤ ~50 ms', quietLongest <= 50);
  line('   calls to Figma (2 list calls + 2 reads per marked object)', String(quietReads), String(2 + 2 * (DRIFT_VARIABLES + 1)), quietReads === 2 + 2 * (DRIFT_VARIABLES + 1));
  line('   writes', String(sum(quiet.writes)), '0', sum(quiet.writes) === 0);
  line('   wall-clock in Node, reads on the fake + planning the grid (ms)', wallMs.toFixed(1), '(reference)', true);
  const mode1 = d.fake.collectionNamed('Tokens')!.modesRaw()[0]!.modeId;
  const edited = d.fake.variablesIn('Tokens').filter((v) => v.type === 'FLOAT').slice(0, 10);
  for (const v of edited) v.editInFigma({ values: { [mode1]: -1 } });
  const reset = await d.check();
  const drift = d.fake.ui.last('drift');
  line('   10 values changed in Figma: values put back', String(reset.writes['Variable.setValueForMode'] ?? 0), '10', reset.writes['Variable.setValueForMode'] === 10);
  line('   ... and listed for the designer', String(drift.summary.lines.length), '10', drift.state === 'reset' && drift.summary.lines.length === 10);
  line('   main-thread time of that check (virtual ms)', reset.ms.toFixed(1), '≤ ~150 ms', reset.ms <= 150);

  // 7. Wall-clock in Node on the real scheduler (Date.now + setTimeout 0), for reference.
  const real = await session('real', CHUNK_BUDGET_MS);
  const t0 = performance.now();
  await real.apply(snapshot(), 1);
  console.log('\n7. the same snapshot on the real scheduler in Node (fake calls cost microseconds)');
  line('   total wall-clock (ms)', (performance.now() - t0).toFixed(1), '(reference)', true);

  await exportAndAdopt();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
