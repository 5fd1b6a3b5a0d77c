// /metrics as Prometheus text after known activity: connections, messages in and out by type,
// changes by outcome, rejections by error code, and the latency histograms.

import { subscribe } from '../helpers/ws-client';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { getJson, ModelSheet, newChannel, postChange, register } from './support/relay-api';

let relay: InProcessRelay;

beforeAll(async () => {
  relay = await startInProcessRelay();
});
afterAll(async () => {
  await relay?.close();
});

/** The value of one sample line, e.g. value(text, 'relay_connections'). */
function value(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

test('the metrics count what happened, by type, outcome and error code', async () => {
  const channel = newChannel();
  await register(relay.url, channel, channel.secret);
  const { socket } = await subscribe(relay.url, channel.channelId, channel.token);
  await socket.nextOf('snapshot');
  const sheet = new ModelSheet();
  const change = sheet.patch(1, 'T', 1, 1, [['a']]);
  await postChange(relay.url, channel, change);
  await postChange(relay.url, channel, change);
  await postChange(relay.url, channel, sheet.patch(1, 'T', 2, 1, [['b']]));
  await postChange(relay.url, channel, new ModelSheet().patch(1, 'T', 1, 1, [['mismatch']]));
  await postChange(relay.url, channel, sheet.patch(1, 'T', 3, 1, [['c']]), { secret: newChannel().secret });
  await socket.take(2);
  socket.send({ type: 'ping' });
  await socket.nextOf('pong');

  const text = (await getJson(`${relay.url}/metrics`)).body as string;
  expect({
    connections: value(text, 'relay_connections'),
    followed: value(text, 'relay_followed_channels'),
    hello: value(text, 'relay_messages_in_total{type="hello"}'),
    ping: value(text, 'relay_messages_in_total{type="ping"}'),
    welcome: value(text, 'relay_messages_out_total{type="welcome"}'),
    snapshot: value(text, 'relay_messages_out_total{type="snapshot"}'),
    patch: value(text, 'relay_messages_out_total{type="patch"}'),
    pong: value(text, 'relay_messages_out_total{type="pong"}'),
    accepted: value(text, 'relay_changes_total{outcome="accepted"}'),
    duplicate: value(text, 'relay_changes_total{outcome="duplicate"}'),
    mismatch: value(text, 'relay_changes_total{outcome="mismatch"}'),
    badSignature: value(text, 'relay_rejections_total{reason="BAD_SIGNATURE"}'),
    hashMismatch: value(text, 'relay_rejections_total{reason="HASH_MISMATCH"}'),
    fannedOut: value(text, 'relay_publish_to_send_seconds_count'),
    appends: value(text, 'relay_store_seconds_count{op="append"}'),
  }).toEqual({
    connections: 1,
    followed: 1,
    hello: 1,
    ping: 1,
    welcome: 1,
    snapshot: 1,
    patch: 2,
    pong: 1,
    accepted: 2,
    duplicate: 1,
    mismatch: 1,
    badSignature: 1,
    hashMismatch: 1,
    fannedOut: 2,
    appends: 4,
  });
  await socket.close();
});
