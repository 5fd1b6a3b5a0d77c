// The plugin's socket state machine against a fake relay socket and a fake clock.

import { Connection, DEFAULT_TIMING, type Transition } from '../../../figma-plugin/ui/connection';
import { GridSession } from '../../../figma-plugin/ui/grid-session';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import { gridText } from '../../../shared/protocol/grid-text';
import type { ErrorCode } from '../../../shared/protocol/errors';
import type { Grid } from '../../../shared/protocol/grid';
import { COLORS_TAB, FakeChannel } from './fake-channel';
import { harness, TOKEN, URL } from './connection-harness';
import { FakeClock } from './fake-clock';
import { FakeSockets } from './fake-socket';

const T0 = 1_700_000_000_000;

/** A channel with a snapshot-worthy first change. */
function channelWithColors(): FakeChannel {
  const channel = new FakeChannel();
  channel.patch([COLORS_TAB]);
  return channel;
}

/** Harness connected live on `channel` from a snapshot. */
function liveOn(channel: FakeChannel, options: Parameters<typeof harness>[0] = {}) {
  const h = harness(options);
  h.connection.start();
  const socket = h.accept();
  socket.receive(channel.welcome('snapshot'));
  socket.receive(channel.snapshot());
  expect(h.connection.state).toBe('live');
  return { ...h, socket };
}

/** The relay is unreachable `n` times in a row; each time the wait runs out exactly. */
function failTimes(h: ReturnType<typeof harness>, n: number): void {
  for (let i = 0; i < n; i++) {
    h.sockets.last.closeFromRelay(1006);
    const t = h.connection.lastTransition!;
    expect(t.attempt).toBe(i + 1);
    h.clock.advance(t.retryAt! - t.at);
  }
  expect(h.connection.state).toBe('connecting');
}

describe('connecting and the hello', () => {
  test('a fresh connection sends hello with the token and client but no since', () => {
    const h = harness();
    h.connection.start();
    expect(h.connection.state).toBe('connecting');
    expect(h.sockets.last.url).toBe(URL);
    const socket = h.accept();
    expect(socket.sent).toEqual([{ type: 'hello', v: 2, token: TOKEN, client: { name: 'Tokens.fig', session: 'session-1' } }]);
  });

  test('hello resumes from the position the main thread last applied (kept in the document)', () => {
    const h = harness({ applied: { epoch: 'epoch-1', seq: 41 } });
    h.connection.start();
    const socket = h.accept();
    expect(socket.sentOf('hello')[0]!.since).toEqual({ epoch: 'epoch-1', seq: 41 });
  });

  test('the first transition reports idle → connecting caused by start, with the time', () => {
    const h = harness();
    h.connection.start();
    expect(h.transitions).toEqual<Transition[]>([{ from: 'idle', to: 'connecting', cause: { kind: 'start' }, at: T0 }]);
  });

  test('start while already connecting does nothing', () => {
    const h = harness();
    h.connection.start();
    h.connection.start();
    expect(h.sockets.all).toHaveLength(1);
    expect(h.transitions).toHaveLength(1);
  });

  test('a URL the browser refuses stops the connection with the browser’s message', () => {
    const h = harness();
    h.sockets.refuseWith = new Error("Refused to connect to 'ws://evil' because it violates the Content Security Policy");
    h.connection.start();
    expect(h.connection.state).toBe('stopped');
    expect(h.connection.lastTransition!.cause).toEqual({ kind: 'cannot-open', message: "Refused to connect to 'ws://evil' because it violates the Content Security Policy" });
    expect(h.clock.pending).toBe(0);
  });
});

