// Tests the canonical hash against its written definition: fixed vectors (the ones in docs/protocol.md,
// computed independently with Python's hashlib), node:crypto as an independent SHA-256, properties, and
// a run of the bundled code in a bare V8 context without TextEncoder or crypto, as in Apps Script.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInContext, createContext } from 'node:vm';
import { build } from 'esbuild';
import fc from 'fast-check';
import { CHUNK_ROWS, gridHash, rowText, sha256Hex, tabDigest, tabRowTexts } from '../../../shared/protocol/canonical-hash';
import { applyChange, emptyGrid, normalizeRows, type CellValue, type Grid, type Rows } from '../../../shared/protocol/grid';
import { BIG, BIG_TAB, EMPTY_GRID_HASH, EMPTY_TAB, EMPTY_TAB_DIGEST, EMPTY_TAB_GRID, VECTOR, VECTOR_TABS } from '../../helpers/hash-vectors';

const nodeSha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A second, independent reading of the definition, written as one loop: trim each row's trailing "",
 * drop trailing empty rows, hash 256-row chunks, then the tab line and chunk digests, then the tabs.
 */
function referenceHash(tabs: readonly { tabId: number; name: string; rows: Rows }[]): string {
  const tabDigests = [...tabs]
    .sort((a, b) => a.tabId - b.tabId)
    .map((t) => {
      const texts: string[] = [];
      for (const row of t.rows) {
        let n = row.length;
        while (n > 0 && row[n - 1] === '') n--;
        texts.push(JSON.stringify(row.slice(0, n)));
      }
      while (texts.length > 0 && texts[texts.length - 1] === '[]') texts.pop();
      const chunkDigests: string[] = [];
      for (let i = 0; i < texts.length; i += 256) chunkDigests.push(nodeSha256(texts.slice(i, i + 256).map((x) => `${x}\n`).join('')));
      return nodeSha256(`${JSON.stringify([t.tabId, t.name, texts.length])}\n${chunkDigests.map((d) => `${d}\n`).join('')}`);
    });
  return nodeSha256(tabDigests.map((d) => `${d}\n`).join(''));
}

