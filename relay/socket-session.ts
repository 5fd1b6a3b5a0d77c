// One subscriber socket as an explicit state machine: awaiting-hello → joining → catching-up → live
// (→ catching-up again on resync) → closed. Every way a socket ends goes through closeWith(code).
// Positions are {epoch, seq}: a change of another epoch is never taken for a continuation. Snapshots are
// the channel's shared buffer per head; a client's resync is answered at a bounded rate, and not at all
// when the socket already holds the current snapshot.

import { randomBytes } from 'node:crypto';
import type { WebSocket, RawData } from 'ws';
import { ERRORS, SyncError, type ErrorCode, type ErrorSpec } from '../shared/protocol/errors';
import { PROTOCOL_VERSION } from '../shared/protocol/limits';
import {
  parseClientMessage,
  parseJson,
  type AppliedMessage,
  type ClientStatus,
  type HelloMessage,
  type OfferedMessage,
  type OfferPartMessage,
  type OfferRefusedMessage,
  type Position,
} from '../shared/protocol/messages';
import { tokenFingerprint } from '../shared/protocol/signing';
import type { ChannelHub, Subscriber } from './channel-hub';
import { addressKey } from './client-ip';
import type { Logger } from './logger';
import type { RelayMetrics } from './metrics';
import type { OutgoingBudget } from './outgoing-budget';
import type { OfferAssembly } from './offer-assembly';
import type { OfferIntake } from './offer-intake';
import { TokenBucket } from './rate-limit';
import type { Settings } from './settings';
import type { Snapshots } from './snapshots';
import type { Store } from './store';
import { tokenRefusal } from './subscribe-token';
import { PONG_TEXT, welcomeMessageText } from './wire-messages';

export type SessionState = 'awaiting-hello' | 'joining' | 'catching-up' | 'live' | 'closed';

export interface SessionContext {
  readonly settings: Settings;
  readonly store: Store;
  readonly hub: ChannelHub;
  readonly snapshots: Snapshots;
  readonly outgoing: OutgoingBudget;
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  /** Called once when the socket has closed, whatever the reason. */
  readonly onClosed: (session: SocketSession) => void;
  /** Sockets per channel per client address on this process. */
  readonly perAddress: SocketsPerAddress;
  /** Offers: assembly, checks and the offer store. */
  readonly offers: OfferIntake;
}

/** Counts joined sockets by (channel, client address), for MAX_SOCKETS_PER_CHANNEL_PER_IP. */
export class SocketsPerAddress {
  private readonly counts = new Map<string, number>();

  /** Takes a place for the address on the channel; false when it already holds `max`. */
  take(channelId: string, address: string, max: number): boolean {
    const key = `${channelId} ${addressKey(address)}`;
    const n = this.counts.get(key) ?? 0;
    if (n >= max) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  release(channelId: string, address: string): void {
    const key = `${channelId} ${addressKey(address)}`;
    const n = (this.counts.get(key) ?? 1) - 1;
    if (n <= 0) this.counts.delete(key);
    else this.counts.set(key, n);
  }
}

/** How long a socket closed by the relay may take to acknowledge before it is cut. */
const CLOSE_GRACE_MS = 3000;
/** How long a socket dropped to bring the total outgoing buffer down may take (its data is not waited for). */
const BUDGET_CLOSE_GRACE_MS = 250;

export class SocketSession implements Subscriber {
  readonly id = randomBytes(9).toString('base64url');
  readonly connectedAt = Date.now();
  tokenFingerprint = '';
  /** Cleared by each heartbeat, set by each pong; a socket still false at the next beat is dropped. */
  alive = true;
  private state: SessionState = 'awaiting-hello';
  private readonly log: Logger;
  private readonly bucket: TokenBucket;
  private helloTimer: NodeJS.Timeout | undefined;
  /** Messages are handled one at a time, in order, so a hello's catch-up finishes before the next message. */
  private inbox: Promise<void> = Promise.resolve();
  /**
   * The position of the last change or snapshot sent to this client; live changes at or before it are
   * there. Two fields, not an object: deliver() runs once per change per socket.
   */
  private sentEpoch: string | undefined;
  private sentSeq = 0;
  /** Live changes that arrive while catching up, sent once the catch-up is out. */
  private pending: { epoch: string; seq: number; data: Buffer }[] = [];
  /** The last snapshot sent (its buffer and position), while no change was sent after it. */
  private lastSnapshot: { data: Buffer; epoch: string; seq: number } | undefined;
  /** When a snapshot was last sent (Date.now), for the resync rate. */
  private lastSnapshotAt = -Infinity;
  /** A client resync waiting for the resync interval to pass. */
  private resyncTimer: NodeJS.Timeout | undefined;
  private status: ClientStatus | undefined;
  private joined = false;
  /** Whether this socket holds a place under MAX_SOCKETS_PER_CHANNEL_PER_IP. */
  private countedForAddress = false;
  /** The offer being received on this socket (one at a time), and how many this socket may send. */
  private readonly offerAssembly: OfferAssembly;
  private readonly offerBucket: TokenBucket;

