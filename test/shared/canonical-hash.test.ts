// Tests the canonical hash against its written definition: fixed vectors (the ones in
// docs/protocol.md), node:crypto as an independent SHA-256, properties, and a run of the bundled
// code in a bare V8 context without TextEncoder or crypto, as in Apps Script.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInContext, createContext } from 'node:vm';
import { build } from 'esbuild';
import fc from 'fast-check';
import { canonicalText, gridHash, sha256Hex } from '../../shared/canonical-hash';
import { applyChange, emptyGrid, normalizeRows, type CellValue, type Grid, type Rows } from '../../shared/grid';

/** The test vector of docs/protocol.md: two tabs, given out of tabId order and with trailing padding. */
const VECTOR_TABS: { tabId: number; name: string; rows: Rows }[] = [
  {
    tabId: 1843256789,
    name: 'Typographie — Überschriften',
    rows: [
      ['Name', 'Value', ''],
      ['font/heading', 'Inter Display ✓', ''],
      ['flag/beta', true, ''],
      ['released', '2024-05-01T09:30:00.000Z', ''],
      ['size/body', 1.5, ''],
      ['', '', ''],
    ],
  },
  {
    tabId: 0,
    name: 'Colors 🎨',
    rows: [
      ['Name', 'Light', 'Dark'],
      ['color/brand/primary', '#0066ff', ''],
      ['spacing/4', 16, false],
      [],
    ],
  },
];
/** Written out by hand from the definition (and checked with sha256sum and Python's hashlib). */
const VECTOR_TEXT =
  '[[0,"Colors 🎨",[["Name","Light","Dark"],["color/brand/primary","#0066ff",""],["spacing/4",16,false]]],' +
  '[1843256789,"Typographie — Überschriften",[["Name","Value"],["font/heading","Inter Display ✓"],["flag/beta",true],["released","2024-05-01T09:30:00.000Z"],["size/body",1.5]]]]';
const VECTOR_HASH = '01ab3808f50d55028fe123a5ebb4f3bb358cf6b161be8bbbe20cc98ca7cbffdf';
const EMPTY_GRID_HASH = '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';

const nodeSha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A second, independent reading of the definition: trim trailing empty rows and columns, pad, sort, stringify. */
function referenceText(tabs: readonly { tabId: number; name: string; rows: Rows }[]): string {
  const normalized = tabs.map((t) => {
    const nonEmptyRows = t.rows.map((r, i) => (r.some((c) => c !== '') ? i : -1)).filter((i) => i >= 0);
    const height = nonEmptyRows.length ? Math.max(...nonEmptyRows) + 1 : 0;
    const width = Math.max(0, ...t.rows.slice(0, height).map((r) => r.reduce<number>((w, c, j) => (c !== '' ? j + 1 : w), 0)));
    const rows = t.rows.slice(0, height).map((r) => Array.from({ length: width }, (_, j) => (j < r.length ? r[j]! : '')));
    return [t.tabId, t.name, rows] as const;
  });
  normalized.sort((a, b) => a[0] - b[0]);
  return JSON.stringify(normalized);
}