describe('canonical hash: fixed vectors', () => {
  it('row texts drop trailing "" cells and tabs drop trailing empty rows', () => {
    expect(tabRowTexts(VECTOR_TABS[1]!.rows)).toEqual(VECTOR.colorsRowTexts);
    expect([rowText(['Name', 'Light', 'Dark']), rowText(['spacing/4', 16, '']), rowText(['', '']), rowText([])]).toEqual(['["Name","Light","Dark"]', '["spacing/4",16]', '[]', '[]']);
  });

  it('the first vector gives the documented chunk digests, tab digests and grid hash', () => {
    expect(nodeSha256(VECTOR.colorsRowTexts.map((t) => `${t}\n`).join(''))).toBe(VECTOR.colorsChunk);
    expect([tabDigest(VECTOR_TABS[1]!), tabDigest(VECTOR_TABS[0]!)]).toEqual([VECTOR.colorsTab, VECTOR.typoTab]);
    expect(gridHash({ tabs: VECTOR_TABS })).toBe(VECTOR.grid);
  });

  it('the 600-row vector spans three chunks and gives the documented digests', () => {
    expect(tabDigest(BIG_TAB)).toBe(BIG.tab);
    expect(gridHash({ tabs: [BIG_TAB] })).toBe(BIG.grid);
    expect(gridHash({ tabs: [...VECTOR_TABS, BIG_TAB] })).toBe(BIG.withVector);
    const texts = tabRowTexts(BIG_TAB.rows);
    expect(texts.length).toBe(600);
    expect([0, 1, 2].map((k) => nodeSha256(texts.slice(k * CHUNK_ROWS, (k + 1) * CHUNK_ROWS).map((t) => `${t}\n`).join('')))).toEqual(BIG.chunks);
  });

  it('the empty grid hashes as SHA-256 of "", and a tab with no non-empty cell still counts, with no chunk', () => {
    expect(gridHash(emptyGrid())).toBe(EMPTY_GRID_HASH);
    expect(tabDigest(EMPTY_TAB)).toBe(EMPTY_TAB_DIGEST);
    expect(nodeSha256('[5,"Empty",0]\n')).toBe(EMPTY_TAB_DIGEST);
    expect(gridHash({ tabs: [EMPTY_TAB] })).toBe(EMPTY_TAB_GRID);
  });

  it('the vectors hash the same after going through a snapshot into a grid (padded rows)', () => {
    const grid = applyChange(emptyGrid(), { kind: 'snapshot', tabs: [...VECTOR_TABS, BIG_TAB].map((t) => ({ tabId: t.tabId, name: t.name, values: t.rows })) });
    expect(gridHash(grid)).toBe(BIG.withVector);
  });

  it("docs/protocol.md shows every vector's digests and the empty grid's hash", () => {
    const doc = readFileSync(join(__dirname, '../../../docs/protocol.md'), 'utf8');
    const shown = [VECTOR.colorsChunk, VECTOR.colorsTab, VECTOR.typoChunk, VECTOR.typoTab, VECTOR.grid, ...BIG.chunks, BIG.tab, BIG.grid, BIG.withVector, EMPTY_GRID_HASH, EMPTY_TAB_DIGEST];
    expect(shown.filter((hex) => !doc.includes(hex))).toEqual([]);
  });

  it('a lone surrogate in a cell is written as its JSON escape, as JSON.stringify does since ES2019', () => {
    expect(rowText(['\ud800x'])).toBe('["\\ud800x"]');
  });

  it('numbers are written as JavaScript writes them (shortest round-trip form)', () => {
    expect(rowText([0.1 + 0.2, 1e21, 1e-7, -5, 100])).toBe('[0.30000000000000004,1e+21,1e-7,-5,100]');
  });

  it('sha256Hex gives lowercase hex of the UTF-8 bytes, like node:crypto', () => {
    for (const text of ['', 'abc', 'é', '🎨', '\u0000', 'x'.repeat(1000)]) expect(sha256Hex(text)).toBe(nodeSha256(text));
  });

  it('sha256Hex of "abc" is the FIPS 180-2 value', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('a native digest passed in gives the same hash as the default one', () => {
    expect(gridHash({ tabs: [...VECTOR_TABS, BIG_TAB] }, nodeSha256)).toBe(BIG.withVector);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const cellArb: fc.Arbitrary<CellValue> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)) },
  { weight: 1, arbitrary: fc.boolean() },
);
/** Rows, sometimes past a chunk boundary (most of them short). */
const rowsArb = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.array(cellArb, { maxLength: 5 }), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.array(fc.array(cellArb, { maxLength: 2 }), { minLength: 250, maxLength: 600 }) },
);
const tabsArb = fc.uniqueArray(
  fc.record({
    tabId: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
    rows: rowsArb,
  }),
  { selector: (t) => t.tabId, maxLength: 4 },
);
/** A grid as a client holds it: tabs sorted, rows normalized. */
const gridArb: fc.Arbitrary<Grid> = tabsArb.map((tabs) => applyChange(emptyGrid(), { kind: 'snapshot', tabs: tabs.map((t) => ({ tabId: t.tabId, name: t.name, values: t.rows })) }));

