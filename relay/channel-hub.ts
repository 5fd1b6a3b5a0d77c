// The subscribers of each channel on this process and the fan-out of committed changes to them, in
// seq order with no gap or duplicate: a change that arrives ahead of its predecessor waits while the
// missing ones are read from history.

import type { Logger } from './logger';
import type { RelayMetrics } from './metrics';
import { preciseNow } from './clock';
import type { ChannelEvent, Store } from './store';
import { messageKind } from './wire-messages';

/** What the hub needs of a socket session. */
export interface Subscriber {
  readonly channelId: string;
  /** tokenFingerprint of the token the subscriber presented. */
  readonly tokenFingerprint: string;
  /** A committed change, called in seq order; the data is the wire message, shared by every subscriber. */
  deliver(seq: number, data: Buffer): number;
  /** The token was revoked by a rotation: close with TOKEN_REVOKED. */
  revoke(): void;
  /** History cannot fill a gap: start over from a snapshot. */
  resync(): void;
}

interface HubChannel {
  readonly subscribers: Set<Subscriber>;
  /** The last seq fanned out; every later change arrives through `queue`. */
  lastSeq: number;
  /** Serializes event handling, so a gap being filled holds back the changes after it. */
  queue: Promise<void>;
  /** Resolves once the store delivers this channel's events and lastSeq is known. */
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
        if (event.type === 'head') await this.catchUpTo(channelId, channel, event.seq);
        else await this.handleChange(channelId, channel, event);
      })
      .catch((err: unknown) => this.logger.error({ channel: channelId, seq: event.seq, err }, 'fan-out failed'));
  }

  private open(channelId: string): HubChannel {
    const channel: HubChannel = { subscribers: new Set(), lastSeq: 0, queue: Promise.resolve(), ready: Promise.resolve() };
    const ready = (async () => {
      await this.store.follow(channelId);
      // Changes committed before follow took effect are in the head; later ones arrive as events.
      const record = await this.store.getChannel(channelId);
      channel.lastSeq = record?.seq ?? 0;
    })();
    (channel as { ready: Promise<void> }).ready = ready;
    channel.queue = ready.catch(() => {
      // A failed follow is not remembered: the next subscriber tries again.
      if (this.channels.get(channelId) === channel) this.channels.delete(channelId);
    });
    return channel;
  }

  private async handleChange(channelId: string, channel: HubChannel, event: Extract<ChannelEvent, { type: 'change' }>): Promise<void> {
    if (event.seq <= channel.lastSeq) return;
    if (!(await this.catchUpTo(channelId, channel, event.seq - 1))) {
      // The snapshots the subscribers are about to read were taken after this change was committed.
      channel.lastSeq = event.seq;
      return;
    }
    this.fanOut(channel, event.seq, event.message, event.committedAt);
  }

  /**
   * Fans out the changes between lastSeq and `seq` from history. When history no longer holds them,
   * every subscriber starts over from a snapshot (which covers `seq`) and false is returned.
   */
  private async catchUpTo(channelId: string, channel: HubChannel, seq: number): Promise<boolean> {
    if (seq <= channel.lastSeq) return true;
    const missing = await this.store.readRange(channelId, channel.lastSeq, seq);
    if (!missing) {
      this.logger.warn({ channel: channelId, from: channel.lastSeq + 1, to: seq }, 'history no longer holds a gap; subscribers resync');
      channel.lastSeq = seq;
      for (const subscriber of [...channel.subscribers]) subscriber.resync();
      return false;
    }
    this.logger.info({ channel: channelId, from: channel.lastSeq + 1, to: seq }, 'filled a gap from history');
    for (const entry of missing) this.fanOut(channel, entry.seq, entry.message, undefined);
    return true;
  }

  private fanOut(channel: HubChannel, seq: number, message: string, committedAt: number | undefined): void {
    channel.lastSeq = seq;
    const data = Buffer.from(message);
    let sent = 0;
    for (const subscriber of channel.subscribers) sent += subscriber.deliver(seq, data);
    if (sent > 0) this.metrics.sent(messageKind(message), sent);
    if (committedAt !== undefined) this.metrics.publishToSend.observe(Math.max(0, preciseNow() - committedAt) / 1000);
  }
}
