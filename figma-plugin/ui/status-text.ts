// What each connection state means to a designer: a short label, a plain sentence on what
// happened, and the next step. One place words every status (the README quotes these).

import { ERRORS } from '../../shared/protocol/errors';
import { PROTOCOL_VERSION } from '../../shared/protocol/limits';
import type { Cause, SnapshotReason, Transition } from './connection';
import { relayHost, secondsUntil } from './format';
import { loopbackAdvice } from './loopback';

export type Tone = 'live' | 'busy' | 'warning' | 'error' | 'off';

export interface StatusView {
  /** Next to the status dot: "Live", "Catching up…", "Reconnecting in 7 s". */
  label: string;
  tone: Tone;
  /** What happened, in a sentence. */
  message?: string;
  /** What to do about it. */
  next?: string;
  /** Offer to paste a new pairing code (wrong, revoked or unknown code). */
  repair?: boolean;
  /** Offer "Retry now" (waiting) or "Try again" (stopped for a reason a retry might fix). */
  retry?: 'now' | 'again';
}

const SNAPSHOT_REASONS: Record<SnapshotReason, string> = {
  gap: 'Some changes were missed, so the sheet’s full state is on its way.',
  epoch: 'The relay’s history was reset, so the sheet’s full state is on its way.',
  hash: 'This file’s copy of the sheet did not check out, so the sheet’s full state is on its way.',
  'no-grid': 'This window holds no copy of the sheet yet, so the sheet’s full state is on its way.',
};

const GET_NEW_CODE = 'In the sheet, open the add-on’s sidebar, copy the pairing code and paste it here.';

/** The relay's protocol version from a 4426 close reason ("UNSUPPORTED_VERSION: this relay speaks v2"). */
export function relayVersionFromReason(reason: string): number | undefined {
  const match = /speaks v(\d+)/.exec(reason);
  return match ? Number(match[1]) : undefined;
}

function versionStatus(relayVersion: number | undefined): StatusView {
  const base = { label: 'Update needed', tone: 'error' as const, retry: 'again' as const };
  if (relayVersion !== undefined && relayVersion > PROTOCOL_VERSION) {
    return { ...base, message: `The relay is newer than this plugin (relay protocol v${relayVersion}, plugin v${PROTOCOL_VERSION}).`, next: 'Update the plugin to its latest version.' };
  }
  if (relayVersion !== undefined && relayVersion < PROTOCOL_VERSION) {
    return { ...base, message: `The relay is older than this plugin (relay protocol v${relayVersion}, plugin v${PROTOCOL_VERSION}).`, next: 'Ask whoever runs the relay to update it.' };
  }
  return { ...base, message: 'This plugin and the relay speak different protocol versions.', next: 'Update the plugin, or ask whoever runs the relay to update it.' };
}

/** Why a socket ended, for the reconnecting message. */
function dropMessage(cause: Cause, host: string): string {
  switch (cause.kind) {
    case 'unreachable':
      return `Can’t reach the relay at ${host}. Check your internet connection; if this lasts, ask whoever runs the relay whether it is up.`;
    case 'no-pong':
      return 'The relay stopped answering, so the connection was dropped.';
    case 'handshake-timeout':
      return 'The relay accepted the connection but did not answer in time.';
    case 'bad-message':
      return `The relay sent something this plugin does not understand (${cause.message}).`;
    case 'snapshot-hash':
      return 'The sheet’s state from the relay did not check out.';
    case 'closed':
      if (cause.error === 'SHUTTING_DOWN') return 'The relay is restarting.';
      if (cause.error) return ERRORS[cause.error].message;
      return 'The connection to the relay dropped.';
    default:
      return 'The connection to the relay dropped.';
  }
}

