// The Diagnostics' own socket: each way it can go is one result, timed, and the socket is always closed.

import { probeRelay, type ProbeOptions } from '../../../figma-plugin/ui/relay-probe';
import { FakeClock } from './fake-clock';
import { FakeSockets } from './fake-socket';

const URL = 'wss://relay.example.com/v2/channels/channel-0123456789ab/socket';
const TOKEN = 'tokentokentokentokentokentoken';

function setup(relayUrl = 'https://relay.example.com', url = URL) {
  const clock = new FakeClock();
  const sockets = new FakeSockets();
  const options: ProbeOptions = { relayUrl, url, token: TOKEN, client: { name: 'Diagnostics', session: 'w-diagnostics' }, openSocket: sockets.open, clock };
  return { clock, sockets, probe: () => probeRelay(options) };
}

test('a socket that opens and a token the relay welcomes are two OK steps, timed, and the socket is closed after', async () => {
  const t = setup();
  const result = t.probe();
  t.clock.advance(120);
  const socket = t.sockets.last;
  socket.open();
  expect(socket.sentOf('hello')).toEqual([{ type: 'hello', v: 2, token: TOKEN, client: { name: 'Diagnostics', session: 'w-diagnostics' } }]);
  t.clock.advance(30);
  socket.receive({ type: 'welcome', v: 2, channelId: 'channel-0123456789ab', epoch: 'e', seq: 7, recovery: 'snapshot' });
  expect(await result).toEqual([
    { id: 'socket', title: 'Socket to the relay', result: 'ok', ms: 120, detail: 'Opened to relay.example.com.' },
    { id: 'token', title: 'Pairing code accepted by the relay', result: 'ok', ms: 30, detail: 'Welcomed (protocol v2; the channel is at seq 7, recovery "snapshot").' },
  ]);
  expect(socket.closedByClient).toEqual({ code: 1000, reason: 'diagnostics done' });
  expect(t.clock.pending).toBe(0);
});

test('a token the relay refuses fails the second step with the catalogue’s words', async () => {
  const t = setup();
  const result = t.probe();
  t.sockets.last.open();
  t.sockets.last.closeFromRelay(4401, 'BAD_TOKEN');
  const [socket, token] = await result;
  expect(socket!.result).toBe('ok');
  expect(token).toMatchObject({ result: 'failed', detail: 'The relay closed the socket (4401, BAD_TOKEN: The pairing code is not valid for this channel. Paste the current pairing code from the sheet.)' });
});

test('a socket Figma’s policy blocks fails the first step naming the fix, and skips the token', async () => {
  const t = setup('http://127.0.0.1:8787', 'ws://127.0.0.1:8787/v2/channels/c/socket');
  const result = t.probe();
  t.sockets.last.blockByPolicy();
  const [socket, token] = await result;
  expect(socket).toMatchObject({ result: 'failed' });
  expect(socket!.detail).toBe(
    'Figma blocked the connection to 127.0.0.1:8787 (a Content-Security-Policy violation): this plugin’s manifest does not allow that address. ' +
      'Figma lets a plugin in development reach only localhost, not 127.0.0.1:8787: in the sheet’s sidebar, set the relay address to http://localhost:8787, connect, and paste the new pairing code here.',
  );
  expect(token!.result).toBe('skipped');
});

test('an error no close follows is a blocked socket too', async () => {
  const t = setup();
  const result = t.probe();
  t.sockets.last.blockByPolicy({ violationEvent: false });
  t.clock.advance(1500);
  expect((await result)[0]!.detail).toMatch(/^Figma blocked the connection to relay\.example\.com \(an error that no close followed\)/);
});

test('an unreachable relay and a silent one fail the first step', async () => {
  const down = setup();
  const closed = down.probe();
  down.sockets.last.failThenClose();
  expect((await closed)[0]).toMatchObject({ result: 'failed', detail: 'Could not reach the relay at relay.example.com (the socket closed with 1006).' });
  const silent = setup();
  const waited = silent.probe();
  silent.clock.advance(10_000);
  expect((await waited)[0]).toMatchObject({ result: 'failed', detail: 'The relay at relay.example.com did not open a socket within 10 s.' });
});