  constructor(
    readonly ws: WebSocket,
    readonly channelId: string,
    private readonly ctx: SessionContext,
    /** The client's address (through TRUSTED_PROXY), for the per-address cap and the log. */
    readonly ip = 'unknown',
  ) {
    this.log = ctx.logger.child({ channel: channelId, socket: this.id, ip });
    this.bucket = new TokenBucket(ctx.settings.messageRate, ctx.settings.messageBurst, Date.now());
    this.offerAssembly = ctx.offers.assembly();
    this.offerBucket = new TokenBucket(ctx.settings.offersPerMinute / 60, Math.max(2, ctx.settings.offersPerMinute), Date.now());
    ctx.metrics.connections.inc();
    this.helloTimer = setTimeout(() => this.closeWith('HELLO_TIMEOUT'), ctx.settings.helloTimeoutMs);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    // Control frames cost the relay work too (ws answers each ping with a pong): they share the message rate.
    ws.on('ping', () => this.onControlFrame('ping'));
    ws.on('pong', () => {
      this.alive = true;
      this.onControlFrame('pong');
    });
    ws.on('close', (code) => this.onClose(code));
    ws.on('error', (err) => this.log.debug({ err: err.message }, 'socket error'));
    this.log.debug('socket open');
  }

  get currentState(): SessionState {
    return this.state;
  }

  /** A method rather than a comparison, because the state changes across awaits. */
  isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Closes the socket with the catalogue's close code for `code`; the reason names the code. */
  closeWith(code: ErrorCode, detail?: string): void {
    if (this.isClosed()) return;
    const closeCode = (ERRORS[code] as ErrorSpec).closeCode ?? 1011;
    this.setState('closed', code);
    if (code !== 'SHUTTING_DOWN') this.ctx.metrics.reject(code);
    // The detail may echo what a client sent (a field name it made up): log a bounded part of it.
    this.log.info({ code, closeCode, detail: detail === undefined ? undefined : shorten(detail, LOGGED_DETAIL_CHARS) }, 'socket closed by relay');
    this.ws.close(closeCode, truncateReason(detail ? `${code}: ${detail}` : code));
    clearTimeout(this.resyncTimer);
    setTimeout(() => this.ws.terminate(), code === 'SLOW_CONSUMER' && this.droppedForBudget ? BUDGET_CLOSE_GRACE_MS : CLOSE_GRACE_MS).unref();
  }

  private droppedForBudget = false;

  /** The total outgoing buffer is over its limit and this socket is among the slowest. */
  dropForBudget(): void {
    this.droppedForBudget = true;
    this.ctx.metrics.slowConsumersDropped.labels('total').inc();
    this.closeWith('SLOW_CONSUMER', `the relay's outgoing buffer (${this.ctx.settings.outgoingBufferBytes} bytes across all sockets) is full and this socket read the slowest`);
  }

