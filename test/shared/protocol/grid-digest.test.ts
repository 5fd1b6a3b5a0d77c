// The incremental grid digest against the definition: after any sequence of changes its hash is the
// canonical hash of applyChange's grid, its size is the row texts' bytes, a change re-hashes only what it
// touches, chunk texts held elsewhere are asked for by place, and an oversized change is refused early.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import fc from 'fast-check';
import { CHUNK_ROWS, gridHash, tabRowTexts } from '../../../shared/protocol/canonical-hash';
import { SyncError } from '../../../shared/protocol/errors';
import { applyChange, emptyGrid, type CellValue, type Grid } from '../../../shared/protocol/grid';
import { GridDigest, applyToState, emptyGridState, gridStateOf, snapshotTabsJson, type GridState } from '../../../shared/protocol/grid-digest';
import type { Change, ChangeTab } from '../../../shared/protocol/messages';
import { BIG, BIG_TAB, VECTOR, VECTOR_TABS } from '../../helpers/hash-vectors';

const nodeSha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Bytes of every normalized row text plus its newline: the definition of a grid's size. */
function referenceBytes(grid: Grid): number {
  let bytes = 0;
  for (const t of grid.tabs) for (const text of tabRowTexts(t.rows)) bytes += Buffer.byteLength(text) + 1;
  return bytes;
}

/** A copy of the state without chunk texts, as the relay holds a head it has not read the texts of. */
function withoutTexts(state: GridState): GridState {
  return { ...state, tabs: state.tabs.map((t) => ({ ...t, chunks: t.chunks.map(({ text: _text, ...meta }) => ({ ...meta })) })) };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries: grids that cross chunk boundaries, and changes that write near and far

const cellArb: fc.Arbitrary<CellValue> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 1, arbitrary: fc.boolean() },
);
const rowArb = fc.array(cellArb, { maxLength: 4 });
const tabIdArb = fc.integer({ min: 0, max: 4 });
const valuesArb = fc.oneof({ weight: 3, arbitrary: fc.array(rowArb, { maxLength: 6 }) }, { weight: 1, arbitrary: fc.array(rowArb, { minLength: 200, maxLength: 700 }) });
const rowPositionArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 8 }) },
  { weight: 2, arbitrary: fc.integer({ min: 250, max: 262 }) },
  { weight: 2, arbitrary: fc.integer({ min: 500, max: 780 }) },
);
const rangeArb = fc.record({ row: rowPositionArb, col: fc.integer({ min: 1, max: 5 }), values: fc.array(rowArb, { minLength: 1, maxLength: 4 }) });
/** Ranges that clear: "" over rows near the end of what earlier ranges wrote, so trailing rows and chunks go. */
const clearArb = fc.record({ row: rowPositionArb, col: fc.constant(1), values: fc.array(fc.constant<CellValue[]>(['', '', '', '', '', '']), { minLength: 1, maxLength: 300 }) });
const changeTabArb: fc.Arbitrary<ChangeTab> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ tabId: tabIdArb, name: fc.constantFrom('A', 'B', 'Ü'), ranges: fc.array(fc.oneof({ weight: 3, arbitrary: rangeArb }, { weight: 1, arbitrary: clearArb }), { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ tabId: tabIdArb, name: fc.constantFrom('A', 'B'), values: valuesArb }) },
);
const changeArb: fc.Arbitrary<Pick<Change, 'kind' | 'tabs'>> = fc.oneof(
  { weight: 5, arbitrary: fc.uniqueArray(changeTabArb, { selector: (t) => t.tabId, minLength: 1, maxLength: 2 }).map((tabs) => ({ kind: 'patch' as const, tabs })) },
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(fc.record({ tabId: tabIdArb, name: fc.constantFrom('A', 'B'), values: valuesArb }), { selector: (t) => t.tabId, maxLength: 3 })
      .map((tabs) => ({ kind: 'snapshot' as const, tabs })),
  },
);

