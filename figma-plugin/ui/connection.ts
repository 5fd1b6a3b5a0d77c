// The plugin's socket to the relay as an explicit state machine: hello → welcome → snapshot or
// patches → live, heartbeat, reconnect with backoff, and close codes that decide retry or stop.
// Socket and timers are injected, so the same code runs in Node tests and in the plugin iframe.

import { errorForCloseCode, shouldReconnect, type ErrorCode } from '../../shared/protocol/errors';
import { PROTOCOL_VERSION } from '../../shared/protocol/limits';
import {
  parseJson,
  parseServerMessage,
  type AppliedMessage,
  type ClientMessage,
  type HelloMessage,
  type OfferedMessage,
  type OfferPartMessage,
  type OfferRefusedMessage,
  type PatchMessage,
  type Position,
  type SnapshotMessage,
  type WelcomeMessage,
} from '../../shared/protocol/messages';
import { backoff } from './backoff';

export type ConnectionState = 'idle' | 'connecting' | 'catching-up' | 'live' | 'waiting-to-reconnect' | 'stopped';

/** Why a snapshot is needed instead of the next patch. */
export type SnapshotReason = 'gap' | 'epoch' | 'hash' | 'no-grid';

/** What caused a transition: the view words it for the designer. */
export type Cause =
  | { kind: 'start' }
  | { kind: 'retry' }
  | { kind: 'welcome'; recovery: WelcomeMessage['recovery'] }
  | { kind: 'caught-up' }
  | { kind: 'snapshot-needed'; reason: SnapshotReason }
  /** The relay closed the socket; `error` is the catalogue entry for its close code, if any. */
  | { kind: 'closed'; code: number; reason: string; error?: ErrorCode }
  /** The socket closed before it ever opened: the relay is down or unreachable. */
  | { kind: 'unreachable' }
  | { kind: 'handshake-timeout' }
  | { kind: 'no-pong' }
  | { kind: 'bad-message'; message: string }
  /** A snapshot did not hash to what it claimed. */
  | { kind: 'snapshot-hash' }
  /** The browser would not open a socket to this URL at all. */
  | { kind: 'cannot-open'; message: string }
  /**
   * The page's Content-Security-Policy blocked the socket: in Figma, the relay is not in the manifest's
   * networkAccess. `by` says how it was seen: the policy's violation event, or an error no close followed.
   */
  | { kind: 'blocked'; url: string; by: 'policy' | 'no-close' }
  /** The relay welcomed us with another protocol version. */
  | { kind: 'version'; relayVersion: number }
  | { kind: 'stop' };

export interface Transition {
  from: ConnectionState;
  to: ConnectionState;
  cause: Cause;
  /** Unix ms of the transition. */
  at: number;
  /** When waiting to reconnect: unix ms of the next attempt. */
  retryAt?: number;
  /** When waiting to reconnect: how many attempts failed since the last success. */
  attempt?: number;
}

/** What the connection needs from whoever holds the grid (GridSession). */
export interface GridStore {
  /** Where the held grid stands; undefined when no grid is held. */
  readonly position: Position | undefined;
  /** What to send as `since`: the held grid's position, else the last applied one. */
  resumePosition(): Position | undefined;
  setTitle(title: string | undefined): void;
  /** Replaces the grid with a snapshot if it hashes to the snapshot's hash; false (grid kept) if not. */
  replace(snapshot: SnapshotMessage): boolean;
  /** Applies the next patch in order (the connection checks the order). */
  apply(patch: PatchMessage): void;
  /** Checks the grid against the last patch's hash; on a mismatch the grid is forgotten. */
  verify(): boolean;
  /** The grid is consistent and current: hand it on. */
  settle(): void;
  /** More changes are coming before the grid is current again. */
  unsettle(): void;
}

export interface SocketHandlers {
  onOpen(): void;
  onMessage(text: string): void;
  onClose(code: number, reason: string): void;
  /** The browser's `error` event. */
  onError?(): void;
  /** The page's Content-Security-Policy blocked this socket (the violation names `blockedUri`). */
  onBlocked?(blockedUri: string): void;
}
export interface Socket {
  send(text: string): void;
  /** Closes without further callbacks: the connection has already moved on. */
  close(code: number, reason: string): void;
}
export type OpenSocket = (url: string, handlers: SocketHandlers) => Socket;

