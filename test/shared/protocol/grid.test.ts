// Tests the canonical grid: normalization, writing ranges, applying patches and snapshots, purity,
// and the property that patches and the snapshot of their result always agree.

import fc from 'fast-check';
import { applyChange, cellCount, emptyGrid, findTab, gridToTabs, normalizeRows, writeRange, type CellValue, type Grid, type Rows } from '../../../shared/protocol/grid';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import { SyncError } from '../../../shared/protocol/errors';
import { LIMITS } from '../../../shared/protocol/limits';
import type { ChangeTab } from '../../../shared/protocol/messages';

/** Freezes a value and everything inside it, so any write to it throws in strict mode. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('normalizeRows', () => {
  it('removes trailing rows that are wholly empty', () => {
    expect(normalizeRows([['a', 'b'], ['', ''], ['']])).toEqual([['a', 'b']]);
  });

  it('removes trailing columns that are empty in every row', () => {
    expect(normalizeRows([['a', '', ''], ['b', 'c', '']])).toEqual([['a', ''], ['b', 'c']]);
  });

  it('pads short rows with "" to the width of the widest non-empty cell', () => {
    expect(normalizeRows([['a'], [], ['b', 'c', 'd']])).toEqual([['a', '', ''], ['', '', ''], ['b', 'c', 'd']]);
  });

  it('keeps empty rows in the middle of the grid', () => {
    expect(normalizeRows([['a'], [''], ['b']])).toEqual([['a'], [''], ['b']]);
  });

  it('keeps leading empty rows and columns', () => {
    expect(normalizeRows([[''], ['', 'x']])).toEqual([['', ''], ['', 'x']]);
  });

  it('treats 0 and false as values, not as empty cells', () => {
    expect(normalizeRows([[0, false, ''], ['', '', '']])).toEqual([[0, false]]);
  });

  it('treats a string of spaces as a value', () => {
    expect(normalizeRows([[' ', '']])).toEqual([[' ']]);
  });

  it('turns a grid of only empty cells into no rows', () => {
    expect(normalizeRows([['', ''], [''], []])).toEqual([]);
  });

  it('returns the very same array when the rows are already normalized', () => {
    const rows: Rows = [['a', 1], [true, '']];
    expect(normalizeRows(rows)).toBe(rows);
  });

  it('does not modify its input', () => {
    const rows = deepFreeze<Rows>([['a', ''], ['b'], ['', '']]);
    expect(normalizeRows(rows)).toEqual([['a'], ['b']]);
  });
});

describe('writeRange', () => {
  it('writes a block with its top-left cell at the 1-based row and column', () => {
    expect(writeRange([['a', 'b'], ['c', 'd']], 2, 2, [['X']])).toEqual([['a', 'b'], ['c', 'X']]);
  });

  it('grows the grid with empty rows and "" cells to reach the range', () => {
    expect(writeRange([['a']], 3, 3, [['x', 'y'], ['z']])).toEqual([['a'], [], ['', '', 'x', 'y'], ['', '', 'z']]);
  });

  it('writes into an empty grid', () => {
    expect(writeRange([], 1, 2, [[1, true]])).toEqual([['', 1, true]]);
  });

  it('writes "" over a value, which is how a cleared cell arrives', () => {
    expect(writeRange([['a', 'b']], 1, 2, [['']])).toEqual([['a', '']]);
  });

  it('does not grow the grid for "" written past its end, since those cells are "" already', () => {
    expect(writeRange([['a', 'b']], 1_000_000, 18_000, [['', ''], ['']])).toEqual([['a', 'b']]);
  });

  it('writes "" inside a row but not past its end', () => {
    expect(writeRange([['a', 'b', 'c']], 1, 2, [['', '', '', '']])).toEqual([['a', '', '']]);
  });

  it('does not modify the rows or the values it is given', () => {
    const rows = deepFreeze<Rows>([['a', 'b'], ['c']]);
    const values = deepFreeze<Rows>([['x'], ['y', 'z']]);
    expect(writeRange(rows, 1, 2, values)).toEqual([['a', 'x'], ['c', 'y', 'z']]);
  });

  it('shares the rows it does not touch with its input', () => {
    const rows: Rows = [['a'], ['b']];
    const out = writeRange(rows, 2, 1, [['c']]);
    expect(out[0]).toBe(rows[0]);
    expect(out[1]).not.toBe(rows[1]);
  });
});

describe('applyChange', () => {
  const start: Grid = {
    tabs: [
      { tabId: 1, name: 'Colors', rows: [['Name', 'Value'], ['a', '#fff']] },
      { tabId: 7, name: 'Sizes', rows: [['Name', 'Value'], ['s', 4]] },
    ],
  };

  it('a patch writes its ranges into the tab it names and keeps the other tabs', () => {
    const next = applyChange(start, { kind: 'patch', tabs: [{ tabId: 1, name: 'Colors', ranges: [{ row: 2, col: 2, values: [['#000']] }, { row: 3, col: 1, values: [['b', '#111']] }] }] });
    expect(next).toEqual({
      tabs: [
        { tabId: 1, name: 'Colors', rows: [['Name', 'Value'], ['a', '#000'], ['b', '#111']] },
        { tabId: 7, name: 'Sizes', rows: [['Name', 'Value'], ['s', 4]] },
      ],
    });
  });

  it('a patch applies its ranges in order, so a later range wins where they overlap', () => {
    const next = applyChange(start, { kind: 'patch', tabs: [{ tabId: 7, name: 'Sizes', ranges: [{ row: 2, col: 2, values: [[8]] }, { row: 2, col: 2, values: [[16]] }] }] });
    expect(findTab(next, 7)).toEqual({ tabId: 7, name: 'Sizes', rows: [['Name', 'Value'], ['s', 16]] });
  });

  it('a patch that clears the last row and column leaves the tab normalized', () => {
    const next = applyChange(start, { kind: 'patch', tabs: [{ tabId: 1, name: 'Colors', ranges: [{ row: 1, col: 2, values: [[''], ['']] }, { row: 2, col: 1, values: [['']] }] }] });
    expect(findTab(next, 1)).toEqual({ tabId: 1, name: 'Colors', rows: [['Name']] });
  });

  it('a patch with whole-tab values replaces that tab only', () => {
    const next = applyChange(start, { kind: 'patch', tabs: [{ tabId: 7, name: 'Sizes', values: [['Name'], ['m', ''], ['', '']] }] });
    expect(next).toEqual({
      tabs: [
        { tabId: 1, name: 'Colors', rows: [['Name', 'Value'], ['a', '#fff']] },
        { tabId: 7, name: 'Sizes', rows: [['Name'], ['m']] },
      ],
    });
  });

  it('a patch that names a tab the grid lacks adds it, in tabId order', () => {
    const next = applyChange(start, { kind: 'patch', tabs: [{ tabId: 3, name: 'New', ranges: [{ row: 1, col: 1, values: [['Name']] }] }] });
    expect(next.tabs.map((t) => [t.tabId, t.name])).toEqual([[1, 'Colors'], [3, 'New'], [7, 'Sizes']]);
    expect(findTab(next, 3)).toEqual({ tabId: 3, name: 'New', rows: [['Name']] });
  });

  it('a patch renames a tab to the name it carries', () => {
    const next = applyChange(start, { kind: 'patch', tabs: [{ tabId: 7, name: 'Spacing', ranges: [{ row: 1, col: 1, values: [['Name']] }] }] });
    expect(findTab(next, 7)).toEqual({ tabId: 7, name: 'Spacing', rows: [['Name', 'Value'], ['s', 4]] });
  });

  it('a snapshot replaces every tab and drops the tabs it does not list', () => {
    const next = applyChange(start, { kind: 'snapshot', tabs: [{ tabId: 7, name: 'Sizes', values: [['Name', 'Value', ''], ['l', 24, '']] }] });
    expect(next).toEqual({ tabs: [{ tabId: 7, name: 'Sizes', rows: [['Name', 'Value'], ['l', 24]] }] });
  });

  it('a snapshot with no tabs empties the grid', () => {
    expect(applyChange(start, { kind: 'snapshot', tabs: [] })).toEqual(emptyGrid());
  });

  it('sorts the tabs of a snapshot by tabId', () => {
    const next = applyChange(emptyGrid(), { kind: 'snapshot', tabs: [{ tabId: 9, name: 'B', values: [['x']] }, { tabId: 2, name: 'A', values: [['y']] }] });
    expect(next.tabs.map((t) => t.tabId)).toEqual([2, 9]);
  });

  it('does not modify the grid or the change it is given', () => {
    const grid = deepFreeze(structuredClone(start));
    const change = deepFreeze({
      kind: 'patch' as const,
      tabs: [
        { tabId: 1, name: 'Colors', ranges: [{ row: 5, col: 4, values: [['z']] }] },
        { tabId: 7, name: 'Sizes', values: [['Name'], ['s', 1, '']] },
      ],
    });
    const next = applyChange(grid, change);
    expect(grid).toEqual(start);
    expect(findTab(next, 1)?.rows).toEqual([['Name', 'Value', '', ''], ['a', '#fff', '', ''], ['', '', '', ''], ['', '', '', ''], ['', '', '', 'z']]);
  });

  it('shares the tabs a patch does not touch with the grid it was given', () => {
    const next = applyChange(start, { kind: 'patch', tabs: [{ tabId: 1, name: 'Colors', ranges: [{ row: 1, col: 1, values: [['N']] }] }] });
    expect(findTab(next, 7)).toBe(findTab(start, 7));
  });
});

describe('applyChange refuses grids no spreadsheet can hold', () => {
  /** The SyncError applyChange throws, as {code, detail}, or undefined when it does not throw. */
  function refusal(run: () => unknown): { code: string; detail: string | undefined } | undefined {
    try {
      run();
    } catch (err) {
      if (err instanceof SyncError) return { code: err.code, detail: err.detail };
      throw err;
    }
    return undefined;
  }

  it('allows at most 10 million cells, as many as a Google spreadsheet holds', () => {
    expect(LIMITS.maxGridCells).toBe(10_000_000);
  });

  it('refuses a snapshot whose padding would make billions of cells, before making any', () => {
    const wide: CellValue[] = Array<CellValue>(18_278).fill('');
    wide[18_277] = 'x';
    const values: Rows = [wide, ...Array.from({ length: 200_000 }, () => []), ['x']];
    expect(refusal(() => applyChange(emptyGrid(), { kind: 'snapshot', tabs: [{ tabId: 4, name: 'Bomb', values }] }))).toEqual({
      code: 'BAD_CHANGE',
      detail: 'the grid after this change would have 3655636556 cells (tab 4 alone 200002 rows × 18278 columns, padded); a spreadsheet holds at most 10000000',
    });
  });

  it('refuses a patch that writes one value at the last row and column', () => {
    const change = { kind: 'patch' as const, tabs: [{ tabId: 1, name: 'Far', ranges: [{ row: LIMITS.maxRow, col: LIMITS.maxColumn, values: [['x']] }] }] };
    expect(refusal(() => applyChange(emptyGrid(), change))).toEqual({
      code: 'BAD_CHANGE',
      detail: 'the grid after this change would have 182780000000 cells (tab 1 alone 10000000 rows × 18278 columns, padded); a spreadsheet holds at most 10000000',
    });
  });

  it('counts every tab of the grid, not only the ones the change lists', () => {
    const grid = applyChange(emptyGrid(), { kind: 'snapshot', tabs: [{ tabId: 1, name: 'A', values: [['a', 'b'], ['c', 'd']] }] });
    expect(refusal(() => applyChange(grid, { kind: 'patch', tabs: [{ tabId: 2, name: 'B', values: [['x', 'y', 'z']] }] }, 6))).toEqual({
      code: 'BAD_CHANGE',
      detail: 'the grid after this change would have 7 cells (tab 1 alone 2 rows × 2 columns, padded); a spreadsheet holds at most 6',
    });
  });

  it('accepts a grid of exactly the most cells allowed', () => {
    const grid = applyChange(emptyGrid(), { kind: 'snapshot', tabs: [{ tabId: 1, name: 'A', values: [['a', 'b'], ['c', 'd']] }] });
    expect(applyChange(grid, { kind: 'patch', tabs: [{ tabId: 2, name: 'B', values: [['x', 'y']] }] }, 6).tabs.map((t) => t.rows)).toEqual([[['a', 'b'], ['c', 'd']], [['x', 'y']]]);
  });

  it('measures a whole-tab replacement by its normalized size, not by its trailing padding', () => {
    expect(applyChange(emptyGrid(), { kind: 'snapshot', tabs: [{ tabId: 1, name: 'A', values: [['a', '', '', ''], ['', '', '', ''], ['b']] }] }, 3).tabs[0]!.rows).toEqual([['a'], [''], ['b']]);
  });

  it('does not count "" written far past the end of a tab', () => {
    const change = { kind: 'patch' as const, tabs: [{ tabId: 1, name: 'A', ranges: [{ row: LIMITS.maxRow, col: LIMITS.maxColumn, values: [['']] }, { row: 1, col: 1, values: [['a']] }] }] };
    expect(applyChange(emptyGrid(), change, 1)).toEqual({ tabs: [{ tabId: 1, name: 'A', rows: [['a']] }] });
  });
});