describe('a relay the manifest does not allow (Figma\'s Content-Security-Policy blocks the socket)', () => {
  test('a policy violation naming the socket stops the connection at once, naming the address, and nothing is retried', () => {
    const h = harness();
    h.connection.start();
    h.sockets.last.blockByPolicy();
    expect(h.connection.state).toBe('stopped');
    expect(h.connection.lastTransition!.cause).toEqual({ kind: 'blocked', url: URL, by: 'policy' });
    expect(h.clock.pending).toBe(0);
    expect(h.sockets.last.closedByClient).toBeDefined();
  });

  test('an error that no close follows (Chromium sends none for a blocked socket) stops the connection within two seconds', () => {
    const h = harness();
    h.connection.start();
    h.sockets.last.blockByPolicy({ violationEvent: false });
    expect(h.connection.state).toBe('connecting');
    h.clock.advance(2000);
    expect(h.connection.state).toBe('stopped');
    expect(h.connection.lastTransition!.cause).toEqual({ kind: 'blocked', url: URL, by: 'no-close' });
    h.clock.advance(60_000);
    expect(h.sockets.all).toHaveLength(1);
  });

  test('an error followed by close is an unreachable relay, retried with backoff as before', () => {
    const h = harness();
    h.connection.start();
    h.sockets.last.failThenClose();
    expect(h.connection.state).toBe('waiting-to-reconnect');
    expect(h.connection.lastTransition!.cause).toEqual({ kind: 'unreachable' });
    h.clock.advance(2000);
    expect(h.path().some((p) => p.includes('blocked'))).toBe(false);
    expect(h.sockets.all.length).toBeGreaterThan(1);
  });

  test('an error after the socket opened is left to the close that follows it', () => {
    const h = harness();
    h.connection.start();
    const socket = h.accept();
    socket.blockByPolicy({ violationEvent: false });
    h.clock.advance(2000);
    expect(h.connection.state).toBe('connecting');
  });
});

describe('welcome, snapshot and patches', () => {
  test('welcome announcing a snapshot → catching-up; the snapshot → live; the grid goes to the main thread once', () => {
    const channel = channelWithColors();
    const h = harness();
    h.connection.start();
    const socket = h.accept();
    socket.receive(channel.welcome('snapshot'));
    expect(h.connection.state).toBe('catching-up');
    expect(h.toMain).toEqual([]);
    const snapshot = channel.snapshot();
    socket.receive(snapshot);
    expect(h.path()).toEqual(['idle→connecting (start)', 'connecting→catching-up (welcome)', 'catching-up→live (caught-up)']);
    expect(h.toMain).toEqual([{ type: 'apply', position: { epoch: 'epoch-1', seq: 1 }, gridText: gridText(channel.grid.tabs), hash: snapshot.hash, snapshot: true, at: snapshot.at, title: 'Design tokens' }]);
  });

  test('a live patch is applied in order and sent to the main thread after the previous apply was answered', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    h.session.onMainMessage({ type: 'applied', position: { epoch: 'epoch-1', seq: 1 }, counts: { created: 2, updated: 0, unchanged: 0 }, problems: [], orphans: [], durationMs: 5 });
    const patch = channel.edit(0, 'Colors', 2, 2, '#ff0000');
    h.socket.receive(patch);
    expect(h.toMain[1]).toEqual({ type: 'apply', position: { epoch: 'epoch-1', seq: 2 }, gridText: gridText(channel.grid.tabs), hash: patch.hash, at: patch.at, title: 'Design tokens' });
    expect((JSON.parse((h.toMain[1] as { gridText: string }).gridText) as [number, string, Grid['tabs'][number]['rows']][])[0]![2][1]).toEqual(['color/bg', '#ff0000', '#000000']);
    expect(h.socket.sentOf('resync')).toEqual([]);
  });

  test('welcome with recovery "patches" catches up by applying every missed patch, then goes live with one apply (catch-up buffering)', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    h.session.onMainMessage({ type: 'applied', position: { epoch: 'epoch-1', seq: 1 }, counts: { created: 2, updated: 0, unchanged: 0 }, problems: [], orphans: [], durationMs: 5 });
    h.socket.closeFromRelay(1006);
    const missed = [channel.edit(0, 'Colors', 2, 2, '#010101'), channel.edit(0, 'Colors', 3, 3, '#020202'), channel.edit(0, 'Colors', 4, 1, 'color/new')];
    h.clock.advance(1000);
    const socket = h.accept();
    expect(socket.sentOf('hello')[0]!.since).toEqual({ epoch: 'epoch-1', seq: 1 });
    socket.receive(channel.welcome('patches'));
    expect(h.connection.state).toBe('catching-up');
    socket.receive(missed[0]!);
    socket.receive(missed[1]!);
    expect(h.toMain).toHaveLength(1);
    expect(h.connection.state).toBe('catching-up');
    socket.receive(missed[2]!);
    expect(h.connection.state).toBe('live');
    expect(h.toMain).toHaveLength(2);
    expect(h.toMain[1]).toEqual({ type: 'apply', position: { epoch: 'epoch-1', seq: 4 }, gridText: gridText(channel.grid.tabs), hash: missed[2]!.hash, at: missed[2]!.at, title: 'Design tokens' });
    expect(socket.sentOf('resync')).toEqual([]);
  });

  test('welcome "current" at the position of the grid held goes live without applying anything', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    h.socket.closeFromRelay(1006);
    h.clock.advance(1000);
    const socket = h.accept();
    socket.receive(channel.welcome('current'));
    expect(h.connection.state).toBe('live');
    expect(h.toMain).toHaveLength(1);
    expect(socket.sentOf('resync')).toEqual([]);
  });

  test('welcome "current" without a grid (resumed from the document’s position) fetches the sheet’s state once: the main thread checks the file against it', () => {
    const channel = channelWithColors();
    const h = harness({ applied: { epoch: 'epoch-1', seq: 1 } });
    h.connection.start();
    const socket = h.accept();
    socket.receive(channel.welcome('current'));
    expect(socket.sentOf('resync')).toEqual([{ type: 'resync' }]);
    expect(h.connection.lastTransition).toMatchObject({ from: 'connecting', to: 'catching-up', cause: { kind: 'snapshot-needed', reason: 'no-grid' } });
    socket.receive(channel.snapshot());
    expect(h.connection.state).toBe('live');
    expect(h.toMain).toEqual([expect.objectContaining({ type: 'apply', position: { epoch: 'epoch-1', seq: 1 }, gridText: gridText(channel.grid.tabs) })]);
  });

  test('welcome "patches" without a grid to patch asks for a snapshot', () => {
    const channel = channelWithColors();
    channel.edit(0, 'Colors', 2, 2, '#abcdef');
    const h = harness({ applied: { epoch: 'epoch-1', seq: 1 } });
    h.connection.start();
    const socket = h.accept();
    socket.receive(channel.welcome('patches'));
    expect(socket.sentOf('resync')).toEqual([{ type: 'resync' }]);
    expect(h.connection.lastTransition).toMatchObject({ to: 'catching-up', cause: { kind: 'snapshot-needed', reason: 'no-grid' } });
  });

  test('welcome "current" at another epoch than the one resumed from asks for a snapshot', () => {
    const channel = channelWithColors();
    const h = harness({ applied: { epoch: 'epoch-0', seq: 1 } });
    h.connection.start();
    const socket = h.accept();
    socket.receive(channel.welcome('current'));
    expect(socket.sentOf('resync')).toEqual([{ type: 'resync' }]);
    expect(h.connection.lastTransition).toMatchObject({ to: 'catching-up', cause: { kind: 'snapshot-needed', reason: 'epoch' } });
  });

  test('a patch already held is ignored', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    const again = { ...channel.snapshot(), type: 'patch', id: 'change-1', tabs: [COLORS_TAB] };
    h.socket.receive(again);
    expect(h.connection.state).toBe('live');
    expect(h.socket.sentOf('resync')).toEqual([]);
    expect(h.toMain).toHaveLength(1);
  });
});