export type TimerId = unknown;
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

export interface ConnectionTiming {
  /** Shortest wait before a reconnect. */
  minRetryMs: number;
  /** Longest wait before a reconnect. */
  maxRetryMs: number;
  /** A ping goes out this long after the previous one. */
  pingIntervalMs: number;
  /** No message at all this long after a ping: the connection is dead. */
  pongTimeoutMs: number;
  /** From opening the socket to the relay's welcome. */
  handshakeTimeoutMs: number;
  /**
   * An error before the socket opened that no close follows within this long is a blocked socket:
   * Chromium fires only `error` for a socket the page's policy forbids, and `error` then `close` for
   * a relay it cannot reach.
   */
  blockedAfterMs: number;
  /**
   * Between two slices of an offer: paced below the relay's default socket message rate (20 per
   * second, MESSAGE_RATE), which a burst of slices must not trip (4429 would close the socket).
   */
  offerPartIntervalMs: number;
}

export const DEFAULT_TIMING: ConnectionTiming = {
  minRetryMs: 500,
  maxRetryMs: 30_000,
  pingIntervalMs: 20_000,
  pongTimeoutMs: 10_000,
  handshakeTimeoutMs: 15_000,
  blockedAfterMs: 1_500,
  offerPartIntervalMs: 100,
};

/** The relay's answer to an offer, or `offer-lost` when the socket went away before one came. */
export type OfferAnswer = OfferedMessage | OfferRefusedMessage | { type: 'offer-lost'; id: string };

export interface ConnectionOptions {
  /** ws(s):// URL of the channel's socket (socketUrl from shared/protocol/pairing-code.ts). */
  url: string;
  /** The subscribe token from the pairing code. */
  token: string;
  client?: HelloMessage['client'];
  store: GridStore;
  openSocket: OpenSocket;
  clock: Clock;
  random?: () => number;
  timing?: Partial<ConnectionTiming>;
  onTransition: (transition: Transition) => void;
  /** The relay's answer to an offer this connection sent (or that the socket was lost first). */
  onOfferAnswer?: (answer: OfferAnswer) => void;
}

export const samePosition = (a: Position | undefined, b: Position | undefined): boolean =>
  a !== undefined && b !== undefined && a.epoch === b.epoch && a.seq === b.seq;

/** Close code the plugin uses when it ends a socket itself. */
const CLIENT_CLOSE = 1000;

type TimerName = 'retry' | 'handshake' | 'ping' | 'pong' | 'blocked' | 'offer';

export class Connection {
  private readonly options: ConnectionOptions;
  private readonly timing: ConnectionTiming;
  private current: ConnectionState = 'idle';
  private last: Transition | undefined;
  private socket: Socket | undefined;
  /** Incremented for each socket, so callbacks of a socket already given up are ignored. */
  private generation = 0;
  private opened = false;
  private welcomed = false;
  /** Reconnect attempts since the connection was last live. */
  private attempt = 0;
  /** The relay's position at welcome (or the newest snapshot): reaching it means caught up. */
  private target: Position | undefined;
  /** A snapshot was asked for (or announced): patches until it arrives are ignored. */
  private awaitingSnapshot = false;
  /** The last `applied` report, sent again after a reconnect (the relay tracks it per socket). */
  private lastReport: AppliedMessage | undefined;
  private readonly timers = new Map<TimerName, TimerId>();
  /** The offer being sent: its slices not sent yet; `awaiting` once all went and the answer is due. */
  private offer: { id: string; left: OfferPartMessage[] } | undefined;

  constructor(options: ConnectionOptions) {
    this.options = options;
    const timing = { ...DEFAULT_TIMING, ...options.timing };
    if (!(timing.minRetryMs > 0) || !(timing.maxRetryMs >= timing.minRetryMs)) {
      throw new RangeError(`Connection timing: need 0 < minRetryMs ≤ maxRetryMs, got ${timing.minRetryMs} and ${timing.maxRetryMs}`);
    }
    this.timing = timing;
  }

