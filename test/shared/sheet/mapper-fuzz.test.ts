import fc from 'fast-check';
import { parseA1 } from '../../../shared/sheet/a1';
import { normalizeRows, type CellValue, type Grid, type Rows } from '../../../shared/protocol/grid';
import { mapGrid } from '../../../shared/sheet/mapper';
import { MAPPER_PROBLEMS, type MapperProblemCode } from '../../../shared/sheet/mapper-problems';
import type { MapResult, MappedValue } from '../../../shared/sheet/model';

const NAMES = ['a', 'b', '__proto__', 'constructor', 'c/d', 'Color/Brand', 'color/brand', 'x::y', 'ß/ü', '日本/色'];
const TAB_NAMES = ['T0', 'T1', '__proto__', 'Primitives', 'Ünïcödé', '', ' T0 '];

const cell: fc.Arbitrary<CellValue> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom(...NAMES),
  fc.constantFrom(...NAMES.map((n) => `{${n}}`), ...NAMES.map((n) => `{T1::${n}}`), '{Nowhere::a}', '{', '}', '{}', '{a.b}'),
  fc.constantFrom('#fff', '#0055ff80', '#12345', 'rgb(0 85 255 / 50%)', 'rgba(1,2)', 'hsl(220 100% 50%)', 'oklch(0.7 0.4 30)', '16px', '-0.5', '1e999', 'TRUE', 'true', ' '),
  fc.constantFrom('color', 'number', 'string', 'boolean', 'numbr', 'ALL_SCOPES', 'GAP, FRAME_FILL', 'ALL_FILLS', '//', '/a', 'a/', 'a.b'),
);

const headerCell: fc.Arbitrary<CellValue> = fc.oneof(
  fc.constantFrom('Name', 'name ', '__proto__', 'toString', 'Type', 'Description', 'Scopes', 'Hidden', 'Web', 'Android', 'iOS', 'Light', 'Dark', 'Value', '', 'm'.repeat(41)),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.integer(),
);

const tabRows: fc.Arbitrary<Rows> = fc
  .tuple(fc.array(headerCell, { maxLength: 8 }), fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 14 }), fc.boolean())
  .map(([header, rows, nameFirst]) => [nameFirst ? ['Name', ...header] : header, ...rows]);

const gridArb: fc.Arbitrary<Grid> = fc.array(fc.tuple(fc.constantFrom(...TAB_NAMES), tabRows), { maxLength: 4 }).map((tabs) => ({
  tabs: tabs.map(([name, rows], i) => ({ tabId: i, name, rows: normalizeRows(rows) })),
}));

/**
 * The invariants every mapping keeps, whatever the grid. Violations are collected and compared to
 * [] once, so a 200,000-cell grid is checked without 200,000 expect calls.
 */
function checkInvariants(grid: Grid, result: MapResult): void {
  const violations: string[] = [];
  const fail = (what: string) => {
    if (violations.length < 20) violations.push(what);
  };
  const tabsByName = new Map<string, Rows[]>();
  for (const t of grid.tabs) tabsByName.set(t.name, [...(tabsByName.get(t.name) ?? []), t.rows]);
  const errorRows = new Set<string>();
  for (const p of result.problems) {
    const where = `${p.tab}!${p.cell} ${p.code}`;
    // A known code with its catalogue severity, and a message within the protocol's limit.
    if (MAPPER_PROBLEMS[p.code as MapperProblemCode] !== p.severity) fail(`${where}: severity ${p.severity}`);
    if (!(p.message.length > 0 && p.message.length <= 1000)) fail(`${where}: message length ${p.message.length}`);
    // The tab exists and the cell is A1 or a cell of that tab.
    const candidates = tabsByName.get(p.tab);
    const at = parseA1(p.cell);
    if (!candidates || !at) {
      fail(`${where}: no such tab or not an A1 cell`);
      continue;
    }
    if (!(p.cell === 'A1' || candidates.some((rows) => at.row <= rows.length && at.col <= (rows[at.row - 1]?.length ?? 0)))) fail(`${where}: cell outside the tab`);
    if (p.severity === 'error') errorRows.add(`${p.tab}\u0000${at.row}`);
  }
  const byCollection = new Map(result.collections.map((c) => [c.name, c]));
  for (const c of result.collections) {
    const modeNames = c.modes.map((m) => m.name).sort();
    if (!(modeNames.length >= 1 && modeNames.length <= 40)) fail(`${c.name}: ${modeNames.length} modes`);
    if (c.variables.length > 5000) fail(`${c.name}: ${c.variables.length} variables`);
    const names = new Set<string>();
    for (const v of c.variables) {
      const where = `${c.name}::${v.name} (row ${v.row})`;
      if (names.has(v.name)) fail(`${where}: name repeated`);
      names.add(v.name);
      if (/(^|\/)\s*(\/|$)|[.{}]/.test(v.name)) fail(`${where}: name breaks Figma's rules`);
      if (JSON.stringify(Object.keys(v.valuesByMode).sort()) !== JSON.stringify(modeNames)) fail(`${where}: values not one per mode`);
      for (const value of Object.values(v.valuesByMode)) {
        const bad = badValue(value, v.type, byCollection);
        if (bad) fail(`${where}: ${bad}`);
      }
      // A row with an error never maps.
      if (errorRows.has(`${c.name}\u0000${v.row}`)) fail(`${where}: maps although its row has an error`);
    }
  }
  expect(violations).toEqual([]);
}