describe('snapshots inside the stream', () => {
  test('a catch-up whose history starts with a snapshot takes it, then the patches after it', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    h.socket.closeFromRelay(1006);
    const sheetSnapshot = (() => {
      channel.patch([{ tabId: 0, name: 'Colors', values: [['Name', 'Light'], ['color/only', '#123123']] }]);
      return { ...channel.snapshot(), at: 5 };
    })();
    const after = channel.edit(0, 'Colors', 2, 2, '#456456');
    h.clock.advance(1000);
    const socket = h.accept();
    socket.receive(channel.welcome('patches'));
    socket.receive(sheetSnapshot);
    expect(h.connection.state).toBe('catching-up');
    socket.receive(after);
    expect(h.connection.lastTransition).toMatchObject({ from: 'catching-up', to: 'live', cause: { kind: 'caught-up' } });
    expect(h.session.position).toEqual({ epoch: 'epoch-1', seq: 3 });
    expect(socket.sentOf('resync')).toEqual([]);
  });

  test('a snapshot while live (the sheet sent its full state) replaces the grid and goes to the main thread', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    h.session.onMainMessage({ type: 'applied', position: { epoch: 'epoch-1', seq: 1 }, counts: { created: 2, updated: 0, unchanged: 0 }, problems: [], orphans: [], durationMs: 5 });
    channel.patch([{ tabId: 3, name: 'Sizes', values: [['Name', 'Value'], ['size/s', 4]] }]);
    const snapshot = channel.snapshot();
    h.socket.receive(snapshot);
    expect(h.connection.state).toBe('live');
    expect(h.toMain[1]).toEqual({ type: 'apply', position: { epoch: 'epoch-1', seq: 2 }, gridText: gridText(channel.grid.tabs), hash: snapshot.hash, snapshot: true, at: snapshot.at, title: 'Design tokens' });
  });
});

