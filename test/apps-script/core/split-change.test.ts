import fc from 'fast-check';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import { applyChange, emptyGrid, normalizeRows, type Rows } from '../../../shared/protocol/grid';
import { parseChange } from '../../../shared/protocol/messages';
import { normalizeTabs } from '../../../apps-script/core/change-builder';
import { splitSnapshot } from '../../../apps-script/core/split-change';
import { utf8Length } from '../../../shared/protocol/utf8';

/** The shared definition of the hash (the add-on passes a native digest of the same text). */
const hasher = (t: readonly { tabId: number; name: string; rows: Rows }[]): string => gridHash({ tabs: t });

let n = 0;
const ids = () => `piece-${n++}`;

const cell = fc.oneof(fc.constant(''), fc.string({ maxLength: 30 }), fc.integer(), fc.boolean());
const tab = fc.record({
  tabId: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  name: fc.string({ minLength: 1, maxLength: 20 }),
  rows: fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 60 }),
});
const tabs = fc.uniqueArray(tab, { selector: (t) => t.tabId, maxLength: 4 });

describe('splitting the sheet to fit the relay’s body limit', () => {
  it('sends one snapshot when the whole fits', () => {
    const grid = normalizeTabs([{ tabId: 3, name: 'Colors', rows: [['Name', 'Value'], ['a', 1]] }]);
    const pieces = splitSnapshot(grid, ids, 100_000, 'Tokens', 5, hasher);
    expect(pieces).toEqual([{ v: 2, id: pieces[0]!.id, kind: 'snapshot', tabs: [{ tabId: 3, name: 'Colors', values: grid[0]!.rows }], hash: gridHash({ tabs: grid }), at: 5, title: 'Tokens' }]);
  });

  it('gives pieces that, applied in order, rebuild the grid, each with the hash the relay will compute', () => {
    fc.assert(
      fc.property(tabs, fc.integer({ min: 1_024, max: 4_000 }), (raw, budget) => {
        const grid = normalizeTabs(raw.map((t) => ({ ...t, rows: t.rows as Rows })));
        const pieces = splitSnapshot(grid, ids, budget, undefined, undefined, hasher);
        let relay = emptyGrid();
        pieces.forEach((piece, i) => {
          expect(piece.kind).toBe(i === 0 ? 'snapshot' : 'patch');
          expect(parseChange(piece).ok).toBe(true);
          relay = applyChange(relay, piece);
          expect(gridHash(relay)).toBe(piece.hash);
        });
        expect(gridHash(relay)).toBe(gridHash({ tabs: grid }));
        expect(relay.tabs.map((t) => ({ ...t, rows: normalizeRows(t.rows) }))).toEqual(grid);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps every piece within the budget when no single row is larger', () => {
    const rows: Rows = [['Name', 'Value']];
    for (let i = 0; i < 5_000; i++) rows.push([`color/${i}`, `#${(i * 2654435761 % 0xffffff).toString(16).padStart(6, '0')}`]);
    const pieces = splitSnapshot([{ tabId: 0, name: 'Colors', rows }], ids, 20_000, undefined, undefined, hasher);
    expect(pieces.length).toBeGreaterThan(5);
    for (const piece of pieces) expect(utf8Length(JSON.stringify(piece))).toBeLessThanOrEqual(20_000);
  });

  it('sends a row larger than the budget alone, so the relay’s answer can say why', () => {
    const big = 'x'.repeat(3_000);
    const pieces = splitSnapshot([{ tabId: 0, name: 'T', rows: [['Name'], [big], ['small']] }], ids, 1_500, undefined, undefined, hasher);
    expect(pieces.map((p) => p.tabs.map((t) => ('values' in t ? t.values : t.ranges[0]!.values)))).toEqual([[[['Name']]], [[[big]]], [[['small']]]]);
  });

  it('counts UTF-8 bytes, surrogate pairs as four', () => {
    expect([utf8Length('a'), utf8Length('é'), utf8Length('€'), utf8Length('😀'), utf8Length('\ud800')]).toEqual([1, 2, 3, 4, 3]);
  });
});
