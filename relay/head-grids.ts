// The grid of each channel at its head, parsed once from the stored JSON and reused while the
// channel stays at that (epoch, seq): both stores keep one, so a change or a catch-up does not
// parse the whole grid again. Past a number of channels, or a total size, the least recently used is dropped.

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
/**
 * How much tabs JSON (in characters) the kept grids may add up to. An entry costs about 2.8× its JSON
 * (the text plus the parsed grid), so 128 M characters is some 360 MB at most, whatever the grids' sizes.
 */
const HEAD_GRIDS_MAX_CHARS = 128 * 1024 * 1024;

export class HeadGrids {
  private readonly grids = new Map<string, HeadGrid>();
  /** Sum of the kept entries' tabsJson lengths. */
  private chars = 0;

  constructor(
    private readonly kept = HEAD_GRIDS_KEPT,
    private readonly maxChars = HEAD_GRIDS_MAX_CHARS,
  ) {}

  /** The summed tabs JSON length of the kept grids. */
  get keptChars(): number {
    return this.chars;
  }

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

  /**
   * Keeps the channel's grid as the most recently used, dropping the least recently used past either
   * limit. The newest entry always stays, even alone over the size limit: the next change needs it.
   */
  remember(channelId: string, head: HeadGrid): void {
    this.forget(channelId);
    this.grids.set(channelId, head);
    this.chars += head.tabsJson.length;
    while (this.grids.size > 1 && (this.grids.size > this.kept || this.chars > this.maxChars)) {
      this.forget(this.grids.keys().next().value!);
    }
  }

  private forget(channelId: string): void {
    const old = this.grids.get(channelId);
    if (!old) return;
    this.grids.delete(channelId);
    this.chars -= old.tabsJson.length;
  }
}