describe('taking a snapshot explicitly', () => {
  test('a seq gap sends resync, ignores patches until the snapshot, then goes live on it', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    channel.edit(0, 'Colors', 2, 2, '#111111'); // seq 2, never delivered
    const third = channel.edit(0, 'Colors', 2, 2, '#222222');
    h.socket.receive(third);
    expect(h.socket.sentOf('resync')).toEqual([{ type: 'resync' }]);
    expect(h.connection.lastTransition).toMatchObject({ from: 'live', to: 'catching-up', cause: { kind: 'snapshot-needed', reason: 'gap' } });
    h.socket.receive(channel.edit(0, 'Colors', 2, 2, '#333333')); // seq 4, before the snapshot: ignored
    expect(h.socket.sentOf('resync')).toHaveLength(1);
    const snapshot = channel.snapshot();
    h.socket.receive(snapshot);
    expect(h.connection.state).toBe('live');
    expect(h.session.position).toEqual({ epoch: 'epoch-1', seq: 4 });
    h.socket.receive(channel.edit(0, 'Colors', 2, 2, '#444444'));
    expect(h.session.position).toEqual({ epoch: 'epoch-1', seq: 5 });
  });

  test('a patch from another epoch sends resync with reason epoch', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    channel.newEpoch('epoch-2');
    h.socket.receive(channel.edit(0, 'Colors', 2, 2, '#123456'));
    expect(h.socket.sentOf('resync')).toEqual([{ type: 'resync' }]);
    expect(h.connection.lastTransition!.cause).toEqual({ kind: 'snapshot-needed', reason: 'epoch' });
    h.socket.receive(channel.snapshot());
    expect(h.connection.state).toBe('live');
    expect(h.session.position).toEqual({ epoch: 'epoch-2', seq: 1 });
  });

  test('a patch whose hash does not match the grid after applying it sends resync and forgets the grid', () => {
    const channel = channelWithColors();
    const h = liveOn(channel, { applied: { epoch: 'epoch-1', seq: 0 } });
    const patch = { ...channel.edit(0, 'Colors', 2, 2, '#123456'), hash: 'f'.repeat(64) };
    h.socket.receive(patch);
    expect(h.socket.sentOf('resync')).toEqual([{ type: 'resync' }]);
    expect(h.connection.lastTransition!.cause).toEqual({ kind: 'snapshot-needed', reason: 'hash' });
    expect(h.session.position).toBeUndefined();
    expect(h.session.resumePosition()).toEqual({ epoch: 'epoch-1', seq: 0 });
  });

  test('during catch-up the hash is checked once the last missed patch is in, and a mismatch sends resync', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    h.socket.closeFromRelay(1006);
    const first = channel.edit(0, 'Colors', 2, 2, '#010101');
    const second = { ...channel.edit(0, 'Colors', 3, 3, '#020202'), hash: gridHash({ tabs: [] }) };
    h.clock.advance(1000);
    const socket = h.accept();
    socket.receive(channel.welcome('patches'));
    socket.receive(first);
    socket.receive(second);
    expect(socket.sentOf('resync')).toEqual([{ type: 'resync' }]);
    expect(h.connection.state).toBe('catching-up');
    expect(h.toMain).toHaveLength(1);
  });

  test('a snapshot that does not hash to its own hash is not taken: the plugin reconnects after a backoff', () => {
    const channel = channelWithColors();
    const h = harness();
    h.connection.start();
    const socket = h.accept();
    socket.receive(channel.welcome('snapshot'));
    socket.receive({ ...channel.snapshot(), hash: 'a'.repeat(64) });
    expect(h.connection.lastTransition).toMatchObject({ from: 'catching-up', to: 'waiting-to-reconnect', cause: { kind: 'snapshot-hash' } });
    expect(socket.closedByClient).toEqual({ code: 1000, reason: 'snapshot-hash' });
    expect(h.session.position).toBeUndefined();
    expect(h.toMain).toEqual([]);
  });
});

