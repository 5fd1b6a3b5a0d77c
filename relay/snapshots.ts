// One snapshot message per channel head, built once (by the store, from its chunks) and shared by every
// socket that needs it: a catch-up, a resync, the fan-out of a snapshot change. Concurrent requests for
// one channel wait for the same build, so two hundred sockets resyncing cost one build, not two hundred.

import type { Position } from '../shared/protocol/messages';
import type { HeadCache } from './head-cache';
import type { RelayMetrics } from './metrics';
import type { Store } from './store';
import { asBuffer } from './wire-messages';

export interface Snapshot {
  epoch: string;
  seq: number;
  title: string | undefined;
  message: Buffer;
}

export class Snapshots {
  private readonly building = new Map<string, Promise<Snapshot | undefined>>();

  constructor(
    private readonly store: Store,
    private readonly heads: HeadCache,
    private readonly metrics: RelayMetrics,
  ) {}

  /**
   * The channel's snapshot at `atLeast` or later in its epoch (the head may have moved on since it was
   * read). One built after this call began is the channel's current grid, whatever its position.
   * Undefined when the channel is gone.
   */
  async current(channelId: string, atLeast: Position): Promise<Snapshot | undefined> {
    const cached = this.kept(channelId, atLeast);
    if (cached) return cached;
    const pending = this.building.get(channelId);
    if (pending) {
      // Begun before this call: it may predate atLeast.
      const built = await pending;
      if (built && reaches(built, atLeast)) return built;
    }
    return this.build(channelId);
  }

  private kept(channelId: string, atLeast: Position): Snapshot | undefined {
    const head = this.heads.get(channelId);
    if (!head?.snapshot || !reaches(head, atLeast)) return undefined;
    return { epoch: head.epoch, seq: head.seq, title: head.title, message: head.snapshot };
  }

  private build(channelId: string): Promise<Snapshot | undefined> {
    const existing = this.building.get(channelId);
    if (existing) return existing;
    const started = this.metrics.snapshotBuilds.startTimer();
    const building = this.store
      .snapshot(channelId)
      .then((stored) => {
        if (!stored) return undefined;
        const snapshot: Snapshot = { epoch: stored.epoch, seq: stored.seq, title: stored.title, message: asBuffer(stored.message) };
        this.heads.setSnapshot(channelId, snapshot);
        return snapshot;
      })
      .finally(() => {
        started();
        this.building.delete(channelId);
      });
    this.building.set(channelId, building);
    return building;
  }
}

function reaches(snapshot: Position, atLeast: Position): boolean {
  return snapshot.epoch === atLeast.epoch && snapshot.seq >= atLeast.seq;
}
