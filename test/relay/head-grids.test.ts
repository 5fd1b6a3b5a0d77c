// The stores' parsed head grids: reused only at the same (epoch, seq), parsed from the stored JSON
// otherwise, and the least recently used channel dropped past the limit.

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
