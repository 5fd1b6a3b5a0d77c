// The subscribers of each channel on this process and the fan-out of committed changes to them, in
// seq order with no gap or duplicate: a change that arrives ahead of its predecessor waits while the
// missing ones are read from history. Positions are {epoch, seq}: a change of another epoch (history was
// reset, e.g. Redis lost its data and the channel was registered again) sends every subscriber a
// snapshot of the new epoch, never a patch that would look like a continuation. A snapshot change
// reaches subscribers as the head's shared snapshot (they catch up, at the cost of one build).

import type { Logger } from './logger';
import type { RelayMetrics } from './metrics';
import { preciseNow } from './clock';
import type { ChannelEvent, Store } from './store';
import { asBuffer } from './wire-messages';

/** What the hub needs of a socket session. */
export interface Subscriber {
  readonly channelId: string;
  /** tokenFingerprint of the token the subscriber presented. */
  readonly tokenFingerprint: string;
  /** A committed patch, called in seq order; the data is the wire message, shared by every subscriber. */
  deliver(epoch: string, seq: number, data: Buffer): number;
  /** The token was revoked by a rotation: close with TOKEN_REVOKED. */
  revoke(): void;
  /** History cannot fill a gap, a snapshot change was committed, or the epoch changed: take the head's snapshot. */
  resync(): void;
}

interface HubChannel {
  readonly subscribers: Set<Subscriber>;
  /** The last position fanned out; every later change arrives through `queue`. */
  last: { epoch: string; seq: number };
  /** Serializes event handling, so a gap being filled holds back the changes after it. */
  queue: Promise<void>;
  /** Resolves once the store delivers this channel's events and the last position is known. */
  readonly ready: Promise<void>;
}

export class ChannelHub {
  private readonly channels = new Map<string, HubChannel>();

  constructor(
    private readonly store: Store,
    private readonly metrics: RelayMetrics,
    private readonly logger: Logger,
  ) {}

  /** Subscribers of a channel on this process (those joined or joining). */
  count(channelId: string): number {
    return this.channels.get(channelId)?.subscribers.size ?? 0;
  }

  /** Resolves when changes committed so far have been fanned out on every channel (used at shutdown). */
  async settle(): Promise<void> {
    // Stores announce a commit on the next turn (setImmediate); let those announcements arrive first.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([...this.channels.values()].map((channel) => channel.queue));
  }

  /** Resolves when every event received so far for the channel has been handled. */
  async drained(channelId: string): Promise<void> {
    await this.channels.get(channelId)?.queue;
  }

  /** Adds a subscriber; resolves when the channel's live events flow, so a catch-up read after this misses nothing. */
  async join(subscriber: Subscriber): Promise<void> {
    let channel = this.channels.get(subscriber.channelId);
    if (!channel) {
      channel = this.open(subscriber.channelId);
      this.channels.set(subscriber.channelId, channel);
      this.metrics.channels.set(this.channels.size);
    }
    channel.subscribers.add(subscriber);
    try {
      await channel.ready;
    } catch (err) {
      channel.subscribers.delete(subscriber);
      throw err;
    }
  }

  leave(subscriber: Subscriber): void {
    const channel = this.channels.get(subscriber.channelId);
    if (!channel || !channel.subscribers.delete(subscriber) || channel.subscribers.size > 0) return;
    this.channels.delete(subscriber.channelId);
    this.metrics.channels.set(this.channels.size);
    // Stop following only after any pending follow has settled, so the store's state stays consistent.
    void channel.ready
      .then(() => (this.channels.has(subscriber.channelId) ? undefined : this.store.unfollow(subscriber.channelId)))
      .catch((err: unknown) => this.logger.warn({ channel: subscriber.channelId, err }, 'unfollow failed'));
  }

  /** The store's listener: every event of every followed channel. */
  onEvent(channelId: string, event: ChannelEvent): void {
    const channel = this.channels.get(channelId);
    if (!channel) return;
    if (event.type === 'revoked') {
      for (const subscriber of [...channel.subscribers]) if (subscriber.tokenFingerprint === event.fingerprint) subscriber.revoke();
      return;
    }
    channel.queue = channel.queue
      .then(async () => {
        if (event.epoch !== channel.last.epoch) return this.newEpoch(channelId, channel, event);
        if (event.type === 'head') await this.catchUpTo(channelId, channel, event.seq);
        else await this.handleChange(channelId, channel, event);
      })
      .catch((err: unknown) => this.logger.error({ channel: channelId, seq: event.seq, err }, 'fan-out failed'));
  }

