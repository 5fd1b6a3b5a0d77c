// The grid of each channel at its head, parsed once from the stored JSON and reused while the
// channel stays at that (epoch, seq): both stores keep one, so a change or a catch-up does not
// parse the whole grid again. Past a fixed number of channels the least recently used is dropped.

import type { Grid } from '../shared/grid';
import { gridFromTabsJson } from './wire-messages';

/** A channel's grid at one position, with the JSON it was read from (a snapshot's `tabs`). */
export interface HeadGrid {
  epoch: string;
  seq: number;
  grid: Grid;
  tabsJson: string;
}

/** How many parsed grids stay in memory. */
const HEAD_GRIDS_KEPT = 256;

export class HeadGrids {
  private readonly grids = new Map<string, HeadGrid>();

  constructor(private readonly kept = HEAD_GRIDS_KEPT) {}

  /** The grid kept for the channel if it is still at (epoch, seq); a hit counts as a use. */
  at(channelId: string, epoch: string, seq: number): HeadGrid | undefined {
    const kept = this.grids.get(channelId);
    if (!kept || kept.epoch !== epoch || kept.seq !== seq) return undefined;
    this.remember(channelId, kept);
    return kept;
  }

  /** Parses the stored tabs JSON of the channel at (epoch, seq) and keeps the result. */
  parse(channelId: string, epoch: string, seq: number, tabsJson: string): HeadGrid {
    const head: HeadGrid = { epoch, seq, grid: gridFromTabsJson(tabsJson), tabsJson };
    this.remember(channelId, head);
    return head;
  }

  /** Keeps the channel's grid as the most recently used, dropping the least recently used past the limit. */
  remember(channelId: string, head: HeadGrid): void {
    this.grids.delete(channelId);
    this.grids.set(channelId, head);
    if (this.grids.size > this.kept) this.grids.delete(this.grids.keys().next().value!);
  }
}