describe('canonical hash: fixed vectors', () => {
  it('the canonical text of the test vector is exactly the documented text', () => {
    expect(canonicalText(VECTOR_TABS)).toBe(VECTOR_TEXT);
  });

  it('the test vector hashes to the documented hex', () => {
    expect(gridHash({ tabs: VECTOR_TABS })).toBe(VECTOR_HASH);
  });

  it("node:crypto's SHA-256 of the documented text is the documented hex", () => {
    expect(nodeSha256(VECTOR_TEXT)).toBe(VECTOR_HASH);
  });

  it('the vector hashes the same after going through a snapshot into a grid', () => {
    const grid = applyChange(emptyGrid(), { kind: 'snapshot', tabs: VECTOR_TABS.map((t) => ({ tabId: t.tabId, name: t.name, values: t.rows })) });
    expect(gridHash(grid)).toBe(VECTOR_HASH);
  });

  it('docs/protocol.md shows exactly this canonical text and hash, and the empty grid\'s hash', () => {
    const doc = readFileSync(join(__dirname, '../../docs/protocol.md'), 'utf8');
    expect([doc.includes(`\n${VECTOR_TEXT}\n`), doc.includes(`\n${VECTOR_HASH}\n`), doc.includes(EMPTY_GRID_HASH)]).toEqual([true, true, true]);
  });

  it('the empty grid hashes as the text "[]"', () => {
    expect(canonicalText([])).toBe('[]');
    expect(gridHash(emptyGrid())).toBe(EMPTY_GRID_HASH);
  });

  it('a tab whose cells are all empty is still part of the hash, with no rows', () => {
    expect(canonicalText([{ tabId: 5, name: 'Empty', rows: [['', ''], ['']] }])).toBe('[[5,"Empty",[]]]');
  });

  it('a lone surrogate in a cell is written as its JSON escape, as JSON.stringify does since ES2019', () => {
    expect(canonicalText([{ tabId: 1, name: 'T', rows: [['\ud800x']] }])).toBe('[[1,"T",[["\\ud800x"]]]]');
  });

  it('numbers are written as JavaScript writes them (shortest round-trip form)', () => {
    expect(canonicalText([{ tabId: 1, name: 'T', rows: [[0.1 + 0.2, 1e21, 1e-7, -5, 100]] }])).toBe('[[1,"T",[[0.30000000000000004,1e+21,1e-7,-5,100]]]]');
  });

  it('sha256Hex gives lowercase hex of the UTF-8 bytes, like node:crypto', () => {
    for (const text of ['', 'abc', 'é', '🎨', '\u0000', 'x'.repeat(1000)]) expect(sha256Hex(text)).toBe(nodeSha256(text));
  });

  it('sha256Hex of "abc" is the FIPS 180-2 value', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
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
const tabsArb = fc.uniqueArray(
  fc.record({
    tabId: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
    rows: fc.array(fc.array(cellArb, { maxLength: 5 }), { maxLength: 5 }),
  }),
  { selector: (t) => t.tabId, maxLength: 4 },
);
/** A grid as the relay holds it: tabs sorted, rows normalized. */
const gridArb: fc.Arbitrary<Grid> = tabsArb.map((tabs) => applyChange(emptyGrid(), { kind: 'snapshot', tabs: tabs.map((t) => ({ tabId: t.tabId, name: t.name, values: t.rows })) }));

describe('canonical hash: properties', () => {
  it('the hash is SHA-256 (node:crypto) of an independently built canonical text', () => {
    fc.assert(
      fc.property(tabsArb, (tabs) => {
        const text = referenceText(tabs);
        expect(canonicalText(tabs)).toBe(text);
        expect(gridHash({ tabs })).toBe(nodeSha256(text));
      }),
      { numRuns: 300 },
    );
  });

  it('equal grids hash equal whatever trailing empty rows and columns they carry', () => {
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
      { numRuns: 300 },
    );
  });

  it('the order of the tabs does not change the hash', () => {
    fc.assert(
      fc.property(tabsArb.chain((tabs) => fc.tuple(fc.constant(tabs), fc.shuffledSubarray(tabs, { minLength: tabs.length, maxLength: tabs.length }))), ([tabs, shuffled]) => {
        expect(gridHash({ tabs: shuffled })).toBe(gridHash({ tabs }));
      }),
    );
  });

  it('changing any single cell changes the hash', () => {
    const withCell = gridArb.filter((g) => g.tabs.some((t) => t.rows.length > 0));
    fc.assert(
      fc.property(withCell, fc.nat(), fc.nat(), fc.nat(), cellArb, (grid, ti, ri, ci, value) => {
        const tabs = grid.tabs.filter((t) => t.rows.length > 0);
        const tab = tabs[ti % tabs.length]!;
        const r = ri % tab.rows.length;
        const c = ci % tab.rows[r]!.length;
        const old = tab.rows[r]![c]!;
        // -0 and 0 are one JSON number, so only a value that reads differently is a change.
        fc.pre(JSON.stringify(old) !== JSON.stringify(value));
        const rows = tab.rows.map((row, i) => (i === r ? row.map((cell, j) => (j === c ? value : cell)) : row));
        const changed = { tabs: grid.tabs.map((t) => (t === tab ? { ...t, rows } : t)) };
        expect(gridHash(changed)).not.toBe(gridHash(grid));
      }),
      { numRuns: 500 },
    );
  });

  it('renaming a tab or changing its tabId changes the hash', () => {
    fc.assert(
      fc.property(gridArb.filter((g) => g.tabs.length > 0), fc.string({ minLength: 1, maxLength: 5 }), (grid, suffix) => {
        const [first, ...rest] = grid.tabs;
        expect(gridHash({ tabs: [{ ...first!, name: first!.name + suffix }, ...rest] })).not.toBe(gridHash(grid));
        const unusedId = Math.max(...grid.tabs.map((t) => t.tabId)) + 1;
        expect(gridHash({ tabs: [{ ...first!, tabId: unusedId }, ...rest] })).not.toBe(gridHash(grid));
      }),
    );
  });

  it('hashing normalizes rows itself, so raw rows and normalized rows hash the same', () => {
    fc.assert(
      fc.property(tabsArb, (tabs) => {
        expect(gridHash({ tabs: tabs.map((t) => ({ ...t, rows: normalizeRows(t.rows) })) })).toBe(gridHash({ tabs }));
      }),
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
      entryPoints: [join(__dirname, '../../shared/canonical-hash.ts')],
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

  it('the bundled gridHash gives the documented hex for the test vector there', () => {
    expect(hashInBareContext(VECTOR_TABS)).toBe(VECTOR_HASH);
  });

  it('the bundled gridHash agrees with node:crypto there for any grid', () => {
    fc.assert(
      fc.property(tabsArb, (tabs) => {
        expect(hashInBareContext(tabs)).toBe(nodeSha256(referenceText(tabs)));
      }),
      { numRuns: 100 },
    );
  });
});