describe('dead connections', () => {
  test('a ping goes out every 20 s after welcome and any answer keeps the connection', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    h.clock.advance(DEFAULT_TIMING.pingIntervalMs - 1);
    expect(h.socket.sentOf('ping')).toEqual([]);
    h.clock.advance(1);
    expect(h.socket.sentOf('ping')).toEqual([{ type: 'ping' }]);
    h.clock.advance(500);
    h.socket.receive({ type: 'pong' });
    h.clock.advance(DEFAULT_TIMING.pingIntervalMs - 501);
    expect(h.connection.state).toBe('live');
    expect(h.socket.sentOf('ping')).toHaveLength(1);
    h.clock.advance(1);
    expect(h.socket.sentOf('ping')).toHaveLength(2);
  });

  test('no answer within 10 s of a ping closes the socket and reconnects with since', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    h.clock.advance(DEFAULT_TIMING.pingIntervalMs + DEFAULT_TIMING.pongTimeoutMs - 1);
    expect(h.connection.state).toBe('live');
    h.clock.advance(1);
    expect(h.connection.lastTransition).toEqual<Transition>({
      from: 'live',
      to: 'waiting-to-reconnect',
      cause: { kind: 'no-pong' },
      at: T0 + 30_000,
      retryAt: T0 + 30_000 + 1000,
      attempt: 1,
    });
    expect(h.socket.closedByClient).toEqual({ code: 1000, reason: 'no-pong' });
    // The dead socket's late close event changes nothing.
    h.socket.closeFromRelay(1006);
    expect(h.connection.state).toBe('waiting-to-reconnect');
    h.clock.advance(1000);
    const next = h.accept();
    expect(next).not.toBe(h.socket);
    expect(next.sentOf('hello')[0]!.since).toEqual({ epoch: 'epoch-1', seq: 1 });
  });

  test('a relay that accepts the socket but never welcomes is given up after 15 s', () => {
    const h = harness();
    h.connection.start();
    const socket = h.accept();
    h.clock.advance(DEFAULT_TIMING.handshakeTimeoutMs);
    expect(h.connection.lastTransition).toMatchObject({ from: 'connecting', to: 'waiting-to-reconnect', cause: { kind: 'handshake-timeout' } });
    expect(socket.closedByClient).toEqual({ code: 1000, reason: 'handshake-timeout' });
  });
});

describe('reconnecting with backoff', () => {
  test('an unreachable relay is retried with growing, capped waits and a countdown deadline', () => {
    const h = harness();
    h.connection.start();
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      h.sockets.last.closeFromRelay(1006);
      const t = h.connection.lastTransition!;
      expect(t).toMatchObject({ to: 'waiting-to-reconnect', cause: { kind: 'unreachable' }, attempt: i + 1 });
      waits.push(t.retryAt! - t.at);
      h.clock.advance(t.retryAt! - t.at);
      expect(h.connection.state).toBe('connecting');
    }
    expect(waits).toEqual([1000, 1500, 2500, 4500, 8500, 16_500, 30_000, 30_000, 30_000]);
    expect(h.sockets.all).toHaveLength(10);
  });

  test('reaching live resets the backoff', () => {
    const channel = channelWithColors();
    const h = harness();
    h.connection.start();
    failTimes(h, 4);
    const socket = h.accept();
    socket.receive(channel.welcome('snapshot'));
    socket.receive(channel.snapshot());
    socket.closeFromRelay(1006);
    const t = h.connection.lastTransition!;
    expect(t.retryAt! - t.at).toBe(1000);
    expect(t.attempt).toBe(1);
  });

  test('a relay restart (1012) reconnects quickly even after failed attempts', () => {
    const h = harness();
    h.connection.start();
    failTimes(h, 5);
    const socket = h.accept();
    socket.closeFromRelay(1012, 'restarting');
    const t = h.connection.lastTransition!;
    expect(t.cause).toEqual({ kind: 'closed', code: 1012, reason: 'restarting', error: 'SHUTTING_DOWN' });
    expect(t.retryAt! - t.at).toBe(1000);
  });

  test('retry now skips the countdown', () => {
    const h = harness();
    h.connection.start();
    h.sockets.last.closeFromRelay(1006);
    h.connection.retryNow();
    expect(h.connection.lastTransition).toMatchObject({ from: 'waiting-to-reconnect', to: 'connecting', cause: { kind: 'retry' } });
    expect(h.sockets.all).toHaveLength(2);
    h.clock.advance(1000);
    expect(h.sockets.all).toHaveLength(2);
  });

  test('retry now does nothing unless waiting to reconnect', () => {
    const h = harness();
    h.connection.start();
    h.connection.retryNow();
    expect(h.sockets.all).toHaveLength(1);
  });

  test('jitter spreads the waits of plugins dropped together', () => {
    const channel = channelWithColors();
    const waits = [0, 0.25, 0.5, 0.75].map((r) => {
      const h = liveOn(channel, { random: () => r });
      h.socket.closeFromRelay(1012);
      const t = h.connection.lastTransition!;
      return t.retryAt! - t.at;
    });
    expect(waits).toEqual([500, 625, 750, 875]);
  });
});