describe('canonical hash: properties', () => {
  it('the hash is what an independent reading of the definition with node:crypto gives', () => {
    fc.assert(
      fc.property(tabsArb, (tabs) => {
        expect(gridHash({ tabs })).toBe(referenceHash(tabs));
      }),
      { numRuns: 200 },
    );
  });

  it('equal grids hash equal whatever trailing empty cells and rows they carry', () => {
    fc.assert(
      fc.property(gridArb, fc.array(fc.nat(3), { maxLength: 8 }), fc.nat(3), (grid, extraCols, extraRows) => {
        const padded = {
          tabs: grid.tabs.map((t) => ({
            ...t,
            rows: [...t.rows.map((r, i) => [...r, ...Array<CellValue>(extraCols[i] ?? 0).fill('')]), ...Array.from({ length: extraRows }, () => Array<CellValue>(extraCols[0] ?? 0).fill(''))],
          })),
        };
        expect(gridHash(padded)).toBe(gridHash(grid));
      }),
      { numRuns: 200 },
    );
  });

  it('the order of the tabs does not change the hash', () => {
    fc.assert(
      fc.property(tabsArb.chain((tabs) => fc.tuple(fc.constant(tabs), fc.shuffledSubarray(tabs, { minLength: tabs.length, maxLength: tabs.length }))), ([tabs, shuffled]) => {
        expect(gridHash({ tabs: shuffled })).toBe(gridHash({ tabs }));
      }),
      { numRuns: 100 },
    );
  });

  it('changing any single cell changes the hash', () => {
    const withCell = gridArb.filter((g) => g.tabs.some((t) => t.rows.some((r) => r.length > 0)));
    fc.assert(
      fc.property(withCell, fc.nat(), fc.nat(), fc.nat(), cellArb, (grid, ti, ri, ci, value) => {
        const tabs = grid.tabs.filter((t) => t.rows.some((r) => r.length > 0));
        const tab = tabs[ti % tabs.length]!;
        const rowsWithCells = tab.rows.map((row, i) => (row.length > 0 ? i : -1)).filter((i) => i >= 0);
        const r = rowsWithCells[ri % rowsWithCells.length]!;
        const c = ci % tab.rows[r]!.length;
        const old = tab.rows[r]![c]!;
        // -0 and 0 are one JSON number, so only a value that reads differently is a change.
        fc.pre(JSON.stringify(old) !== JSON.stringify(value));
        const rows = tab.rows.map((row, i) => (i === r ? row.map((cell, j) => (j === c ? value : cell)) : row));
        const changed = { tabs: grid.tabs.map((t) => (t === tab ? { ...t, rows } : t)) };
        expect(gridHash(changed)).not.toBe(gridHash(grid));
      }),
      { numRuns: 300 },
    );
  });

  it('moving a row across a chunk boundary, renaming a tab or changing its tabId changes the hash', () => {
    fc.assert(
      fc.property(gridArb.filter((g) => g.tabs.length > 0), fc.string({ minLength: 1, maxLength: 5 }), (grid, suffix) => {
        const [first, ...rest] = grid.tabs;
        expect(gridHash({ tabs: [{ ...first!, name: first!.name + suffix }, ...rest] })).not.toBe(gridHash(grid));
        const unusedId = Math.max(...grid.tabs.map((t) => t.tabId)) + 1;
        expect(gridHash({ tabs: [{ ...first!, tabId: unusedId }, ...rest] })).not.toBe(gridHash(grid));
        expect(gridHash({ tabs: [{ ...first!, rows: [['x'], ...first!.rows] }, ...rest] })).not.toBe(gridHash(grid));
      }),
      { numRuns: 100 },
    );
  });

  it('hashing normalizes rows itself, so raw rows and normalized rows hash the same', () => {
    fc.assert(
      fc.property(tabsArb, (tabs) => {
        expect(gridHash({ tabs: tabs.map((t) => ({ ...t, rows: normalizeRows(t.rows) })) })).toBe(gridHash({ tabs }));
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Apps Script's V8 has no TextEncoder and no crypto: run the bundled code in a context without them.

describe('canonical hash in a bare V8 context', () => {
  let hashInBareContext: (tabs: unknown) => string;
  let contextGlobals: string[];

  beforeAll(async () => {
    const out = await build({
      entryPoints: [join(__dirname, '../../../shared/protocol/canonical-hash.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'canonicalHash',
      target: 'es2019',
      logLevel: 'silent',
    });
    const context = createContext({});
    runInContext(out.outputFiles[0]!.text, context, { timeout: 5000 });
    contextGlobals = runInContext('["TextEncoder", "crypto", "Buffer", "process", "require"].filter((n) => typeof globalThis[n] !== "undefined")', context) as string[];
    hashInBareContext = (tabs) => runInContext(`canonicalHash.gridHash({ tabs: ${JSON.stringify(tabs)} })`, context, { timeout: 5000 }) as string;
  });

  it('the context really lacks TextEncoder, crypto and every Node global', () => {
    expect(contextGlobals).toEqual([]);
  });

  it('the bundled gridHash gives the documented hex for the test vectors there', () => {
    expect([hashInBareContext(VECTOR_TABS), hashInBareContext([...VECTOR_TABS, BIG_TAB])]).toEqual([VECTOR.grid, BIG.withVector]);
  });

  it('the bundled gridHash agrees with node:crypto there for any grid', () => {
    fc.assert(
      fc.property(tabsArb, (tabs) => {
        expect(hashInBareContext(tabs)).toBe(referenceHash(tabs));
      }),
      { numRuns: 60 },
    );
  });
});
