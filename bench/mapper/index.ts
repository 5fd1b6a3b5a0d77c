// Bench: map and plan a 5,000-row × 4-mode tab (colours, numbers, aliases), and export it as DTCG
// token files, against the floor of JSON.parse(JSON.stringify(grid)) of the same grid in the same
// run. Target: map + plan under 10×. The export writes many times the grid's bytes (indented JSON,
// $extensions per token), so its figure is printed with that size ratio and no target.
// node bench/run.mjs mapper [iterations]

import type { CellValue, Grid } from '../../shared/protocol/grid';
import { mapGrid } from '../../shared/sheet/mapper';
import type { FileState, MapResult } from '../../shared/sheet/model';
import { applyPlanToFileState } from '../../shared/plan/plan-apply';
import { planSync } from '../../shared/plan/plan';
import { exportTokens } from '../../shared/tokens/export-tokens';

const ROWS = 5000;
const MODES = ['Light', 'Dark', 'High contrast', 'Print'];
const TARGET = 10;

/** A deterministic pseudo-random sequence, so every run maps the same grid. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** One tab as a token sheet has it: ~45% colours (hex, some rgb()/hsl()), ~30% numbers, ~25% aliases. */
function buildGrid(): Grid {
  const next = random(42);
  const hex = () => `#${Math.floor(next() * 0xffffff).toString(16).padStart(6, '0')}`;
  const rows: CellValue[][] = [['Name', ...MODES, 'Description']];
  const colours: string[] = [];
  const numbers: string[] = [];
  for (let r = 0; r < ROWS; r++) {
    const kind = next();
    let name: string;
    let value: () => CellValue;
    if (kind < 0.45 || (kind >= 0.75 && colours.length === 0)) {
      name = `color/${r % 50}/${r}`;
      colours.push(name);
      const style = next();
      value = style < 0.8 ? hex : style < 0.9 ? () => `rgb(${Math.floor(next() * 255)} ${Math.floor(next() * 255)} ${Math.floor(next() * 255)} / ${Math.floor(next() * 100)}%)` : () => `hsl(${Math.floor(next() * 360)} ${Math.floor(next() * 100)}% ${Math.floor(next() * 100)}%)`;
    } else if (kind < 0.75 || numbers.length === 0) {
      name = `size/${r % 20}/${r}`;
      numbers.push(name);
      value = next() < 0.5 ? () => Math.floor(next() * 64) : () => `${Math.floor(next() * 64)}px`;
    } else if (kind < 0.9) {
      name = `alias/color/${r}`;
      value = () => `{${colours[Math.floor(next() * colours.length)]}}`;
    } else {
      name = `alias/size/${r}`;
      value = () => `{${numbers[Math.floor(next() * numbers.length)]}}`;
    }
    rows.push([name, ...MODES.map(() => value()), r % 10 === 0 ? `Row ${r}` : '']);
  }
  return { tabs: [{ tabId: 1, name: 'Tokens', rows }] };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function main(): void {
  const iterations = Number(process.argv[2] ?? 25);
  const warmup = 10;
  // Through JSON once, as a grid arrives in the plugin (flat strings, not the ropes built above).
  const grid = JSON.parse(JSON.stringify(buildGrid())) as Grid;
  const empty: FileState = { collections: [], variables: [] };

  // Check the work is real before timing it: the grid maps cleanly and the no-op plan is empty.
  const coldStart = performance.now();
  const mapped = mapGrid(grid);
  const firstPlan = planSync(mapped.collections, empty);
  const cold = performance.now() - coldStart;
  const applied = applyPlanToFileState(empty, firstPlan);
  const noop = planSync(mapped.collections, applied);
  const variables = mapped.collections.reduce((n, c) => n + c.variables.length, 0);
  console.log(`grid: ${ROWS} rows × ${MODES.length} modes (${JSON.stringify(grid).length} bytes of JSON); mapped ${variables} variables, ${mapped.problems.length} problems`);
  console.log(`plan from an empty file: ${firstPlan.ops.length} ops; plan against the applied file (no-op): ${noop.ops.length} ops`);
  if (mapped.problems.length > 0 || noop.ops.length > 0) throw new Error('the bench grid should map cleanly and re-plan to nothing');
  const withUnits = mapGrid(grid, { units: true });
  const exported = exportTokens(withUnits.collections, { format: 'dtcg' });
  const bytes = exported.files.reduce((n, f) => n + f.text.length, 0);
  const gridBytes = JSON.stringify(grid).length;
  console.log(`DTCG export: ${exported.files.length} files (${MODES.length} modes + resolver), ${bytes} characters (${(bytes / gridBytes).toFixed(1)}× the grid's JSON), ${exported.problems.length} problems`);
  if (exported.problems.length > 0 || exported.files.length !== MODES.length + 1) throw new Error('the bench grid should export cleanly to one file per mode and a resolver document');

  const m = run(grid, mapped, withUnits, empty, applied, warmup, iterations);
  const row = (label: string, ms: number) => console.log(`${label.padEnd(46)} ${ms.toFixed(2).padStart(8)} ms   ${(ms / m.floor).toFixed(2).padStart(6)}× floor`);
  console.log(`\nmedians of ${iterations} iterations after ${warmup} warm-up, steps interleaved in one loop:`);
  row('floor: JSON.parse(JSON.stringify(grid))', m.floor);
  row('mapGrid', m.map);
  row('planSync (empty file: creates everything)', m.planEmpty);
  row('planSync (applied file: no-op)', m.planNoop);
  const worst = m.map + Math.max(m.planEmpty, m.planNoop);
  row('map + plan (the slower plan)', worst);
  row('exportTokens (DTCG, resolver layout, as text)', m.exportDtcg);
  row('mapGrid (units) + exportTokens', m.mapUnits + m.exportDtcg);
  console.log(`first (cold, unoptimized) mapGrid + planSync of this process: ${cold.toFixed(2)} ms`);
  console.log(`\ntarget: map + plan under ${TARGET}× the floor → ${worst / m.floor < TARGET ? 'met' : 'NOT met'} (${(worst / m.floor).toFixed(2)}×)`);
  console.log(`DTCG export: ${(m.exportDtcg / m.floor).toFixed(2)}× the floor (no target: it writes far more bytes than the floor reads)`);
}

interface Medians {
  floor: number;
  map: number;
  planEmpty: number;
  planNoop: number;
  mapUnits: number;
  exportDtcg: number;
}

/**
 * No gc() between steps: a forced full GC makes V8 drop optimized code, so every step after it
 * would be timed cold (interpreted), which measures the JIT's warm-up rather than the code.
 */
function run(grid: Grid, mapped: MapResult, withUnits: MapResult, empty: FileState, applied: FileState, warmup: number, iterations: number): Medians {
  const floor: number[] = [];
  const map: number[] = [];
  const planEmpty: number[] = [];
  const planNoop: number[] = [];
  const mapUnits: number[] = [];
  const exportDtcg: number[] = [];
  for (let i = 0; i < warmup + iterations; i++) {
    const f = time(() => JSON.parse(JSON.stringify(grid)));
    let result = mapped;
    const m = time(() => {
      result = mapGrid(grid);
    });
    const p = time(() => planSync(result.collections, empty));
    const n = time(() => planSync(result.collections, applied));
    let units = withUnits;
    const u = time(() => {
      units = mapGrid(grid, { units: true });
    });
    const e = time(() => exportTokens(units.collections, { format: 'dtcg' }));
    if (i >= warmup) {
      floor.push(f);
      map.push(m);
      planEmpty.push(p);
      planNoop.push(n);
      mapUnits.push(u);
      exportDtcg.push(e);
    }
  }
  return { floor: median(floor), map: median(map), planEmpty: median(planEmpty), planNoop: median(planNoop), mapUnits: median(mapUnits), exportDtcg: median(exportDtcg) };
}

main();