  private open(channelId: string): HubChannel {
    const channel: HubChannel = { subscribers: new Set(), last: { epoch: '', seq: 0 }, queue: Promise.resolve(), ready: Promise.resolve() };
    const ready = (async () => {
      await this.store.follow(channelId);
      // Changes committed before follow took effect are in the head; later ones arrive as events.
      const record = await this.store.getChannel(channelId);
      channel.last = { epoch: record?.epoch ?? '', seq: record?.seq ?? 0 };
    })();
    (channel as { ready: Promise<void> }).ready = ready;
    channel.queue = ready.catch(() => {
      // A failed follow is not remembered: the next subscriber tries again.
      if (this.channels.get(channelId) === channel) this.channels.delete(channelId);
    });
    return channel;
  }

  /** The channel's history was reset: every subscriber takes the new epoch's snapshot. */
  private newEpoch(channelId: string, channel: HubChannel, event: Extract<ChannelEvent, { epoch: string }>): void {
    this.logger.warn({ channel: channelId, from: channel.last, to: { epoch: event.epoch, seq: event.seq } }, 'the channel is in a new epoch; subscribers take its snapshot');
    channel.last = { epoch: event.epoch, seq: event.seq };
    this.resyncAll(channel);
  }

  private async handleChange(channelId: string, channel: HubChannel, event: Extract<ChannelEvent, { type: 'change' }>): Promise<void> {
    if (event.seq <= channel.last.seq) return;
    if (!(await this.catchUpTo(channelId, channel, event.seq - 1))) {
      // The snapshots the subscribers are about to read were taken after this change was committed.
      channel.last.seq = event.seq;
      return;
    }
    if (event.kind === 'snapshot') {
      channel.last.seq = event.seq;
      this.resyncAll(channel);
      if (event.committedAt !== undefined) this.metrics.publishToSend.observe(Math.max(0, preciseNow() - event.committedAt) / 1000);
      return;
    }
    this.fanOut(channel, event.seq, asBuffer(event.message), event.committedAt);
  }

  /**
   * Fans out the changes between the last position and `seq` from history. When history no longer
   * holds them (or holds a snapshot change among them), every subscriber starts over from the head's
   * snapshot (which covers `seq`) and false is returned.
   */
  private async catchUpTo(channelId: string, channel: HubChannel, seq: number): Promise<boolean> {
    if (seq <= channel.last.seq) return true;
    const { epoch } = channel.last;
    const missing = await this.store.readRange(channelId, epoch, channel.last.seq, seq);
    if (!missing || missing.some((entry) => entry.kind === 'snapshot')) {
      this.logger.warn({ channel: channelId, from: channel.last.seq + 1, to: seq }, missing ? 'a snapshot change is in a gap; subscribers take the snapshot' : 'history no longer holds a gap; subscribers resync');
      channel.last.seq = seq;
      this.resyncAll(channel);
      return false;
    }
    this.logger.info({ channel: channelId, from: channel.last.seq + 1, to: seq }, 'filled a gap from history');
    for (const entry of missing) this.fanOut(channel, entry.seq, Buffer.from(entry.message), undefined);
    return true;
  }

  private resyncAll(channel: HubChannel): void {
    for (const subscriber of [...channel.subscribers]) subscriber.resync();
  }

  private fanOut(channel: HubChannel, seq: number, data: Buffer, committedAt: number | undefined): void {
    channel.last.seq = seq;
    const { epoch } = channel.last;
    let sent = 0;
    for (const subscriber of channel.subscribers) sent += subscriber.deliver(epoch, seq, data);
    if (sent > 0) this.metrics.sent('patch', sent);
    if (committedAt !== undefined) this.metrics.publishToSend.observe(Math.max(0, preciseNow() - committedAt) / 1000);
  }
}