  get state(): ConnectionState {
    return this.current;
  }

  get lastTransition(): Transition | undefined {
    return this.last;
  }

  /** Opens the socket (from idle or stopped). */
  start(): void {
    if (this.current !== 'idle' && this.current !== 'stopped') return;
    this.attempt = 0;
    this.connect({ kind: 'start' });
  }

  /** Ends the socket for good (unlink, or the plugin closing). */
  stop(): void {
    if (this.current === 'stopped' || this.current === 'idle') return;
    this.dropSocket('stopped');
    this.clearTimer('retry');
    this.setState('stopped', { kind: 'stop' });
  }

  /** Skips the rest of the reconnect countdown. */
  retryNow(): void {
    if (this.current !== 'waiting-to-reconnect') return;
    this.clearTimer('retry');
    this.connect({ kind: 'retry' });
  }

  /**
   * Sends an offer's slices (shared/protocol/offer-parts.ts), paced; the answer comes to onOfferAnswer. False when
   * the socket is not welcomed (nothing is sent). A new offer replaces one still being sent.
   */
  sendOffer(parts: OfferPartMessage[]): boolean {
    if (!this.welcomed || parts.length === 0) return false;
    if (this.offer) this.loseOffer();
    this.offer = { id: parts[0]!.id, left: [...parts] };
    this.sendNextOfferPart();
    return true;
  }

  private sendNextOfferPart(): void {
    const offer = this.offer;
    const part = offer?.left.shift();
    if (!offer || !part) return;
    this.send(part);
    if (offer.left.length > 0) this.setTimer('offer', this.timing.offerPartIntervalMs, () => this.sendNextOfferPart());
  }

  /** The socket went away before the relay answered the offer. */
  private loseOffer(): void {
    const offer = this.offer;
    this.offer = undefined;
    this.clearTimer('offer');
    if (offer) this.options.onOfferAnswer?.({ type: 'offer-lost', id: offer.id });
  }

  /** Sends the main thread's result for a seq to the relay; kept to be sent again after a reconnect. */
  reportApplied(report: AppliedMessage): void {
    this.lastReport = report;
    if (this.welcomed) this.send(report);
  }

  // --- Transitions -----------------------------------------------------------------------------

  private setState(to: ConnectionState, cause: Cause, extra: { retryAt?: number; attempt?: number } = {}): void {
    const transition: Transition = { from: this.current, to, cause, at: this.options.clock.now(), ...extra };
    this.current = to;
    this.last = transition;
    this.options.onTransition(transition);
  }

  private connect(cause: Cause): void {
    const generation = ++this.generation;
    this.opened = false;
    this.welcomed = false;
    this.target = undefined;
    this.awaitingSnapshot = false;
    this.options.store.unsettle();
    this.setState('connecting', cause);
    this.setTimer('handshake', this.timing.handshakeTimeoutMs, () => this.retryLater({ kind: 'handshake-timeout' }));
    const live = () => generation === this.generation;
    try {
      this.socket = this.options.openSocket(this.options.url, {
        onOpen: () => live() && this.onOpen(),
        onMessage: (text) => live() && this.onMessage(text),
        onClose: (code, reason) => live() && this.onClose(code, reason),
        onError: () => live() && this.onError(),
        onBlocked: () => live() && this.stopWith({ kind: 'blocked', url: this.options.url, by: 'policy' }),
      });
    } catch (err) {
      // The browser refuses the URL itself (malformed, or not allowed by the plugin's manifest):
      // trying again cannot help.
      this.stopWith({ kind: 'cannot-open', message: err instanceof Error ? err.message : String(err) });
    }
  }

  private onOpen(): void {
    this.opened = true;
    const hello: HelloMessage = { type: 'hello', v: PROTOCOL_VERSION, token: this.options.token };
    const since = this.options.store.resumePosition();
    if (since) hello.since = since;
    if (this.options.client) hello.client = this.options.client;
    this.send(hello);
  }