describe('the grid digest agrees with the canonical hash', () => {
  it('after any sequence of changes, its hash and size are those of applyChange’s grid', () => {
    fc.assert(
      fc.property(fc.array(changeArb, { minLength: 1, maxLength: 6 }), (changes) => {
        let grid = emptyGrid();
        let digest = GridDigest.empty(nodeSha256);
        for (const change of changes) {
          grid = applyChange(grid, change);
          digest = digest.apply(change);
          expect(digest.hash).toBe(gridHash(grid));
          expect(digest.state.bytes).toBe(referenceBytes(grid));
        }
        expect(GridDigest.of(grid).hash).toBe(digest.hash);
      }),
      { numRuns: 150 },
    );
  });

  it('a state without chunk texts asks for exactly the chunks it must read, then gives the same result', () => {
    fc.assert(
      fc.property(changeArb, fc.array(changeArb, { minLength: 1, maxLength: 3 }), (first, changes) => {
        let full = GridDigest.empty(nodeSha256).apply(first).state;
        for (const change of changes) {
          const lean = withoutTexts(full);
          let outcome = applyToState(lean, change, { digest: nodeSha256 });
          let rounds = 0;
          while (!outcome.ok) {
            expect(++rounds).toBeLessThanOrEqual(2);
            for (const { tabId, index } of outcome.missing) {
              const chunk = lean.tabs.find((t) => t.tabId === tabId)!.chunks[index]!;
              chunk.text = full.tabs.find((t) => t.tabId === tabId)!.chunks[index]!.text!;
            }
            outcome = applyToState(lean, change, { digest: nodeSha256 });
          }
          const expected = applyToState(full, change, { digest: nodeSha256 });
          if (!expected.ok) throw new Error('a full state never misses a text');
          expect(outcome.state.hash).toBe(expected.state.hash);
          full = expected.state;
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the chunks it reports written and the tabs it reports removed turn the old stored chunks into the new ones', () => {
    fc.assert(
      fc.property(changeArb, changeArb, (first, second) => {
        const before = GridDigest.empty(nodeSha256).apply(first).state;
        const stored = new Map<string, string>();
        for (const t of before.tabs) t.chunks.forEach((c, i) => stored.set(`${t.tabId}:${i}`, c.digest));
        const outcome = applyToState(before, second, { digest: nodeSha256 });
        if (!outcome.ok) throw new Error('a full state never misses a text');
        for (const tabId of outcome.removedTabs) for (const key of [...stored.keys()]) if (key.startsWith(`${tabId}:`)) stored.delete(key);
        for (const t of outcome.state.tabs) for (const key of [...stored.keys()]) if (key.startsWith(`${t.tabId}:`) && Number(key.split(':')[1]) >= t.chunks.length) stored.delete(key);
        for (const w of outcome.written) stored.set(`${w.tabId}:${w.index}`, w.chunk.digest);
        const expected = new Map<string, string>();
        for (const t of outcome.state.tabs) t.chunks.forEach((c, i) => expected.set(`${t.tabId}:${i}`, c.digest));
        expect(new Map([...stored].sort())).toEqual(new Map([...expected].sort()));
      }),
      { numRuns: 150 },
    );
  });

  it('the snapshot tabs JSON built from chunk texts is the grid with each row trimmed', () => {
    fc.assert(
      fc.property(changeArb, (change) => {
        const grid = applyChange(emptyGrid(), change);
        const state = GridDigest.empty().apply(change).state;
        const tabs = JSON.parse(snapshotTabsJson(state)) as { tabId: number; name: string; values: CellValue[][] }[];
        expect(tabs).toEqual(grid.tabs.map((t) => ({ tabId: t.tabId, name: t.name, values: tabRowTexts(t.rows).map((r) => JSON.parse(r) as CellValue[]) })));
        expect(gridHash({ tabs: tabs.map((t) => ({ ...t, rows: t.values })) })).toBe(gridHash(grid));
      }),
      { numRuns: 100 },
    );
  });

  it('the documented vectors come out of a digest built from them', () => {
    expect(gridStateOf({ tabs: VECTOR_TABS }).hash).toBe(VECTOR.grid);
    const state = gridStateOf({ tabs: [BIG_TAB] }, nodeSha256);
    expect(state.tabs[0]!.chunks.map((c) => [c.digest, c.rows])).toEqual(BIG.chunks.map((d, i) => [d, i < 2 ? CHUNK_ROWS : 88]));
    expect(emptyGridState().hash).toBe(gridHash(emptyGrid()));
  });
});

describe('the cost of a change follows its size', () => {
  /** A digest that counts what it hashes. */
  function countingDigest(): { digest: (text: string) => string; calls: number; bytes: number } {
    const counter = {
      calls: 0,
      bytes: 0,
      digest: (text: string) => {
        counter.calls++;
        counter.bytes += text.length;
        return nodeSha256(text);
      },
    };
    return counter;
  }
  const bigGrid = { tabs: [{ tabId: 0, name: 'Tokens', rows: Array.from({ length: 20_000 }, (_, i): CellValue[] => [`color/token-${i}`, '#000000', i]) }, { tabId: 1, name: 'Other', rows: [['a']] }] };

  it('a one-cell patch on a 20,000-row tab hashes one chunk, its tab line and the grid line', () => {
    const counter = countingDigest();
    const state = gridStateOf(bigGrid, counter.digest);
    counter.calls = 0;
    counter.bytes = 0;
    const outcome = applyToState(withoutTexts(state), { kind: 'patch', tabs: [{ tabId: 0, name: 'Tokens', ranges: [{ row: 10_001, col: 2, values: [['#ffffff']] }] }] }, { digest: counter.digest });
    expect(outcome).toEqual({ ok: false, missing: [{ tabId: 0, index: Math.floor(10_000 / CHUNK_ROWS) }] });
    const lean = withoutTexts(state);
    const index = Math.floor(10_000 / CHUNK_ROWS);
    lean.tabs[0]!.chunks[index]!.text = state.tabs[0]!.chunks[index]!.text!;
    const applied = applyToState(lean, { kind: 'patch', tabs: [{ tabId: 0, name: 'Tokens', ranges: [{ row: 10_001, col: 2, values: [['#ffffff']] }] }] }, { digest: counter.digest });
    expect(applied.ok && applied.written.map((w) => [w.tabId, w.index])).toEqual([[0, index]]);
    expect(counter.calls).toBe(3);
    // One chunk (~8 KB), one line of 65 bytes per chunk of the tab, one per tab: far below the grid's size.
    expect(counter.bytes).toBeLessThan(state.tabs[0]!.chunks[index]!.bytes + 65 * state.tabs[0]!.chunks.length + 2 * 65 + 100);
    expect(state.bytes).toBeGreaterThan(30 * counter.bytes);
  });

  it('rows added between the old end and a far value share one empty chunk and are not re-hashed one by one', () => {
    const counter = countingDigest();
    const state = gridStateOf({ tabs: [{ tabId: 0, name: 'T', rows: [['a']] }] }, counter.digest);
    counter.calls = 0;
    const outcome = applyToState(state, { kind: 'patch', tabs: [{ tabId: 0, name: 'T', ranges: [{ row: 100_000, col: 1, values: [['z']] }] }] }, { digest: counter.digest });
    if (!outcome.ok) throw new Error('a full state never misses a text');
    expect(outcome.state.tabs[0]!.rowCount).toBe(100_000);
    // The first chunk, the last, at most one shared empty chunk, the tab and the grid.
    expect(counter.calls).toBeLessThanOrEqual(5);
  });
});

describe('the size limit', () => {
  const small = gridStateOf({ tabs: [{ tabId: 0, name: 'T', rows: [['Name', 'Value'], ['a', 1]] }] });

  it('a value at row 10,000,000 is refused from the lower bound before any row is built', () => {
    const change: Pick<Change, 'kind' | 'tabs'> = { kind: 'patch', tabs: [{ tabId: 0, name: 'T', ranges: [{ row: 10_000_000, col: 1, values: [['x']] }] }] };
    const digest = jest.fn(nodeSha256);
    expect(() => applyToState(small, change, { digest, maxBytes: 5 * 1024 * 1024 })).toThrow(expect.objectContaining({ code: 'BODY_TOO_LARGE', detail: expect.stringMatching(/at least 30000\d{3} bytes/) }));
    expect(digest).not.toHaveBeenCalled();
  });

  it('values far to the right on many rows are refused before their padding is built', () => {
    const change: Pick<Change, 'kind' | 'tabs'> = { kind: 'patch', tabs: [{ tabId: 0, name: 'T', ranges: [{ row: 1, col: 18_278, values: Array.from({ length: 200 }, () => ['x']) }] }] };
    const digest = jest.fn(nodeSha256);
    expect(() => applyToState(small, change, { digest, maxBytes: 1024 * 1024 })).toThrow(SyncError);
    expect(digest).not.toHaveBeenCalled();
  });

  it('a change whose built grid is larger than the limit is refused, one that fits exactly is taken', () => {
    const rows = [['a'.repeat(100)], ['b'.repeat(100)]];
    const exact = 2 * (100 + 4 + 1);
    const change: Pick<Change, 'kind' | 'tabs'> = { kind: 'snapshot', tabs: [{ tabId: 0, name: 'T', values: rows }] };
    expect(applyToState(emptyGridState(), change, { maxBytes: exact }).ok).toBe(true);
    expect(() => applyToState(emptyGridState(), change, { maxBytes: exact - 1 })).toThrow(expect.objectContaining({ code: 'BODY_TOO_LARGE' }));
  });
});

// Apps Script's V8 has no TextEncoder and no crypto: the bundled digest must work without them.
describe('the grid digest in a bare V8 context', () => {
  it('patched there, it gives the hash Node computes for the patched grid', async () => {
    const out = await build({
      stdin: { contents: "export { GridDigest } from '../shared/protocol/grid-digest';", resolveDir: join(__dirname, '../..'), loader: 'ts' },
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'gridDigest',
      target: 'es2019',
      logLevel: 'silent',
    });
    const context = createContext({});
    runInContext(out.outputFiles[0]!.text, context, { timeout: 5000 });
    expect(runInContext('["TextEncoder", "crypto", "Buffer", "process"].filter((n) => typeof globalThis[n] !== "undefined")', context)).toEqual([]);
    fc.assert(
      fc.property(fc.array(changeArb, { minLength: 1, maxLength: 4 }), (changes) => {
        let grid = emptyGrid();
        for (const change of changes) grid = applyChange(grid, change);
        const script = `(() => { let d = gridDigest.GridDigest.empty(); for (const c of ${JSON.stringify(changes)}) d = d.apply(c); return d.hash; })()`;
        expect(runInContext(script, context, { timeout: 5000 })).toBe(gridHash(grid));
      }),
      { numRuns: 40 },
    );
  });
});
