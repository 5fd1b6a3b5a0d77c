// The export's promise as a property: for any local variable set Figma can hold (groups, 1-40 modes,
// all four types, aliases within and across collections and chains of them, scopes, code syntax,
// descriptions, hidden, float32 colours and numbers), exporting it to sheet tabs, mapping the tabs
// and planning them against the same file adopts every variable with its id and writes nothing but
// the sync's marks; and the same tabs as CSV files pass `sheets-figma-sync check` with no error and
// mean the same. FC_SEED replays a failure (test/helpers/fast-check-seed.ts).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { toCsv, csvFileName } from '../../../shared/sheet/delimited-text';
import { normalizeRows, type Grid } from '../../../shared/protocol/grid';
import { mapGrid } from '../../../shared/sheet/mapper';
import type { FileCollection, FileState, FileValue, FileVariable, VariableType } from '../../../shared/sheet/model';
import { planSync } from '../../../shared/plan/plan';
import { applyPlanToFileState } from '../../../shared/plan/plan-apply';
import { SCOPES_BY_TYPE } from '../../../shared/sheet/figma-rules';
import { exportSheet, type ExportedTab } from '../../../shared/sheet/sheet-export';
import { runCheck } from '../../../tools/check-command';
import { csvToRows } from '../../../tools/csv-tabs';

// ---------------------------------------------------------------------------------------------
// Figma files as generated data

const TYPES: VariableType[] = ['COLOR', 'FLOAT', 'STRING', 'BOOLEAN'];
const COLLECTION_NAMES = ['Primitives', 'Semantic', 'Brand Colors', 'Typography 2', 'Ünïcode ✓', 'Spacing & Size'];
const SEGMENTS = ['color', 'brand', 'primary', 'bg', 'text muted', 'size', '4', 'x-1', 'ß', '🎨', 'a_b', 'on-dark', 'weight'];
const SPECIAL_MODES = ['Light', 'Dark', 'High contrast', 'Mobile', 'Desktop', 'Ünïcode mode', '2024'];

/** Texts a string variable may hold: plain words, and text a sheet would read as something else. */
const stringValue = fc.oneof(
  fc.constantFrom('Inter', 'Roboto Mono', '400', '007', 'TRUE', 'false', '1e3', '#1', '#ff0000', 'red', '0.25rem', '240 5.9% 10%', '1/2', '=SUM(A1)', "'quoted", 'Hello {name}!', ' padded ', 'line\nbreak', 'tab\there', 'a, b', '"quotes"', '-', '+1'),
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '' && !s.trim().startsWith('{') && !s.trim().endsWith('}')),
);
const float32Channel = fc.oneof(fc.integer({ min: 0, max: 255 }).map((n) => Math.fround(n / 255)), fc.float({ min: 0, max: 1, noNaN: true }));
const colour = fc.record({ r: float32Channel, g: float32Channel, b: float32Channel, a: fc.oneof(fc.constant(1), float32Channel) });
const number = fc.oneof(
  fc.integer({ min: -10_000, max: 10_000 }),
  fc.float({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.float({ min: Math.fround(-1e-3), max: Math.fround(1e-3), noNaN: true }),
  fc.constantFrom(Math.fround(0.1), Math.fround(1.5), Math.fround(16.3), Math.fround(1e21), -0),
);

const variableDraft = fc.record({
  type: fc.constantFrom(...TYPES),
  segments: fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 3 }),
  /** Per mode: an alias (to an earlier variable of the type) with this chance. */
  aliasTo: fc.array(fc.option(fc.nat(), { freq: 2 }), { minLength: 40, maxLength: 40 }),
  seed: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
  description: fc.oneof(fc.constant(''), fc.constantFrom('Page background', 'Two\nlines', 'Ünïcode — “quoted”', '007')),
  hidden: fc.boolean(),
  scopes: fc.oneof(fc.constant(['ALL_SCOPES']), fc.nat()),
  codeSyntax: fc.record({ WEB: fc.option(fc.constantFrom('var(--x)', 'var(--color-bg)'), { nil: undefined }), ANDROID: fc.option(fc.constant('R.color.bg'), { nil: undefined }), iOS: fc.option(fc.constant('Color.bg'), { nil: undefined }) }, { requiredKeys: [] }),
});