  /** An error before open: a close follows for an unreachable relay; none does for a blocked socket. */
  private onError(): void {
    if (this.opened) return;
    this.setTimer('blocked', this.timing.blockedAfterMs, () => this.stopWith({ kind: 'blocked', url: this.options.url, by: 'no-close' }));
  }

  private onClose(code: number, reason: string): void {
    this.socket = undefined;
    this.generation++;
    this.loseOffer();
    this.clearSocketTimers();
    if (!this.opened) {
      this.retryLater({ kind: 'unreachable' });
      return;
    }
    const error = errorForCloseCode(code);
    const cause: Cause = error ? { kind: 'closed', code, reason, error } : { kind: 'closed', code, reason };
    if (!shouldReconnect(code)) {
      this.setState('stopped', cause);
      return;
    }
    // A relay that is restarting (1012) will be back at once: start the backoff from the beginning.
    if (code === 1012) this.attempt = 0;
    this.retryLater(cause);
  }

  /** Gives up the current socket (if any) and waits before the next attempt. */
  private retryLater(cause: Cause): void {
    this.dropSocket(cause.kind);
    const delay = backoff(this.attempt, this.timing.minRetryMs, this.timing.maxRetryMs, this.options.random);
    this.attempt++;
    const retryAt = this.options.clock.now() + delay;
    this.setState('waiting-to-reconnect', cause, { retryAt, attempt: this.attempt });
    this.setTimer('retry', delay, () => this.connect({ kind: 'retry' }));
  }

  /** Closes the socket ourselves without waiting for its close event (a dead TCP link may never send one). */
  private dropSocket(reason: string): void {
    this.loseOffer();
    this.clearSocketTimers();
    const socket = this.socket;
    this.socket = undefined;
    this.generation++;
    this.welcomed = false;
    if (socket) socket.close(CLIENT_CLOSE, reason);
  }

  private stopWith(cause: Cause): void {
    this.dropSocket(cause.kind);
    this.setState('stopped', cause);
  }

  // --- Messages --------------------------------------------------------------------------------

  private onMessage(text: string): void {
    // Any message shows the link is alive.
    this.clearTimer('pong');
    const json = parseJson(text);
    const parsed = json.ok ? parseServerMessage(json.value) : json;
    if (!parsed.ok) {
      this.retryLater({ kind: 'bad-message', message: parsed.message });
      return;
    }
    const message = parsed.value;
    if (!this.welcomed && message.type !== 'welcome') {
      this.retryLater({ kind: 'bad-message', message: `expected welcome first, got ${message.type}` });
      return;
    }
    switch (message.type) {
      case 'welcome':
        this.onWelcome(message);
        break;
      case 'snapshot':
        this.onSnapshot(message);
        break;
      case 'patch':
        this.onPatch(message);
        break;
      case 'pong':
        break;
      case 'offered':
      case 'offer-refused':
        if (this.offer?.id === message.id) {
          this.offer = undefined;
          this.clearTimer('offer');
        }
        this.options.onOfferAnswer?.(message);
        break;
    }
  }

  private onWelcome(welcome: WelcomeMessage): void {
    if (this.welcomed) {
      this.retryLater({ kind: 'bad-message', message: 'a second welcome on one socket' });
      return;
    }
    if (welcome.v !== PROTOCOL_VERSION) {
      this.stopWith({ kind: 'version', relayVersion: welcome.v });
      return;
    }
    this.welcomed = true;
    this.clearTimer('handshake');
    this.armPing();
    const store = this.options.store;
    store.setTitle(welcome.title);
    this.target = { epoch: welcome.epoch, seq: welcome.seq };
    const cause: Cause = { kind: 'welcome', recovery: welcome.recovery };
    if (welcome.recovery === 'snapshot') {
      this.awaitingSnapshot = true;
      this.setState('catching-up', cause);
    } else if (welcome.recovery === 'current') {
      const resume = store.resumePosition();
      if (samePosition(resume, this.target) && store.position !== undefined) {
        this.goLive(cause);
      } else {
        // Current, but without the sheet's state in hand (resumed from the document's position, with no
        // cached grid): the main thread needs that state to check the file against (an undo or a hand
        // edit in Figma is drift to put back), so it is fetched once now.
        this.requestSnapshot(resume && resume.epoch !== welcome.epoch ? 'epoch' : 'no-grid');
      }
    } else {
      const position = store.position;
      if (!position) this.requestSnapshot('no-grid');
      else if (position.epoch !== welcome.epoch) this.requestSnapshot('epoch');
      else if (position.seq >= welcome.seq) this.goLive(cause);
      else this.setState('catching-up', cause);
    }
    if (this.lastReport) this.send(this.lastReport);
  }

