// The Diagnostics' own socket to the relay, apart from the live connection: opens it, presents the
// pairing code's token in a hello, waits for the welcome, closes. Two timed steps: did the socket open
// (or did Figma's policy block it), and did the relay accept the token.

import { ERRORS, errorForCloseCode } from '../../shared/protocol/errors';
import { PROTOCOL_VERSION } from '../../shared/protocol/limits';
import type { DiagnosticStep } from '../../shared/plan/plugin-messages';
import { parseJson, parseServerMessage, type HelloMessage, type Position } from '../../shared/protocol/messages';
import type { Clock, OpenSocket, Socket } from './connection';
import { relayHost } from './format';
import { loopbackAdvice } from './loopback';

export interface ProbeOptions {
  relayUrl: string;
  /** ws(s):// URL of the channel's socket. */
  url: string;
  token: string;
  /** Where the window stands, so the relay answers "current" rather than starting a snapshot. */
  since?: Position;
  client: NonNullable<HelloMessage['client']>;
  openSocket: OpenSocket;
  clock: Clock;
  /** Longest wait for the socket to open, and again for the welcome. */
  timeoutMs?: number;
  /** An error no close follows within this long is a blocked socket (see Connection). */
  blockedAfterMs?: number;
}

const SOCKET = 'Socket to the relay';
const TOKEN = 'Pairing code accepted by the relay';

export function probeRelay(options: ProbeOptions): Promise<DiagnosticStep[]> {
  const { clock } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const host = relayHost(options.relayUrl);
  return new Promise((resolve) => {
    const start = clock.now();
    let openedAt: number | undefined;
    let socket: Socket | undefined;
    let done = false;
    const timers: unknown[] = [];
    const ms = (from: number) => Math.round(clock.now() - from);
    const finish = (steps: DiagnosticStep[]) => {
      if (done) return;
      done = true;
      for (const t of timers) clock.clearTimeout(t);
      socket?.close(1000, 'diagnostics done');
      resolve(steps);
    };
    const skippedToken: DiagnosticStep = { id: 'token', title: TOKEN, result: 'skipped', detail: 'No socket to present the pairing code on.' };
    const blocked = (how: string) =>
      finish([
        {
          id: 'socket',
          title: SOCKET,
          result: 'failed',
          ms: ms(start),
          detail: `Figma blocked the connection to ${host} (${how}): this plugin’s manifest does not allow that address. ${loopbackAdvice(options.relayUrl) ?? `Rebuild the plugin with RELAY_URL=https://${host}.`}`,
        },
        skippedToken,
      ]);
    const later = (wait: number, fn: () => void) => timers.push(clock.setTimeout(fn, wait));
    later(timeoutMs, () => {
      if (openedAt === undefined) finish([{ id: 'socket', title: SOCKET, result: 'failed', ms: ms(start), detail: `The relay at ${host} did not open a socket within ${timeoutMs / 1000} s.` }, skippedToken]);
      else later(timeoutMs, () => finish([opened(), { id: 'token', title: TOKEN, result: 'failed', ms: ms(openedAt!), detail: `The relay did not answer the hello within ${timeoutMs / 1000} s.` }]));
    });
    const opened = (): DiagnosticStep => ({ id: 'socket', title: SOCKET, result: 'ok', ms: Math.round(openedAt! - start), detail: `Opened to ${host}.` });
    try {
      socket = options.openSocket(options.url, {
        onOpen: () => {
          openedAt = clock.now();
          const hello: HelloMessage = { type: 'hello', v: PROTOCOL_VERSION, token: options.token, client: options.client };
          if (options.since) hello.since = options.since;
          socket?.send(JSON.stringify(hello));
        },
        onMessage: (text) => {
          const json = parseJson(text);
          const parsed = json.ok ? parseServerMessage(json.value) : json;
          if (!parsed.ok || parsed.value.type !== 'welcome') {
            finish([opened(), { id: 'token', title: TOKEN, result: 'failed', ms: ms(openedAt!), detail: `The relay answered the hello with something other than a welcome${parsed.ok ? ` (${parsed.value.type})` : ` (${parsed.message})`}.` }]);
            return;
          }
          const welcome = parsed.value;
          if (welcome.v !== PROTOCOL_VERSION) {
            finish([opened(), { id: 'token', title: TOKEN, result: 'failed', ms: ms(openedAt!), detail: `The relay speaks protocol v${welcome.v}; this plugin speaks v${PROTOCOL_VERSION}.` }]);
            return;
          }
          finish([
            opened(),
            { id: 'token', title: TOKEN, result: 'ok', ms: ms(openedAt!), detail: `Welcomed (protocol v${welcome.v}; the channel is at seq ${welcome.seq}, recovery "${welcome.recovery}").` },
          ]);
        },
        onClose: (code, reason) => {
          if (openedAt === undefined) {
            finish([{ id: 'socket', title: SOCKET, result: 'failed', ms: ms(start), detail: `Could not reach the relay at ${host} (the socket closed with ${code}).` }, skippedToken]);
            return;
          }
          const error = errorForCloseCode(code);
          const why = error ? `${error}: ${ERRORS[error].message}` : reason || 'no reason given';
          finish([opened(), { id: 'token', title: TOKEN, result: 'failed', ms: ms(openedAt), detail: `The relay closed the socket (${code}, ${why})` }]);
        },
        onError: () => {
          if (openedAt === undefined) later(options.blockedAfterMs ?? 1500, () => blocked('an error that no close followed'));
        },
        onBlocked: () => blocked('a Content-Security-Policy violation'),
      });
    } catch (err) {
      finish([{ id: 'socket', title: SOCKET, result: 'failed', ms: ms(start), detail: `The browser refused to open a socket to ${host}: ${err instanceof Error ? err.message : String(err)}` }, skippedToken]);
    }
  });
}
