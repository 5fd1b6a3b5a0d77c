// The bytes waiting to be sent across all sockets, bounded in total. A large buffer (a snapshot) is
// shared by every socket it goes to, so it is counted once however many hold it unsent; small messages
// are counted per socket. Past the limit the slowest sockets (backlogged the longest) are dropped first
// with 4431 SLOW_CONSUMER, which makes the plugin reconnect with `since` and resume by patches.

import type { WebSocket } from 'ws';

/** A socket as the budget sees it. */
export interface OutgoingHolder {
  readonly ws: Pick<WebSocket, 'send' | 'bufferedAmount'>;
  /** Closes the socket with SLOW_CONSUMER because the total is over the limit; it must stop holding data soon. */
  dropForBudget(): void;
}

/** Sends at least this big are tracked buffer by buffer (shared buffers counted once). */
export const LARGE_SEND_BYTES = 64 * 1024;

interface Backlog {
  /** When this socket last had nothing waiting (Date.now); the oldest is the slowest. */
  since: number;
  /** Large buffers it holds unsent, with how many times each. */
  large: Map<Buffer, number>;
  largeBytes: number;
}

const TEXT = { binary: false } as const;

export class OutgoingBudget {
  private readonly holders = new Map<Buffer, number>();
  private uniqueLarge = 0;
  private readonly backlogs = new Map<OutgoingHolder, Backlog>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Sends one message on the holder's socket, keeping count of what stays queued; returns the socket's unsent bytes. */
  send(holder: OutgoingHolder, data: Buffer): number {
    if (data.byteLength < LARGE_SEND_BYTES) {
      holder.ws.send(data, TEXT);
      const waiting = holder.ws.bufferedAmount;
      if (waiting > 0) this.backlog(holder);
      return waiting;
    }
    const backlog = this.backlog(holder);
    backlog.large.set(data, (backlog.large.get(data) ?? 0) + 1);
    backlog.largeBytes += data.byteLength;
    const held = this.holders.get(data) ?? 0;
    if (held === 0) this.uniqueLarge += data.byteLength;
    this.holders.set(data, held + 1);
    holder.ws.send(data, TEXT, () => this.release(holder, data));
    this.enforce();
    return holder.ws.bufferedAmount;
  }

  /** Whether the holder still has this very buffer waiting (then sending it again is pointless). */
  holds(holder: OutgoingHolder, data: Buffer): boolean {
    return (this.backlogs.get(holder)?.large.get(data) ?? 0) > 0;
  }

  /** Bytes waiting across all sockets, each large shared buffer once. */
  total(): number {
    let bytes = this.uniqueLarge;
    for (const [holder, backlog] of this.backlogs) bytes += Math.max(0, holder.ws.bufferedAmount - backlog.largeBytes);
    return bytes;
  }

  /** The holder is gone: whatever it held is no longer waiting. */
  forget(holder: OutgoingHolder): void {
    const backlog = this.backlogs.get(holder);
    if (!backlog) return;
    this.backlogs.delete(holder);
    for (const [data, count] of backlog.large) this.unhold(data, count);
  }

  /** Forgets sockets that caught up and drops the slowest while over the limit (call it now and then). */
  sweep(): void {
    for (const [holder, backlog] of this.backlogs) {
      if (backlog.large.size === 0 && holder.ws.bufferedAmount === 0) this.backlogs.delete(holder);
    }
    this.enforce();
  }

  private backlog(holder: OutgoingHolder): Backlog {
    let backlog = this.backlogs.get(holder);
    if (!backlog) this.backlogs.set(holder, (backlog = { since: this.now(), large: new Map(), largeBytes: 0 }));
    return backlog;
  }

  private release(holder: OutgoingHolder, data: Buffer): void {
    const backlog = this.backlogs.get(holder);
    const count = backlog?.large.get(data) ?? 0;
    if (!backlog || count === 0) return; // forgotten already
    if (count === 1) backlog.large.delete(data);
    else backlog.large.set(data, count - 1);
    backlog.largeBytes -= data.byteLength;
    this.unhold(data, 1);
    // Everything it was sent has left: it is keeping up.
    if (backlog.large.size === 0 && holder.ws.bufferedAmount === 0) this.backlogs.delete(holder);
  }

  private unhold(data: Buffer, count: number): void {
    const held = (this.holders.get(data) ?? 0) - count;
    if (held > 0) {
      this.holders.set(data, held);
      return;
    }
    if (this.holders.delete(data)) this.uniqueLarge -= data.byteLength;
  }

  private enforce(): void {
    if (this.total() <= this.limit) return;
    const slowest = [...this.backlogs].sort((a, b) => a[1].since - b[1].since).map(([holder]) => holder);
    for (const holder of slowest) {
      if (this.total() <= this.limit) return;
      this.forget(holder);
      holder.dropForBudget();
    }
  }
}