  deliver(epoch: string, seq: number, data: Buffer): number {
    if (this.state === 'catching-up') {
      this.pending.push({ epoch, seq, data });
      return 0;
    }
    if (this.state !== 'live') return 0;
    if (this.sentEpoch !== undefined && epoch !== this.sentEpoch) {
      // Another epoch: history was reset; never a continuation of what this client holds.
      this.resync();
      return 0;
    }
    if (seq <= this.sentSeq && this.sentEpoch !== undefined) return 0;
    this.sentEpoch = epoch;
    this.sentSeq = seq;
    this.lastSnapshot = undefined;
    return this.send(data) ? 1 : 0;
  }

  revoke(): void {
    this.closeWith('TOKEN_REVOKED');
  }

  resync(): void {
    // Hold live changes from now on: the snapshot will cover them.
    if (this.state === 'live') this.setState('catching-up');
    this.enqueue(() => this.catchUp(undefined, false));
  }

  private onControlFrame(kind: 'ping' | 'pong'): void {
    if (this.isClosed() || this.bucket.take(Date.now())) return;
    this.ctx.metrics.limit('socket_messages');
    this.closeWith('RATE_LIMITED', `more than ${this.ctx.settings.messageBurst} messages or ${kind} frames at once`);
  }

  /**
   * A client's resync: a snapshot at most once per RESYNC_INTERVAL_MS (resyncs meanwhile wait and are
   * answered once), none when the socket already has the current snapshot. So a 17-byte message cannot
   * pull megabytes again and again.
   */
  private clientResync(): void {
    if (this.resyncTimer) {
      this.ctx.metrics.resyncs.labels('delayed').inc();
      return;
    }
    const wait = this.lastSnapshotAt + this.ctx.settings.resyncIntervalMs - Date.now();
    if (wait <= 0) return this.enqueue(() => this.catchUp(undefined, false, true));
    this.ctx.metrics.resyncs.labels('delayed').inc();
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      this.enqueue(() => this.catchUp(undefined, false, true));
    }, wait);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.isClosed()) return;
    if (!this.bucket.take(Date.now())) {
      this.ctx.metrics.limit('socket_messages');
      return this.closeWith('RATE_LIMITED', `more than ${this.ctx.settings.messageBurst} messages at once`);
    }
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data;
    if (bytes.length > this.ctx.settings.maxMessageBytes) return this.closeWith('MESSAGE_TOO_BIG', `limit is ${this.ctx.settings.maxMessageBytes} bytes`);
    if (isBinary) return this.closeWith('BAD_MESSAGE', 'send JSON text frames');
    const json = parseJson(bytes.toString('utf8'));
    // V8's complaint quotes the client's bytes (maybe part of a token): name the fault only.
    if (!json.ok) return this.closeWith('BAD_MESSAGE', 'not valid JSON');
    const raw = json.value as { type?: unknown; v?: unknown } | null;
    if (raw !== null && typeof raw === 'object' && raw.type === 'hello' && raw.v !== PROTOCOL_VERSION) {
      return this.closeWith('UNSUPPORTED_VERSION', `this relay speaks v${PROTOCOL_VERSION}`);
    }
    const parsed = parseClientMessage(json.value);
    if (!parsed.ok) return this.closeWith('BAD_MESSAGE', parsed.message);
    const message = parsed.value;
    this.ctx.metrics.messagesIn.labels(message.type).inc();
    if (message.type === 'hello') {
      if (this.state !== 'awaiting-hello') return this.closeWith('BAD_MESSAGE', 'hello was already received');
      clearTimeout(this.helloTimer);
      this.setState('joining');
      return this.enqueue(() => this.hello(message));
    }
    if (this.state === 'awaiting-hello') return this.closeWith('BAD_MESSAGE', 'the first message must be hello');
    switch (message.type) {
      case 'ping':
        return this.enqueue(async () => {
          if (this.send(Buffer.from(PONG_TEXT))) this.ctx.metrics.sent('pong');
        });
      case 'resync':
        return this.clientResync();
      case 'applied':
        return this.enqueue(() => this.applied(message));
      case 'offer':
        return this.offer(message);
    }
  }

  /**
   * One slice of an offer: joined with the others; a complete offer is checked and stored in turn with
   * this socket's other messages. A refusal is an answer, never a close: the sync goes on.
   */
  private offer(part: OfferPartMessage): void {
    const now = Date.now();
    if (part.part === 0 && !this.offerBucket.take(now)) {
      this.offerAssembly.refuseAll(part.id);
      return this.answerOffer(
        this.ctx.offers.refusal(part.id, 'RATE_LIMITED', `Offer ${part.id} was not kept: more than ${this.ctx.settings.offersPerMinute} offers a minute from this socket; send it again in a minute.`),
      );
    }
    const result = this.offerAssembly.add(part, now);
    if (result.kind === 'refused') return this.answerOffer(this.ctx.offers.refusal(result.id, result.code, result.message));
    if (result.kind !== 'complete') return;
    this.enqueue(async () => this.answerOffer(await this.ctx.offers.accept(this.channelId, result.id, result.text, Date.now())));
    // Checked and stored, refused, or skipped because the socket closed: its bytes go back to the budget.
    void this.inbox.finally(result.release);
  }

  /** An offer whose next slice is overdue is dropped, and its sender told (called by the heartbeat). */
  expireOffer(now: number): void {
    const id = this.offerAssembly.expire(now);
    if (id !== undefined) {
      this.answerOffer(this.ctx.offers.refusal(id, 'BAD_OFFER', `Offer ${id} was not kept: its next slice did not come within ${this.ctx.settings.offerAssemblyTimeoutMs} ms; send it again.`, 'timeout'));
    }
  }

  private answerOffer(answer: OfferedMessage | OfferRefusedMessage): void {
    if (this.isClosed()) return;
    this.send(Buffer.from(JSON.stringify(answer)));
    this.ctx.metrics.sent(answer.type);
  }

  private enqueue(work: () => Promise<void>): void {
    this.inbox = this.inbox
      .then(() => (this.state === 'closed' ? undefined : work()))
      .catch((err: unknown) => {
        if (err instanceof SyncError) return this.closeWith(err.code, err.detail);
        this.log.error({ err }, 'socket session failed');
        this.closeWith('INTERNAL');
      });
  }

  private async hello(hello: HelloMessage): Promise<void> {
    const refusal = await this.checkToken(hello.token);
    if (refusal) return this.closeWith(refusal);
    if (this.isClosed()) return;
    if (this.ctx.hub.count(this.channelId) >= this.ctx.settings.maxSocketsPerChannel) {
      this.ctx.metrics.limit('sockets_per_channel');
      return this.closeWith('TOO_MANY_SOCKETS', `limit is ${this.ctx.settings.maxSocketsPerChannel} per channel`);
    }
    if (!this.ctx.perAddress.take(this.channelId, this.ip, this.ctx.settings.maxSocketsPerChannelPerIp)) {
      this.ctx.metrics.limit('sockets_per_channel_per_ip');
      return this.closeWith('TOO_MANY_SOCKETS', `limit is ${this.ctx.settings.maxSocketsPerChannelPerIp} per channel from one address`);
    }
    this.countedForAddress = true;
    this.tokenFingerprint = tokenFingerprint(hello.token);
    this.joined = true;
    await this.ctx.hub.join(this);
    // A rotation between the first check and the join sent its revocation before we listened: check again.
    const late = await this.checkToken(hello.token);
    if (late) return this.closeWith(late);
    if (this.isClosed()) return;
    this.status = { id: this.id, connectedAt: this.connectedAt, errors: [], errorCount: 0, ...(hello.client?.name ? { name: hello.client.name } : {}) };
    await this.ctx.store.putClient(this.channelId, this.status);
    // A subscriber saying hello keeps the channel from expiring. Best effort: a store that cannot write
    // (a full disk) must not keep a plugin from reading what it holds.
    await this.ctx.store.touchChannel(this.channelId).catch((err: unknown) => this.ctx.logger.warn({ channel: this.channelId, err: (err as Error).message }, 'could not record the channel as active'));
    await this.catchUp(hello.since, true);
  }

  /** Undefined when the token opens this channel, else why not. */
  private async checkToken(token: string): Promise<ErrorCode | undefined> {
    const channel = await this.ctx.metrics.timeStore('channel', () => this.ctx.store.getChannel(this.channelId));
    if (!channel) return 'UNKNOWN_CHANNEL';
    return tokenRefusal(this.ctx.store, channel, token);
  }

  /**
   * Sends what the client lacks since `since` (after a welcome when it has just said hello),
   * holding live changes meanwhile and sending those past the catch-up afterwards. `asked`: a client's
   * resync, answered with nothing when this socket already holds the current snapshot.
   */
  private async catchUp(since: Position | undefined, welcome: boolean, asked = false): Promise<void> {
    if (this.isClosed()) return;
    this.setState('catching-up');
    const catchUp = await this.ctx.metrics.timeStore('catch_up', () => this.ctx.store.catchUp(this.channelId, since));
    if (!catchUp) return this.closeWith('UNKNOWN_CHANNEL');
    if (this.isClosed()) return;
    let position: Position = { epoch: catchUp.epoch, seq: catchUp.seq };
    if (catchUp.recovery === 'snapshot') {
      const snapshot = await this.ctx.snapshots.current(this.channelId, position);
      if (!snapshot) return this.closeWith('UNKNOWN_CHANNEL');
      if (this.isClosed()) return;
      position = { epoch: snapshot.epoch, seq: snapshot.seq };
      if (welcome) this.sendWelcome(position, snapshot.title, 'snapshot');
      const held = this.lastSnapshot;
      if (held && held.epoch === snapshot.epoch && held.seq === snapshot.seq) {
        // It has this very snapshot and nothing after it (maybe still on its way): sending it again
        // would change nothing.
        if (asked) this.ctx.metrics.resyncs.labels('current').inc();
      } else {
        if (asked) this.ctx.metrics.resyncs.labels('snapshot').inc();
        if (this.send(snapshot.message)) this.ctx.metrics.sent('snapshot');
        this.lastSnapshot = { data: snapshot.message, ...position };
        this.lastSnapshotAt = Date.now();
      }
    } else {
      if (welcome) this.sendWelcome(position, catchUp.title, catchUp.recovery);
      if (catchUp.recovery === 'patches') {
        for (const entry of catchUp.entries) if (this.send(Buffer.from(entry.message))) this.ctx.metrics.sent(entry.kind);
        if (catchUp.entries.length > 0) this.lastSnapshot = undefined;
      }
    }
    this.sentEpoch = position.epoch;
    this.sentSeq = position.seq;
    const pending = this.pending;
    this.pending = [];
    if (this.isClosed()) return;
    this.setState('live');
    for (const item of pending) if (this.deliver(item.epoch, item.seq, item.data) > 0) this.ctx.metrics.sent(kindOf(item.data));
    this.log.info({ recovery: catchUp.recovery, since: since ?? null, seq: position.seq, epoch: position.epoch }, 'subscriber caught up');
  }

  private sendWelcome(position: Position, title: string | undefined, recovery: 'patches' | 'snapshot' | 'current'): void {
    if (this.send(Buffer.from(welcomeMessageText(this.channelId, position.epoch, position.seq, title, recovery)))) this.ctx.metrics.sent('welcome');
  }

  private async applied(message: AppliedMessage): Promise<void> {
    if (!this.status) return;
    this.status = {
      ...this.status,
      appliedSeq: message.seq,
      appliedAt: message.at ?? Date.now(),
      errors: keptProblems(message.errors),
      errorCount: message.errorCount ?? message.errors.length,
      ...(message.counts ? { counts: message.counts } : {}),
    };
    await this.ctx.store.putClient(this.channelId, this.status);
    this.log.info({ seq: message.seq, errorCount: this.status.errorCount }, 'client applied');
  }

  /** Sends one message; closes a client whose unsent data passes the slow-consumer limit. */
  private send(data: Buffer): boolean {
    if (this.state === 'closed') return false;
    const waiting = this.ctx.outgoing.send(this, data);
    if (waiting > this.ctx.settings.slowConsumerBytes && !this.isClosed()) {
      this.ctx.metrics.slowConsumersDropped.labels('socket').inc();
      this.closeWith('SLOW_CONSUMER', `more than ${this.ctx.settings.slowConsumerBytes} bytes were waiting`);
    }
    return true;
  }

  private onClose(code: number): void {
    clearTimeout(this.helloTimer);
    clearTimeout(this.resyncTimer);
    this.ctx.outgoing.forget(this);
    this.offerAssembly.drop();
    this.log.info({ code, was: this.state, ms: Date.now() - this.connectedAt }, 'socket closed');
    if (this.state !== 'closed') this.setState('closed', code);
    this.ctx.metrics.connections.dec();
    if (this.countedForAddress) this.ctx.perAddress.release(this.channelId, this.ip);
    if (this.joined) this.ctx.hub.leave(this);
    if (this.status) {
      void this.ctx.store.removeClient(this.channelId, this.id).catch((err: unknown) => this.log.warn({ err }, 'removing client status failed'));
    }
    this.ctx.onClosed(this);
  }

  private setState(next: SessionState, why?: string | number): void {
    if (this.state === next) return;
    this.log.debug({ from: this.state, to: next, why }, 'socket state');
    this.state = next;
  }
}

