import { rangesPatch, snapshotChange, tabsPatch } from '../../../apps-script/core/change-builder';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import { applyChange, type Rows } from '../../../shared/protocol/grid';
import { parseChange } from '../../../shared/protocol/messages';

/** The shared definition of the hash (the add-on passes a native digest of the same text). */
const hasher = (t: readonly { tabId: number; name: string; rows: Rows }[]): string => gridHash({ tabs: t });

const tabs = [
  { tabId: 9, name: 'Sizes', rows: [['Name', 'Value'], ['s', 4], ['', '']] },
  { tabId: 0, name: 'Colors', rows: [['Name', 'Value', ''], ['c', '#fff', '']] },
];
const normalized = {
  tabs: [
    { tabId: 0, name: 'Colors', rows: [['Name', 'Value'], ['c', '#fff']] },
    { tabId: 9, name: 'Sizes', rows: [['Name', 'Value'], ['s', 4]] },
  ],
};

describe('building changes', () => {
  it('makes a snapshot of every tab, normalized and sorted by tab id, with the canonical hash', () => {
    expect(snapshotChange({ id: 'id1', at: 7 }, tabs, 'Tokens', hasher)).toEqual({
      v: 2,
      id: 'id1',
      kind: 'snapshot',
      tabs: normalized.tabs.map((t) => ({ tabId: t.tabId, name: t.name, values: t.rows })),
      hash: gridHash(normalized),
      at: 7,
      title: 'Tokens',
    });
  });

  it('makes a patch of ranges whose hash is the grid after it', () => {
    const patch = rangesPatch({ id: 'id2' }, { tabId: 9, name: 'Sizes' }, [{ row: 2, col: 2, values: [[4]] }], tabs, hasher);
    expect(parseChange(patch).ok).toBe(true);
    const before = { tabs: [normalized.tabs[0]!, { tabId: 9, name: 'Sizes', rows: [['Name', 'Value'], ['s', 3]] }] };
    expect(gridHash(applyChange(before, patch))).toBe(patch.hash);
  });

  it('makes a patch replacing whole tabs for rows or columns inserted or removed', () => {
    const patch = tabsPatch({ id: 'id3', at: 1 }, [9], tabs, hasher);
    expect(patch).toEqual({ v: 2, id: 'id3', kind: 'patch', tabs: [{ tabId: 9, name: 'Sizes', values: [['Name', 'Value'], ['s', 4]] }], hash: gridHash(normalized), at: 1 });
  });
});