const collectionDraft = fc.record({
  modes: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: 5, max: 40 }) }),
  specialModes: fc.boolean(),
  defaultNotFirst: fc.boolean(),
  variables: fc.array(variableDraft, { maxLength: 10 }),
  values: fc.array(fc.tuple(colour, number, stringValue, fc.boolean()), { minLength: 8, maxLength: 8 }),
});

const fileArb: fc.Arbitrary<FileState> = fc
  .tuple(fc.uniqueArray(fc.constantFrom(...COLLECTION_NAMES), { minLength: 1, maxLength: 3 }), fc.array(collectionDraft, { minLength: 3, maxLength: 3 }))
  .map(([names, drafts]) => buildFile(names, drafts));

type CollectionDraft = typeof collectionDraft extends fc.Arbitrary<infer T> ? T : never;

function buildFile(names: string[], drafts: CollectionDraft[]): FileState {
  const collections: FileCollection[] = [];
  const variables: FileVariable[] = [];
  const earlier: Record<VariableType, FileVariable[]> = { COLOR: [], FLOAT: [], STRING: [], BOOLEAN: [] };
  let n = 0;
  names.forEach((name, c) => {
    const d = drafts[c]!;
    const id = `VariableCollectionId:${c}:1`;
    const modeNames = d.specialModes && d.modes <= SPECIAL_MODES.length ? SPECIAL_MODES.slice(0, d.modes) : Array.from({ length: d.modes }, (_, i) => `Mode ${i + 1}`);
    const modes = modeNames.map((m, i) => ({ modeId: `${c}:${i}`, name: m }));
    collections.push({ id, name, remote: false, modes, defaultModeId: modes[d.defaultNotFirst && modes.length > 1 ? 1 : 0]!.modeId });
    const taken = new Set<string>();
    for (const v of d.variables) {
      const name = v.segments.join('/');
      if (taken.has(name.toLowerCase())) continue;
      taken.add(name.toLowerCase());
      const valuesByMode: Record<string, FileValue> = {};
      modes.forEach((m, i) => {
        const target = v.aliasTo[i];
        const targets = earlier[v.type];
        if (target !== null && target !== undefined && targets.length > 0) valuesByMode[m.modeId] = { type: 'VARIABLE_ALIAS', id: targets[target % targets.length]!.id };
        else {
          const [col, num, str, bool] = d.values[v.seed[i]! % d.values.length]!;
          valuesByMode[m.modeId] = v.type === 'COLOR' ? col : v.type === 'FLOAT' ? num : v.type === 'STRING' ? str : bool;
        }
      });
      const scopeList = SCOPES_BY_TYPE[v.type].filter((s) => s !== 'ALL_SCOPES' && s !== 'ALL_FILLS');
      const scopes =
        v.type === 'BOOLEAN' || typeof v.scopes !== 'number' || scopeList.length === 0
          ? ['ALL_SCOPES']
          : scopeList.filter((_, i) => (v.scopes as number) & (1 << i)).slice(0, 4);
      const variable: FileVariable = {
        id: `VariableID:${c}:${++n}`,
        name,
        collectionId: id,
        resolvedType: v.type,
        valuesByMode,
        description: v.description,
        hidden: v.hidden,
        scopes: scopes.length > 0 ? scopes : ['ALL_SCOPES'],
        codeSyntax: Object.fromEntries(Object.entries(v.codeSyntax).filter(([, text]) => text !== undefined)),
        remote: false,
      };
      variables.push(variable);
      earlier[v.type].push(variable);
    }
  });
  return { collections, variables };
}

/** The exported tabs as the sheet holds them (tab ids 1, 2, … in offer order). */
function gridOf(tabs: readonly ExportedTab[]): Grid {
  return { tabs: tabs.map((t, i) => ({ tabId: i + 1, name: t.name, rows: normalizeRows(t.values) })) };
}

const allIds = (file: FileState) => new Set(file.collections.map((c) => c.id));

// ---------------------------------------------------------------------------------------------