describe('gridToTabs and cellCount', () => {
  it('gridToTabs gives the snapshot tabs of a grid', () => {
    expect(gridToTabs({ tabs: [{ tabId: 4, name: 'T', rows: [['a', 1]] }] })).toEqual([{ tabId: 4, name: 'T', values: [['a', 1]] }]);
  });

  it('cellCount counts every cell of every tab, empty ones included', () => {
    expect(cellCount({ tabs: [{ tabId: 1, name: 'A', rows: [['a', ''], ['b', 'c']] }, { tabId: 2, name: 'B', rows: [[1]] }] })).toBe(5);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const cellArb: fc.Arbitrary<CellValue> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)) },
  { weight: 1, arbitrary: fc.boolean() },
);
const rowsArb = (maxRows: number, maxCols: number): fc.Arbitrary<Rows> => fc.array(fc.array(cellArb, { maxLength: maxCols }), { maxLength: maxRows });
const tabIdArb = fc.integer({ min: 0, max: 5 });
const nameArb = fc.constantFrom('Colors', 'Sizes', 'Flags', 'Ünïcode ✓');

const valuesTabArb = fc.record({ tabId: tabIdArb, name: nameArb, values: rowsArb(6, 5) });
const rangesTabArb = fc.record({
  tabId: tabIdArb,
  name: nameArb,
  ranges: fc.array(fc.record({ row: fc.integer({ min: 1, max: 8 }), col: fc.integer({ min: 1, max: 6 }), values: rowsArb(3, 3) }), { minLength: 1, maxLength: 4 }),
});
const uniqueTabs = <T extends { tabId: number }>(arb: fc.Arbitrary<T>) => fc.uniqueArray(arb, { selector: (t) => t.tabId, maxLength: 4 });
const patchArb = fc.record({ kind: fc.constant('patch' as const), tabs: uniqueTabs(fc.oneof(rangesTabArb, valuesTabArb) as fc.Arbitrary<ChangeTab>) });
const snapshotArb = fc.record({ kind: fc.constant('snapshot' as const), tabs: uniqueTabs(valuesTabArb) as fc.Arbitrary<ChangeTab[]> });
const changeArb = fc.oneof({ weight: 5, arbitrary: patchArb }, { weight: 1, arbitrary: snapshotArb });