describe('close codes decide retry or stop', () => {
  const cases: [number, ErrorCode | undefined, 'waiting-to-reconnect' | 'stopped'][] = [
    [4401, 'BAD_TOKEN', 'stopped'],
    [4403, 'TOKEN_REVOKED', 'stopped'],
    [4404, 'UNKNOWN_CHANNEL', 'stopped'],
    [4426, 'UNSUPPORTED_VERSION', 'stopped'],
    [4400, 'BAD_MESSAGE', 'stopped'],
    [4413, 'MESSAGE_TOO_BIG', 'stopped'],
    [4999, undefined, 'stopped'],
    [4408, 'HELLO_TIMEOUT', 'waiting-to-reconnect'],
    [4429, 'RATE_LIMITED', 'waiting-to-reconnect'],
    [4430, 'TOO_MANY_SOCKETS', 'waiting-to-reconnect'],
    [4431, 'SLOW_CONSUMER', 'waiting-to-reconnect'],
    [1011, 'INTERNAL', 'waiting-to-reconnect'],
    [1012, 'SHUTTING_DOWN', 'waiting-to-reconnect'],
    [1000, undefined, 'waiting-to-reconnect'],
    [1001, undefined, 'waiting-to-reconnect'],
    [1006, undefined, 'waiting-to-reconnect'],
  ];
  test.each(cases)('close code %i (%s) → %s', (code, error, to) => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    h.socket.closeFromRelay(code, 'because');
    const cause = error ? { kind: 'closed', code, reason: 'because', error } : { kind: 'closed', code, reason: 'because' };
    expect(h.connection.lastTransition).toMatchObject({ from: 'live', to, cause });
    expect(h.connection.lastTransition!.cause).toEqual(cause);
    expect(h.clock.pending).toBe(to === 'stopped' ? 0 : 1);
  });

  test('a revoked code closing the socket right after hello stops without retrying', () => {
    const h = harness();
    h.connection.start();
    const socket = h.accept();
    socket.closeFromRelay(4403, 'token revoked');
    expect(h.path()).toEqual(['idle→connecting (start)', 'connecting→stopped (closed)']);
    h.clock.advance(120_000);
    expect(h.sockets.all).toHaveLength(1);
  });

  test('start after a stop connects again from the beginning', () => {
    const h = harness();
    h.connection.start();
    h.accept().closeFromRelay(4401);
    h.connection.start();
    expect(h.connection.state).toBe('connecting');
    expect(h.sockets.all).toHaveLength(2);
  });
});