describe('export → sheet tabs → map → plan against the same file', () => {
  test('adopts every variable with its id, writes only the sync\'s marks, reports no problem, and then plans nothing', () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        const exported = exportSheet(file);
        expect(exported.problems).toEqual([]);
        expect(exported.tabs.reduce((n, t) => n + t.variables, 0)).toBe(file.variables.length);
        const mapped = mapGrid(gridOf(exported.tabs));
        expect(mapped.problems).toEqual([]);

        const plan = planSync(mapped.collections, file, { adopt: allIds(file) });
        expect(plan.problems).toEqual([]);
        expect(plan.ops.filter((op) => op.op !== 'setOrigin' && op.op !== 'setCollectionOrigin')).toEqual([]);
        expect(plan.adoptions.map((a) => [a.approved, a.created, a.valuesChanged, a.detailsChanged, a.typeDiffers, a.figmaOnly, a.modesAdded, a.modesKept])).toEqual(
          file.collections.map(() => [true, 0, 0, 0, 0, [], [], []]),
        );
        expect(plan.adoptions.reduce((n, a) => n + a.adopted, 0)).toBe(file.variables.length);

        const after = applyPlanToFileState(file, plan);
        expect(after.variables.map((v) => v.id).sort()).toEqual(file.variables.map((v) => v.id).sort());
        expect(after.variables.every((v) => v.origin !== undefined)).toBe(true);
        expect(after.collections.every((c) => c.origin?.adopted === true)).toBe(true);
        expect(planSync(mapped.collections, after).ops).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  test('the same tabs as CSV files pass the check command without an error and mean what the tabs mean', () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        const exported = exportSheet(file);
        const csv = new Map(exported.tabs.map((t) => [csvFileName(t.name), toCsv(t.values)]));
        const out: string[] = [];
        const status = runCheck([...csv.keys()], true, { stdout: (t) => out.push(t), stderr: (t) => out.push(t), readFile: (f) => csv.get(f)! });
        expect([status, JSON.parse(out.join('')).problems]).toEqual([0, []]);
        const fromCsv = { tabs: exported.tabs.map((t, i) => ({ tabId: i + 1, name: t.name, rows: csvToRows(csv.get(csvFileName(t.name))!, t.name) })) };
        const plan = planSync(mapGrid(fromCsv).collections, file, { adopt: allIds(file) });
        expect(plan.ops.filter((op) => op.op !== 'setOrigin' && op.op !== 'setCollectionOrigin')).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});

test('the generated files cover what the export must handle (a guard that the generator stays useful)', () => {
  const seen = { typeColumn: 0, srgb: 0, hex8: 0, tabAlias: 0, ownAlias: 0, manyModes: 0, scopes: 0, hidden: 0, codeSyntax: 0, description: 0, apostrophe: 0 };
  for (const file of fc.sample(fileArb, { numRuns: 300, seed: 7 })) {
    for (const t of exportSheet(file).tabs) {
      const header = t.values[0]!;
      const text = JSON.stringify(t.values);
      if (header.includes('Type')) seen.typeColumn++;
      if (text.includes('color(srgb')) seen.srgb++;
      if (/"#[0-9a-f]{8}"/.test(text)) seen.hex8++;
      if (text.includes('::')) seen.tabAlias++;
      if (/"\{[^:"]+\}"/.test(text)) seen.ownAlias++;
      if (t.modes.length > 10) seen.manyModes++;
      if (header.includes('Scopes')) seen.scopes++;
      if (header.includes('Hidden')) seen.hidden++;
      if (header.includes('Web') || header.includes('iOS')) seen.codeSyntax++;
      if (header.includes('Description')) seen.description++;
      if (toCsv(t.values).includes(",'")) seen.apostrophe++;
    }
  }
  for (const [feature, count] of Object.entries(seen)) expect([feature, count > 5]).toEqual([feature, true]);
});

describe('the check command line on exported CSV files', () => {
  let dir = '';
  const root = join(__dirname, '../../..');
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'export-check-'));
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'cli'], { cwd: root, stdio: 'pipe', timeout: 60_000 });
  }, 90_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('npx sheets-figma-sync check reads the files a generated export writes and exits 0', () => {
    const [file] = fc.sample(fileArb.filter((f) => f.variables.length > 5), { numRuns: 1, seed: 42 });
    const paths = exportSheet(file!).tabs.map((t) => {
      const path = join(dir, csvFileName(t.name));
      writeFileSync(path, toCsv(t.values));
      return path;
    });
    const result = spawnSync(process.execPath, [join(root, 'bin/sheets-figma-sync.mjs'), 'check', ...paths], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('0 errors');
  }, 60_000);
});