/** An independent model of a channel: each tab a sparse map of "row,col" → value. */
type ModelTab = { name: string; cells: Map<string, CellValue> };
function modelApply(model: Map<number, ModelTab>, change: { kind: 'patch' | 'snapshot'; tabs: ChangeTab[] }): Map<number, ModelTab> {
  const next = new Map<number, ModelTab>(change.kind === 'patch' ? [...model].map(([id, t]) => [id, { name: t.name, cells: new Map(t.cells) }]) : []);
  for (const tab of change.tabs) {
    const cells = 'values' in tab ? new Map<string, CellValue>() : (next.get(tab.tabId)?.cells ?? new Map<string, CellValue>());
    const blocks = 'values' in tab ? [{ row: 1, col: 1, values: tab.values }] : tab.ranges;
    for (const block of blocks) {
      block.values.forEach((row, i) => row.forEach((value, j) => cells.set(`${block.row + i},${block.col + j}`, value)));
    }
    next.set(tab.tabId, { name: tab.name, cells });
  }
  return next;
}
function modelGrid(model: Map<number, ModelTab>): Grid {
  const tabs = [...model].sort(([a], [b]) => a - b).map(([tabId, t]) => {
    let height = 0;
    let width = 0;
    for (const [key, value] of t.cells) {
      if (value === '') continue;
      const [r, c] = key.split(',').map(Number) as [number, number];
      height = Math.max(height, r);
      width = Math.max(width, c);
    }
    const rows = Array.from({ length: height }, (_, r) => Array.from({ length: width }, (_, c) => t.cells.get(`${r + 1},${c + 1}`) ?? ''));
    return { tabId, name: t.name, rows };
  });
  return { tabs };
}

