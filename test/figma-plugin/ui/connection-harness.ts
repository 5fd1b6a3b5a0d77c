// Wires a Connection to a GridSession, a fake clock and fake sockets, recording every transition
// and every message to the main thread, as the plugin UI does for real.

import { Connection, type ConnectionTiming, type Transition } from '../../../figma-plugin/ui/connection';
import { GridSession } from '../../../figma-plugin/ui/grid-session';
import type { UiToMain } from '../../../shared/plan/plugin-messages';
import type { Position } from '../../../shared/protocol/messages';
import { FakeClock } from './fake-clock';
import { FakeSockets } from './fake-socket';

export const URL = 'ws://127.0.0.1:9/v2/channels/channel-0123456789ab/socket';
export const TOKEN = 'token-abcdefghijklmnopqrstuvwxyz';

export interface Harness {
  clock: FakeClock;
  sockets: FakeSockets;
  session: GridSession;
  connection: Connection;
  transitions: Transition[];
  toMain: UiToMain[];
  /** "from→to (cause)" for each transition, for reading a whole path at once. */
  path(): string[];
  /** Opens the socket the connection asked for and returns it. */
  accept(): ReturnType<FakeSockets['open']> & FakeSockets['last'];
}

export function harness(options: { applied?: Position; paused?: boolean; random?: () => number; timing?: Partial<ConnectionTiming> } = {}): Harness {
  const clock = new FakeClock();
  const sockets = new FakeSockets();
  const transitions: Transition[] = [];
  const toMain: UiToMain[] = [];
  const session = new GridSession({
    toMain: (m) => toMain.push(m),
    // The closure runs only after `connection` below exists.
    toRelay: (r) => connection.reportApplied(r),
    now: () => clock.now(),
    ...(options.applied ? { applied: options.applied } : {}),
    paused: options.paused ?? false,
  });
  const connection = new Connection({
    url: URL,
    token: TOKEN,
    client: { name: 'Tokens.fig', session: 'session-1' },
    store: session,
    openSocket: sockets.open,
    clock,
    random: options.random ?? (() => 1),
    ...(options.timing ? { timing: options.timing } : {}),
    onTransition: (t) => transitions.push(t),
  });
  return {
    clock,
    sockets,
    session,
    connection,
    transitions,
    toMain,
    path: () => transitions.map((t) => `${t.from}→${t.to} (${t.cause.kind})`),
    accept: () => {
      const socket = sockets.last;
      socket.open();
      return socket;
    },
  };
}