describe('protocol misuse by the relay', () => {
  test('a welcome with another protocol version stops with the relay’s version', () => {
    const channel = channelWithColors();
    const h = harness();
    h.connection.start();
    const socket = h.accept();
    socket.receive({ ...channel.welcome('snapshot'), v: 3 });
    expect(h.connection.lastTransition).toMatchObject({ from: 'connecting', to: 'stopped', cause: { kind: 'version', relayVersion: 3 } });
    expect(socket.closedByClient).toEqual({ code: 1000, reason: 'version' });
    expect(h.clock.pending).toBe(0);
  });

  test('text that is not JSON is a bad message: the plugin closes and retries', () => {
    const h = harness();
    h.connection.start();
    const socket = h.accept();
    socket.receiveText('{nope');
    const t = h.connection.lastTransition!;
    expect(t.to).toBe('waiting-to-reconnect');
    expect(t.cause.kind).toBe('bad-message');
    expect((t.cause as { message: string }).message).toMatch(/^not valid JSON: /);
  });

  test('a message of an unknown type is a bad message', () => {
    const h = harness();
    h.connection.start();
    const socket = h.accept();
    socket.receive({ type: 'surprise' });
    expect(h.connection.lastTransition).toMatchObject({ to: 'waiting-to-reconnect', cause: { kind: 'bad-message' } });
  });

  test('a patch before the welcome is a bad message', () => {
    const channel = channelWithColors();
    const h = harness();
    h.connection.start();
    const socket = h.accept();
    socket.receive(channel.edit(0, 'Colors', 2, 2, '#000000'));
    expect(h.connection.lastTransition!.cause).toEqual({ kind: 'bad-message', message: 'expected welcome first, got patch' });
  });

  test('a second welcome on one socket is a bad message', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    h.socket.receive(channel.welcome('current'));
    expect(h.connection.lastTransition!.cause).toEqual({ kind: 'bad-message', message: 'a second welcome on one socket' });
  });
});

describe('reports and stopping', () => {
  test('the main thread’s applied result goes to the relay and again after a reconnect', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    h.session.onMainMessage({
      type: 'applied',
      position: { epoch: 'epoch-1', seq: 1 },
      counts: { created: 2, updated: 0, unchanged: 0 },
      problems: [{ tab: 'Colors', cell: 'B3', severity: 'error', message: 'not a colour' }],
      orphans: [],
      durationMs: 12,
    });
    const report = { type: 'applied', seq: 1, errors: [{ tab: 'Colors', cell: 'B3', severity: 'error', message: 'not a colour' }], errorCount: 1, counts: { created: 2, updated: 0, unchanged: 0 }, at: T0 };
    expect(h.socket.sentOf('applied')).toEqual([report]);
    h.socket.closeFromRelay(1006);
    h.clock.advance(1000);
    const socket = h.accept();
    expect(socket.sentOf('applied')).toEqual([]);
    socket.receive(channel.welcome('current'));
    expect(socket.sentOf('applied')).toEqual([{ ...report }]);
  });

  test('a report while disconnected waits for the next welcome', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    h.socket.closeFromRelay(1006);
    h.session.onMainMessage({ type: 'applied', position: { epoch: 'epoch-1', seq: 1 }, counts: { created: 2, updated: 0, unchanged: 0 }, problems: [], orphans: [], durationMs: 3 });
    h.clock.advance(1000);
    const socket = h.accept();
    socket.receive(channel.welcome('current'));
    expect(socket.sentOf('applied')).toEqual([{ type: 'applied', seq: 1, errors: [], errorCount: 0, counts: { created: 2, updated: 0, unchanged: 0 }, at: T0 }]);
  });

  test('stop closes the socket, cancels every timer and reports the stop', () => {
    const channel = channelWithColors();
    const h = liveOn(channel);
    h.connection.stop();
    expect(h.connection.lastTransition).toEqual<Transition>({ from: 'live', to: 'stopped', cause: { kind: 'stop' }, at: T0 });
    expect(h.socket.closedByClient).toEqual({ code: 1000, reason: 'stopped' });
    expect(h.clock.pending).toBe(0);
  });

  test('stop while waiting to reconnect cancels the retry', () => {
    const h = harness();
    h.connection.start();
    h.sockets.last.closeFromRelay(1006);
    h.connection.stop();
    h.clock.advance(120_000);
    expect(h.sockets.all).toHaveLength(1);
    expect(h.connection.state).toBe('stopped');
  });

  test('timing with a maximum below the minimum is refused when the connection is made', () => {
    const clock = new FakeClock();
    const store = new GridSession({ toMain: () => undefined, toRelay: () => undefined, now: () => clock.now() });
    expect(
      () => new Connection({ url: URL, token: TOKEN, store, openSocket: new FakeSockets().open, clock, timing: { minRetryMs: 5000, maxRetryMs: 10 }, onTransition: () => undefined }),
    ).toThrow(new RangeError('Connection timing: need 0 < minRetryMs ≤ maxRetryMs, got 5000 and 10'));
  });
});