/**
 * How much of a client's applied report the relay keeps for /status (JSON bytes of its problems):
 * every socket's report is held in the store, so MAX_CONNECTIONS sockets keep at most that many times
 * this; errorCount still counts them all. Some 30 problems of the longest kind, hundreds of usual ones.
 */
export const CLIENT_PROBLEMS_KEPT_BYTES = 32 * 1024;

/** The first problems of a report that fit in CLIENT_PROBLEMS_KEPT_BYTES. */
function keptProblems(problems: AppliedMessage['errors']): AppliedMessage['errors'] {
  let bytes = 2;
  for (let i = 0; i < problems.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(problems[i])) + 1;
    if (bytes > CLIENT_PROBLEMS_KEPT_BYTES) return problems.slice(0, i);
  }
  return problems;
}

function kindOf(data: Buffer): 'patch' | 'snapshot' {
  return data.subarray(0, 18).toString('latin1') === '{"type":"snapshot"' ? 'snapshot' : 'patch';
}

/** The most of a close's detail that goes into the log line. */
const LOGGED_DETAIL_CHARS = 200;
/** A close reason is at most 123 bytes of UTF-8. */
const CLOSE_REASON_BYTES = 123;

function shorten(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars)}…` : text;
}

/**
 * The reason cut to 123 bytes of UTF-8 in one step (the reason can be as long as a message), dropping
 * a character split by the cut. Only the first 123 characters are encoded: no longer input can matter.
 */
export function truncateReason(reason: string): string {
  let head = reason.slice(0, CLOSE_REASON_BYTES);
  // A cut between the halves of a surrogate pair would encode the lone half as U+FFFD.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  const bytes = Buffer.from(head, 'utf8');
  if (bytes.length <= CLOSE_REASON_BYTES) return bytes.toString('utf8');
  let end = CLOSE_REASON_BYTES;
  // Back up over continuation bytes (10xxxxxx) to the lead byte of the split character, and drop it too.
  if ((bytes[end]! & 0xc0) === 0x80) {
    while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  }
  return bytes.subarray(0, end).toString('utf8');
}
