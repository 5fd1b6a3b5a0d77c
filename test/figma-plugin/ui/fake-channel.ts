// A channel's history as the relay would serve it: snapshots and patches with correct hashes, so
// tests can feed the plugin real-looking messages (and tamper with them on purpose).

import { gridHash } from '../../../shared/protocol/canonical-hash';
import { applyChange, emptyGrid, gridToTabs, type CellValue, type Grid } from '../../../shared/protocol/grid';
import type { ChangeTab, PatchMessage, SnapshotMessage, WelcomeMessage } from '../../../shared/protocol/messages';

export class FakeChannel {
  epoch: string;
  seq = 0;
  grid: Grid = emptyGrid();
  title = 'Design tokens';
  private nextAt = 1_700_000_000_000;

  constructor(epoch = 'epoch-1') {
    this.epoch = epoch;
  }

  /** Applies a change and returns it as the patch message the relay would fan out. */
  patch(tabs: ChangeTab[]): PatchMessage {
    this.grid = applyChange(this.grid, { kind: 'patch', tabs });
    this.seq++;
    return { type: 'patch', epoch: this.epoch, seq: this.seq, id: `change-${this.seq}`, tabs, hash: gridHash(this.grid), at: this.nextAt++ };
  }

  /** One cell written on one tab (1-based row and column). */
  edit(tabId: number, name: string, row: number, col: number, value: CellValue): PatchMessage {
    return this.patch([{ tabId, name, ranges: [{ row, col, values: [[value]] }] }]);
  }

  snapshot(): SnapshotMessage {
    return { type: 'snapshot', epoch: this.epoch, seq: this.seq, tabs: gridToTabs(this.grid), hash: gridHash(this.grid), title: this.title, at: this.nextAt++ };
  }

  welcome(recovery: WelcomeMessage['recovery']): WelcomeMessage {
    return { type: 'welcome', v: 2, channelId: 'channel-0123456789ab', epoch: this.epoch, seq: this.seq, title: this.title, recovery };
  }

  /** History is reset: a new epoch starting from the current grid. */
  newEpoch(epoch: string): void {
    this.epoch = epoch;
    this.seq = 0;
  }
}

/** A small colour tab: header and two variables. */
export const COLORS_TAB: ChangeTab = {
  tabId: 0,
  name: 'Colors',
  values: [
    ['Name', 'Light', 'Dark'],
    ['color/bg', '#ffffff', '#000000'],
    ['color/fg', '#111111', '#eeeeee'],
  ],
};