  private onSnapshot(snapshot: SnapshotMessage): void {
    if (!this.options.store.replace(snapshot)) {
      this.retryLater({ kind: 'snapshot-hash' });
      return;
    }
    this.awaitingSnapshot = false;
    // A snapshot past the welcome's position (asked for later) is the new goal.
    if (!this.target || this.target.epoch !== snapshot.epoch || this.target.seq < snapshot.seq) {
      this.target = { epoch: snapshot.epoch, seq: snapshot.seq };
    }
    if (this.current === 'live') this.options.store.settle();
    else if (this.caughtUp()) this.goLive({ kind: 'caught-up' });
  }

  private onPatch(patch: PatchMessage): void {
    // The snapshot on its way replaces everything before it.
    if (this.awaitingSnapshot) return;
    const store = this.options.store;
    const position = store.position;
    // Already held (a patch the snapshot or catch-up included): nothing to do.
    if (position && patch.epoch === position.epoch && patch.seq <= position.seq) return;
    if (!position) return this.requestSnapshot('no-grid');
    if (patch.epoch !== position.epoch) return this.requestSnapshot('epoch');
    if (patch.seq !== position.seq + 1) return this.requestSnapshot('gap');
    store.apply(patch);
    if (this.target && this.target.epoch === patch.epoch && this.target.seq < patch.seq) this.target = { epoch: patch.epoch, seq: patch.seq };
    if (this.current === 'live') {
      if (!store.verify()) return this.requestSnapshot('hash');
      store.settle();
    } else if (this.caughtUp()) {
      if (!store.verify()) return this.requestSnapshot('hash');
      this.goLive({ kind: 'caught-up' });
    }
  }

  private caughtUp(): boolean {
    const position = this.options.store.position;
    return !!position && !!this.target && position.epoch === this.target.epoch && position.seq >= this.target.seq;
  }

  /** "Not recovered: take a snapshot": the one explicit path for a gap, a new epoch or a bad hash. */
  private requestSnapshot(reason: SnapshotReason): void {
    this.awaitingSnapshot = true;
    this.options.store.unsettle();
    this.send({ type: 'resync' });
    this.setState('catching-up', { kind: 'snapshot-needed', reason });
  }

  private goLive(cause: Cause): void {
    this.attempt = 0;
    this.setState('live', cause);
    this.options.store.settle();
  }

  private send(message: ClientMessage): void {
    this.socket?.send(JSON.stringify(message));
  }

  // --- Heartbeat and timers --------------------------------------------------------------------

  /** Pings every pingIntervalMs; a ping met by silence for pongTimeoutMs means the link is dead. */
  private armPing(): void {
    this.setTimer('ping', this.timing.pingIntervalMs, () => {
      this.send({ type: 'ping' });
      this.setTimer('pong', this.timing.pongTimeoutMs, () => this.retryLater({ kind: 'no-pong' }));
      this.armPing();
    });
  }

  private setTimer(name: TimerName, ms: number, fn: () => void): void {
    this.clearTimer(name);
    const id = this.options.clock.setTimeout(() => {
      this.timers.delete(name);
      fn();
    }, ms);
    this.timers.set(name, id);
  }

  private clearTimer(name: TimerName): void {
    const id = this.timers.get(name);
    if (id === undefined) return;
    this.timers.delete(name);
    this.options.clock.clearTimeout(id);
  }

  private clearSocketTimers(): void {
    this.clearTimer('blocked');
    this.clearTimer('handshake');
    this.clearTimer('ping');
    this.clearTimer('pong');
  }
}
