// The stores' parsed head grids: reused only at the same (epoch, seq), parsed from the stored JSON
// otherwise, and the least recently used channel dropped past the count or the total size.

import { HeadGrids, type HeadGrid } from '../../relay/head-grids';
import { gridToTabsJson } from '../../relay/wire-messages';
import type { Grid } from '../../shared/grid';

const grid: Grid = { tabs: [{ tabId: 0, name: 'Colors', rows: [['Name', 'Value'], ['color/bg', '#ffffff']] }] };
const head = (epoch: string, seq: number): HeadGrid => ({ epoch, seq, grid, tabsJson: gridToTabsJson(grid) });

test('a grid is given back only while the channel is at the epoch and seq it was kept for', () => {
  const grids = new HeadGrids();
  const kept = head('e1', 3);
  grids.remember('ch', kept);
  expect([grids.at('ch', 'e1', 3), grids.at('ch', 'e1', 4), grids.at('ch', 'e2', 3), grids.at('other', 'e1', 3)]).toEqual([kept, undefined, undefined, undefined]);
  expect(grids.at('ch', 'e1', 3)).toBe(kept);
});

test('parse reads the stored tabs JSON into the grid and keeps it at that position', () => {
  const grids = new HeadGrids();
  const parsed = grids.parse('ch', 'e1', 7, gridToTabsJson(grid));
  expect(parsed).toEqual(head('e1', 7));
  expect(grids.at('ch', 'e1', 7)).toBe(parsed);
});

test('past the limit the least recently used channel is dropped, and a hit counts as a use', () => {
  const grids = new HeadGrids(2);
  grids.remember('a', head('e', 1));
  grids.remember('b', head('e', 1));
  expect(grids.at('a', 'e', 1)).toEqual(head('e', 1));
  grids.remember('c', head('e', 1));
  expect([grids.at('a', 'e', 1), grids.at('b', 'e', 1), grids.at('c', 'e', 1)]).toEqual([head('e', 1), undefined, head('e', 1)]);
});

describe('the size limit', () => {
  const sized = (chars: number): HeadGrid => ({ epoch: 'e', seq: 1, grid, tabsJson: 'x'.repeat(chars) });

  test('past the total tabs JSON size the least recently used channels are dropped, and a hit counts as a use', () => {
    const grids = new HeadGrids(256, 100);
    const a = sized(40);
    const b = sized(40);
    const c = sized(30);
    grids.remember('a', a);
    grids.remember('b', b);
    expect(grids.at('a', 'e', 1)).toBe(a);
    grids.remember('c', c);
    expect([grids.at('a', 'e', 1), grids.at('b', 'e', 1), grids.at('c', 'e', 1)]).toEqual([a, undefined, c]);
    expect(grids.keptChars).toBe(70);
  });

  test('one big grid drops as many older ones as it needs', () => {
    const grids = new HeadGrids(256, 100);
    for (const id of ['a', 'b', 'c', 'd']) grids.remember(id, sized(20));
    const big = sized(70);
    grids.remember('big', big);
    expect(['a', 'b', 'c', 'd', 'big'].map((id) => grids.at(id, 'e', 1))).toEqual([undefined, undefined, undefined, sized(20), big]);
    expect(grids.keptChars).toBe(90);
  });

  test('a grid over the whole limit is still kept, alone', () => {
    const grids = new HeadGrids(256, 100);
    grids.remember('a', sized(10));
    const huge = sized(150);
    grids.remember('huge', huge);
    expect([grids.at('a', 'e', 1), grids.at('huge', 'e', 1)]).toEqual([undefined, huge]);
    expect(grids.keptChars).toBe(150);
  });

  test('keeping a channel again counts only its newest grid', () => {
    const grids = new HeadGrids(256, 100);
    grids.remember('a', sized(60));
    grids.remember('a', { ...sized(60), seq: 2 });
    grids.remember('b', sized(30));
    expect([grids.at('a', 'e', 2)?.seq, grids.at('b', 'e', 1)?.tabsJson.length]).toEqual([2, 30]);
    expect(grids.keptChars).toBe(90);
  });
});