/** Why the connection stopped for good, with the next step. */
function stoppedStatus(cause: Cause, host: string, relayUrl: string): StatusView {
  if (cause.kind === 'version') return versionStatus(cause.relayVersion);
  if (cause.kind === 'blocked') {
    return {
      label: 'Can’t connect',
      tone: 'error',
      message: `Figma blocked the connection to ${host}: this plugin’s manifest does not allow that address.`,
      next:
        loopbackAdvice(relayUrl) ??
        `Rebuild the plugin with RELAY_URL=https://${host} (npm run build) and import its manifest in Figma again, or paste a pairing code for a relay this plugin allows.`,
      repair: true,
      retry: 'again',
    };
  }
  if (cause.kind === 'cannot-open') {
    return {
      label: 'Can’t connect',
      tone: 'error',
      message: `Figma refused to open a connection to ${host} (${cause.message}).`,
      next: 'The relay’s address must be listed in the plugin’s manifest: rebuild the plugin with RELAY_URL set to it.',
      repair: true,
    };
  }
  if (cause.kind === 'stop') return { label: 'Not connected', tone: 'off' };
  if (cause.kind !== 'closed') return { label: 'Disconnected', tone: 'error', retry: 'again' };
  switch (cause.error) {
    case 'BAD_TOKEN':
      return { label: 'Pairing code not accepted', tone: 'error', message: 'The relay does not accept this pairing code for this sheet.', next: GET_NEW_CODE, repair: true };
    case 'TOKEN_REVOKED':
      return {
        label: 'Pairing code revoked',
        tone: 'error',
        message: 'The sheet’s owner made a new pairing code, so this one no longer works.',
        next: 'Paste the new pairing code from the sheet’s add-on sidebar.',
        repair: true,
      };
    case 'UNKNOWN_CHANNEL':
      return {
        label: 'Sheet not found',
        tone: 'error',
        message: `The relay at ${host} has no record of this sheet: it was disconnected, or the relay’s data was reset.`,
        next: 'In the sheet, connect Figma again from the add-on and paste the new pairing code here.',
        repair: true,
      };
    case 'UNSUPPORTED_VERSION':
      return versionStatus(relayVersionFromReason(cause.reason));
    default: {
      const why = (cause.error ? ERRORS[cause.error].message : cause.reason || 'no reason given').replace(/\.$/, '');
      return {
        label: 'Disconnected',
        tone: 'error',
        message: `The relay closed the connection: ${why} (code ${cause.code}).`,
        next: 'Try again; if it keeps happening, send this message to whoever runs the relay.',
        retry: 'again',
      };
    }
  }
}

/**
 * The status to show for the connection's last transition. `paused` turns "Live" into "Paused";
 * `now` drives the reconnect countdown.
 */
export function describeStatus(transition: Transition | undefined, relayUrl: string, paused: boolean, now: number): StatusView {
  const host = relayHost(relayUrl);
  if (!transition) return { label: 'Not connected', tone: 'off' };
  const { to, cause } = transition;
  switch (to) {
    case 'idle':
      return { label: 'Not connected', tone: 'off' };
    case 'connecting':
      return { label: cause.kind === 'retry' ? 'Reconnecting…' : 'Connecting…', tone: 'busy', message: `Connecting to the relay at ${host}.` };
    case 'catching-up': {
      let message = 'Receiving the sheet’s current state.';
      if (cause.kind === 'welcome' && cause.recovery === 'patches') message = 'Receiving the changes made since this file last synced.';
      if (cause.kind === 'snapshot-needed') message = SNAPSHOT_REASONS[cause.reason];
      return { label: 'Catching up…', tone: 'busy', message };
    }
    case 'live':
      if (paused) {
        return { label: 'Paused', tone: 'warning', message: 'Live updates are paused. Changes keep arriving; the newest is applied when you resume.' };
      }
      return { label: 'Live', tone: 'live', message: 'Edits in the sheet appear here within seconds.' };
    case 'waiting-to-reconnect': {
      const seconds = secondsUntil(transition.retryAt ?? now, now);
      return {
        label: seconds > 0 ? `Reconnecting in ${seconds} s` : 'Reconnecting…',
        tone: 'warning',
        message: dropMessage(cause, host),
        next: 'The plugin keeps retrying on its own, waiting longer each time (up to 30 s).',
        retry: 'now',
      };
    }
    case 'stopped':
      return stoppedStatus(cause, host, relayUrl);
  }
}
