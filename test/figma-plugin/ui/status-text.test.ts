// Every status the plugin can show: its label, tone, sentence and next step.

import type { Cause, ConnectionState, Transition } from '../../../figma-plugin/ui/connection';
import { describeStatus, relayVersionFromReason, type StatusView } from '../../../figma-plugin/ui/status-text';

const RELAY = 'https://relay.example.com';
const NOW = 1_700_000_000_000;

function status(to: ConnectionState, cause: Cause, extra: Partial<Transition> = {}, paused = false): StatusView {
  return describeStatus({ from: 'live', to, cause, at: NOW, ...extra }, RELAY, paused, NOW);
}

describe('describeStatus', () => {
  test('no connection yet reads "Not connected"', () => {
    expect(describeStatus(undefined, RELAY, false, NOW)).toEqual({ label: 'Not connected', tone: 'off' });
  });

  test('connecting names the relay', () => {
    expect(status('connecting', { kind: 'start' })).toEqual({ label: 'Connecting…', tone: 'busy', message: 'Connecting to the relay at relay.example.com.' });
    expect(status('connecting', { kind: 'retry' }).label).toBe('Reconnecting…');
  });

  test('catching up says what is on its way', () => {
    expect(status('catching-up', { kind: 'welcome', recovery: 'snapshot' })).toEqual({ label: 'Catching up…', tone: 'busy', message: 'Receiving the sheet’s current state.' });
    expect(status('catching-up', { kind: 'welcome', recovery: 'patches' }).message).toBe('Receiving the changes made since this file last synced.');
    expect(status('catching-up', { kind: 'snapshot-needed', reason: 'gap' }).message).toBe('Some changes were missed, so the sheet’s full state is on its way.');
    expect(status('catching-up', { kind: 'snapshot-needed', reason: 'epoch' }).message).toBe('The relay’s history was reset, so the sheet’s full state is on its way.');
    expect(status('catching-up', { kind: 'snapshot-needed', reason: 'hash' }).message).toBe('This file’s copy of the sheet did not check out, so the sheet’s full state is on its way.');
  });

  test('live, and live while paused', () => {
    expect(status('live', { kind: 'caught-up' })).toEqual({ label: 'Live', tone: 'live', message: 'Edits in the sheet appear here within seconds.' });
    expect(status('live', { kind: 'caught-up' }, {}, true)).toEqual({
      label: 'Paused',
      tone: 'warning',
      message: 'Live updates are paused. Changes keep arriving; the newest is applied when you resume.',
    });
  });

  test('waiting to reconnect counts down to the next attempt and offers Retry now', () => {
    expect(status('waiting-to-reconnect', { kind: 'unreachable' }, { retryAt: NOW + 6_200 })).toEqual({
      label: 'Reconnecting in 7 s',
      tone: 'warning',
      message: 'Can’t reach the relay at relay.example.com. Check your internet connection; if this lasts, ask whoever runs the relay whether it is up.',
      next: 'The plugin keeps retrying on its own, waiting longer each time (up to 30 s).',
      retry: 'now',
    });
    expect(status('waiting-to-reconnect', { kind: 'unreachable' }, { retryAt: NOW }).label).toBe('Reconnecting…');
  });

  test('each reason for a dropped connection has its own sentence', () => {
    const message = (cause: Cause) => status('waiting-to-reconnect', cause, { retryAt: NOW + 1000 }).message;
    expect(message({ kind: 'closed', code: 1012, reason: '', error: 'SHUTTING_DOWN' })).toBe('The relay is restarting.');
    expect(message({ kind: 'closed', code: 1006, reason: '' })).toBe('The connection to the relay dropped.');
    expect(message({ kind: 'closed', code: 4430, reason: '', error: 'TOO_MANY_SOCKETS' })).toBe('Too many sockets are open on this channel; close some plugin windows.');
    expect(message({ kind: 'no-pong' })).toBe('The relay stopped answering, so the connection was dropped.');
    expect(message({ kind: 'handshake-timeout' })).toBe('The relay accepted the connection but did not answer in time.');
    expect(message({ kind: 'bad-message', message: 'not valid JSON: x' })).toBe('The relay sent something this plugin does not understand (not valid JSON: x).');
    expect(message({ kind: 'snapshot-hash' })).toBe('The sheet’s state from the relay did not check out.');
  });

  test('a wrong pairing code asks for the current one', () => {
    expect(status('stopped', { kind: 'closed', code: 4401, reason: 'BAD_TOKEN', error: 'BAD_TOKEN' })).toEqual({
      label: 'Pairing code not accepted',
      tone: 'error',
      message: 'The relay does not accept this pairing code for this sheet.',
      next: 'In the sheet, open the add-on’s sidebar, copy the pairing code and paste it here.',
      repair: true,
    });
  });

  test('a revoked pairing code asks for the new one', () => {
    expect(status('stopped', { kind: 'closed', code: 4403, reason: 'TOKEN_REVOKED', error: 'TOKEN_REVOKED' })).toEqual({
      label: 'Pairing code revoked',
      tone: 'error',
      message: 'The sheet’s owner made a new pairing code, so this one no longer works.',
      next: 'Paste the new pairing code from the sheet’s add-on sidebar.',
      repair: true,
    });
  });

  test('an unknown channel asks to connect the sheet again', () => {
    expect(status('stopped', { kind: 'closed', code: 4404, reason: 'UNKNOWN_CHANNEL', error: 'UNKNOWN_CHANNEL' })).toEqual({
      label: 'Sheet not found',
      tone: 'error',
      message: 'The relay at relay.example.com has no record of this sheet: it was disconnected, or the relay’s data was reset.',
      next: 'In the sheet, connect Figma again from the add-on and paste the new pairing code here.',
      repair: true,
    });
  });

  test('a relay too old says who must update', () => {
    expect(status('stopped', { kind: 'closed', code: 4426, reason: 'UNSUPPORTED_VERSION: this relay speaks v0', error: 'UNSUPPORTED_VERSION' })).toEqual({
      label: 'Update needed',
      tone: 'error',
      message: 'The relay is older than this plugin (relay protocol v0, plugin v2).',
      next: 'Ask whoever runs the relay to update it.',
      retry: 'again',
    });
  });

  test('a relay too new asks to update the plugin (from its close reason or its welcome)', () => {
    const fromClose = status('stopped', { kind: 'closed', code: 4426, reason: 'UNSUPPORTED_VERSION: this relay speaks v3', error: 'UNSUPPORTED_VERSION' });
    const fromWelcome = status('stopped', { kind: 'version', relayVersion: 3 });
    expect(fromClose).toEqual(fromWelcome);
    expect(fromWelcome).toEqual({
      label: 'Update needed',
      tone: 'error',
      message: 'The relay is newer than this plugin (relay protocol v3, plugin v2).',
      next: 'Update the plugin to its latest version.',
      retry: 'again',
    });
  });

  test('a version refusal without a version in its reason names both sides to update', () => {
    expect(status('stopped', { kind: 'closed', code: 4426, reason: '', error: 'UNSUPPORTED_VERSION' }).next).toBe('Update the plugin, or ask whoever runs the relay to update it.');
  });

  test('a URL the browser refuses points at the manifest', () => {
    expect(status('stopped', { kind: 'cannot-open', message: 'CSP' })).toEqual({
      label: 'Can’t connect',
      tone: 'error',
      message: 'Figma refused to open a connection to relay.example.com (CSP).',
      next: 'The relay’s address must be listed in the plugin’s manifest: rebuild the plugin with RELAY_URL set to it.',
      repair: true,
    });
  });

  test('a socket Figma’s policy blocked names the address and the RELAY_URL to build with, and offers Try again and a new code', () => {
    expect(status('stopped', { kind: 'blocked', url: 'wss://relay.example.com/v2/channels/c/socket', by: 'policy' })).toEqual({
      label: 'Can’t connect',
      tone: 'error',
      message: 'Figma blocked the connection to relay.example.com: this plugin’s manifest does not allow that address.',
      next: 'Rebuild the plugin with RELAY_URL=https://relay.example.com (npm run build) and import its manifest in Figma again, or paste a pairing code for a relay this plugin allows.',
      repair: true,
      retry: 'again',
    });
  });

  test.each([
    ['http://127.0.0.1:8787', '127.0.0.1:8787', 'http://localhost:8787'],
    ['http://[::1]:9000', '[::1]:9000', 'http://localhost:9000'],
  ])('a blocked relay at %s is told to use localhost instead, the only loopback name the manifest allows', (relayUrl, host, localhost) => {
    const view = describeStatus({ from: 'connecting', to: 'stopped', cause: { kind: 'blocked', url: `ws://${host}/v2/channels/c/socket`, by: 'no-close' }, at: 0 }, relayUrl, false, 0);
    expect(view.message).toBe(`Figma blocked the connection to ${host}: this plugin’s manifest does not allow that address.`);
    expect(view.next).toBe(
      `Figma lets a plugin in development reach only localhost, not ${host}: in the sheet’s sidebar, set the relay address to ${localhost}, connect, and paste the new pairing code here.`,
    );
  });

  test('any other final close quotes the catalogue and the code, and offers Try again', () => {
    expect(status('stopped', { kind: 'closed', code: 4413, reason: 'MESSAGE_TOO_BIG', error: 'MESSAGE_TOO_BIG' })).toEqual({
      label: 'Disconnected',
      tone: 'error',
      message: 'The relay closed the connection: The socket message is larger than the limit (code 4413).',
      next: 'Try again; if it keeps happening, send this message to whoever runs the relay.',
      retry: 'again',
    });
    expect(status('stopped', { kind: 'closed', code: 4999, reason: '' }).message).toBe('The relay closed the connection: no reason given (code 4999).');
  });

  test('the version in a close reason is read only from "speaks vN"', () => {
    expect([relayVersionFromReason('UNSUPPORTED_VERSION: this relay speaks v3'), relayVersionFromReason('v3'), relayVersionFromReason('')]).toEqual([3, undefined, undefined]);
  });
});