/** Why a mapped value does not fit its variable's type, or undefined when it does. */
function badValue(value: MappedValue, type: string, collections: Map<string, MapResult['collections'][number]>): string | undefined {
  if (typeof value === 'object' && 'alias' in value) {
    // An alias always points at a variable that maps, of the same type.
    const target = collections.get(value.alias.collection)?.variables.find((v) => v.name === value.alias.name);
    return target?.type === type ? undefined : `alias to ${value.alias.collection}::${value.alias.name} (${target?.type ?? 'missing'})`;
  }
  switch (type) {
    case 'COLOR':
      return typeof value === 'object' && Object.values(value).every((ch: number) => ch >= 0 && ch <= 1) ? undefined : `bad colour ${JSON.stringify(value)}`;
    case 'FLOAT':
      return Number.isFinite(value) ? undefined : `bad number ${String(value)}`;
    case 'BOOLEAN':
      return typeof value === 'boolean' ? undefined : `bad boolean ${String(value)}`;
    default:
      return typeof value === 'string' ? undefined : `bad string ${String(value)}`;
  }
}

describe('mapGrid on random grids', () => {
  test('never throws, and every problem has a known code, a tab and a cell that exists', () => {
    fc.assert(
      fc.property(gridArb, (grid) => {
        checkInvariants(grid, mapGrid(grid));
      }),
      { numRuns: 400 },
    );
  });

  test('a good row maps whatever junk surrounds it', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 20 }), fc.nat(20), (junk, at) => {
        const rows: Rows = [['Name', 'Light', 'Dark'], ...junk];
        rows.splice(1 + Math.min(at, junk.length), 0, ['zz/good', '#0055ff', '{zz/good-dark}']);
        rows.push(['zz/good-dark', '#000', '#000']);
        const grid = { tabs: [{ tabId: 0, name: 'T1', rows: normalizeRows(rows) }] };
        const result = mapGrid(grid);
        checkInvariants(grid, result);
        const good = result.collections[0]!.variables.find((v) => v.name === 'zz/good');
        expect(good?.valuesByMode).toEqual({ Light: { r: 0, g: 85 / 255, b: 1, a: 1 }, Dark: { alias: { collection: 'T1', name: 'zz/good-dark' } } });
      }),
      { numRuns: 300 },
    );
  });

  test('rows of uneven length (not normalized) never make it throw', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 10 }), (rows) => {
        const result = mapGrid({ tabs: [{ tabId: 0, name: 'T0', rows: [['Name', 'Value', 'Type'], ...rows] }] });
        expect(Array.isArray(result.problems)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test('values a grid should never hold (null, objects, holes, a missing grid) never make it throw', () => {
    const weird = [
      null,
      undefined,
      {},
      { tabs: null },
      { tabs: [null, 1, 'x', { tabId: 1, name: 'T', rows: null }, { tabId: 2, name: 'U', rows: [null, ['Name', 'V'], [undefined, {}], ['a', [1]]] }] },
      // eslint-disable-next-line no-sparse-arrays
      { tabs: [{ tabId: 3, name: 'S', rows: [['Name', 'V'], ['a', , 1], ['b', { toString: () => '#fff' }]] }] },
      { tabs: [{ tabId: 4, name: 7, rows: [['Name', 'V'], ['a', 1]] }] },
    ];
    for (const g of weird) {
      const result = mapGrid(g as unknown as Grid);
      expect(Array.isArray(result.collections) && Array.isArray(result.problems)).toBe(true);
    }
  });

  test('41 mode columns and 5,001 rows map within the limits with errors at the excess', () => {
    const header: CellValue[] = ['Name', ...Array.from({ length: 41 }, (_, i) => `Mode ${i}`)];
    const rows: Rows = [header];
    for (let r = 0; r < 5001; r++) rows.push([`v/${r}`, ...Array.from({ length: 41 }, (_, i) => (r % 3 === 0 ? `#${(r * 41 + i).toString(16).padStart(6, '0').slice(-6)}` : r % 3 === 1 ? r + i : `{v/${r - 1}}`))]);
    const grid = { tabs: [{ tabId: 0, name: 'Big', rows }] };
    const result = mapGrid(grid);
    checkInvariants(grid, result);
    expect(result.collections[0]!.modes).toHaveLength(40);
    expect(result.collections[0]!.variables.length).toBeLessThanOrEqual(5000);
    expect(result.problems.filter((p) => p.code === 'MODE_LIMIT' || p.code === 'VARIABLE_LIMIT').map((p) => [p.cell, p.code])).toEqual([
      ['AP1', 'MODE_LIMIT'],
      ['A5002', 'VARIABLE_LIMIT'],
    ]);
  });
});