function isNormalized(rows: Rows): boolean {
  if (rows.length === 0) return true;
  const width = rows[0]!.length;
  return rows.every((r) => r.length === width) && rows[rows.length - 1]!.some((c) => c !== '') && width > 0 && rows.some((r) => r[width - 1] !== '');
}

describe('grid properties', () => {
  it('a grid after any sequence of patches equals the snapshot taken of it, and hashes the same', () => {
    fc.assert(
      fc.property(snapshotArb, fc.array(changeArb, { maxLength: 12 }), (first, changes) => {
        const final = [first, ...changes].reduce<Grid>((grid, change) => applyChange(grid, change), emptyGrid());
        const again = applyChange(emptyGrid(), { kind: 'snapshot', tabs: gridToTabs(final) });
        expect(again).toEqual(final);
        expect(gridHash(again)).toBe(gridHash(final));
      }),
      { numRuns: 300 },
    );
  });

  it('a grid after any sequence of changes equals an independent cell-by-cell model of them', () => {
    fc.assert(
      fc.property(fc.array(changeArb, { maxLength: 12 }), (changes) => {
        let grid = emptyGrid();
        let model = new Map<number, ModelTab>();
        for (const change of changes) {
          grid = applyChange(grid, change);
          model = modelApply(model, change);
        }
        expect(grid).toEqual(modelGrid(model));
      }),
      { numRuns: 300 },
    );
  });

  it('every tab of a grid after any change is normalized', () => {
    fc.assert(
      fc.property(fc.array(changeArb, { minLength: 1, maxLength: 8 }), (changes) => {
        const grid = changes.reduce<Grid>((g, c) => applyChange(g, c), emptyGrid());
        expect(grid.tabs.filter((t) => !isNormalized(t.rows))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('a snapshot is refused exactly when its grid would have more cells than allowed', () => {
    fc.assert(
      fc.property(snapshotArb, fc.integer({ min: 0, max: 40 }), (snapshot, maxCells) => {
        const cells = cellCount(applyChange(emptyGrid(), snapshot, Infinity));
        const refused = (() => {
          try {
            applyChange(emptyGrid(), snapshot, maxCells);
            return false;
          } catch (err) {
            return err instanceof SyncError && err.code === 'BAD_CHANGE';
          }
        })();
        expect(refused).toBe(cells > maxCells);
      }),
      { numRuns: 300 },
    );
  });

  it('a patch that is not refused never makes a grid with more cells than allowed', () => {
    fc.assert(
      fc.property(snapshotArb, patchArb, fc.integer({ min: 0, max: 60 }), (first, patch, maxCells) => {
        const grid = applyChange(emptyGrid(), first, Infinity);
        let next: Grid | undefined;
        try {
          next = applyChange(grid, patch, maxCells);
        } catch (err) {
          if (!(err instanceof SyncError)) throw err;
        }
        if (next) expect(cellCount(next)).toBeLessThanOrEqual(maxCells);
      }),
      { numRuns: 300 },
    );
  });

  it('normalizeRows is idempotent', () => {
    fc.assert(
      fc.property(rowsArb(6, 6), (rows) => {
        const once = normalizeRows(rows);
        expect(normalizeRows(once)).toBe(once);
      }),
    );
  });

  it('applying a change never modifies the grid or the change', () => {
    fc.assert(
      fc.property(snapshotArb, changeArb, (first, change) => {
        const grid = deepFreeze(applyChange(emptyGrid(), first));
        const gridBefore = structuredClone(grid);
        const changeBefore = structuredClone(change);
        applyChange(grid, deepFreeze(change));
        expect(grid).toEqual(gridBefore);
        expect(change).toEqual(changeBefore);
      }),
      { numRuns: 200 },
    );
  });
});
