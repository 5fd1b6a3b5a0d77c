// The relay's log as data: each request leaves one line with request id, channel, seq and outcome,
// and no line ever holds a secret, a subscribe token, a registration key, a signature or a cell value.

import { paths } from '../../shared/protocol/messages';
import { signRequest, subscribeToken } from '../../shared/protocol/signing';
import { subscribe } from '../helpers/ws-client';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { getStatus, ModelSheet, newChannel, postChange, register } from './support/relay-api';

const REGISTRATION_KEY = 'registration-key-never-logged-42';
let relay: InProcessRelay;

beforeAll(async () => {
  relay = await startInProcessRelay({ REGISTRATION_KEY, LOG_LEVEL: 'trace' });
});
afterAll(async () => {
  await relay?.close();
});

test('a committed change is logged once with request id, channel, seq and outcome', async () => {
  const channel = newChannel();
  await register(relay.url, channel, channel.secret, { registrationKey: REGISTRATION_KEY });
  const answer = await postChange(relay.url, channel, new ModelSheet().patch(1, 'T', 1, 1, [['x']]));
  const reqId = answer.headers.get('x-request-id');
  const lines = relay.logs.filter((entry) => entry.reqId === reqId && entry.msg === 'request');
  expect(lines).toEqual([
    expect.objectContaining({ level: 30, reqId, method: 'POST', route: '/v2/channels/:id/changes', channel: channel.channelId, status: 200, seq: 1, outcome: 'accepted-patch', ms: expect.any(Number) }),
  ]);
});

test('a refused request is logged with its error code', async () => {
  const channel = newChannel();
  await register(relay.url, channel, channel.secret, { registrationKey: REGISTRATION_KEY });
  const answer = await postChange(relay.url, channel, new ModelSheet().patch(1, 'T', 1, 1, [['x']]), { secret: newChannel().secret });
  const line = relay.logs.find((entry) => entry.reqId === answer.headers.get('x-request-id') && entry.msg === 'request');
  expect(line).toEqual(expect.objectContaining({ status: 401, code: 'BAD_SIGNATURE', outcome: 'refused', channel: channel.channelId }));
});

test('no log line holds a secret, token, registration key, signature or cell value, even at trace level', async () => {
  const channel = newChannel();
  const cellValue = 'CELL-VALUE-7f3a9c';
  const title = 'TITLE-VALUE-51e2';
  await register(relay.url, channel, channel.secret, { registrationKey: REGISTRATION_KEY });
  const { socket } = await subscribe(relay.url, channel.channelId, channel.token, { client: { name: 'File' } });
  await socket.nextOf('snapshot');
  const sheet = new ModelSheet();
  const change = sheet.patch(3, 'Colors', 1, 1, [['Name', 'Value'], ['brand', cellValue]], { title });
  const timestamp = Date.now();
  const answer = await postChange(relay.url, channel, change, { gzip: true, timestamp });
  const signature = signRequest(channel.secret, timestamp, 'POST', paths.changes(channel.channelId), JSON.stringify(change)).slice(3);
  await socket.nextOf('patch');
  await postChange(relay.url, channel, new ModelSheet().patch(3, 'Colors', 1, 1, [[cellValue, 'mismatch']]));
  socket.send({ type: 'applied', seq: 1, errors: [{ tab: 'Colors', cell: 'B2', severity: 'error', message: `bad ${cellValue}` }] });
  socket.send({ type: 'resync' });
  await socket.nextOf('snapshot');
  await getStatus(relay.url, channel);
  const rotated = newChannel().secret;
  await register(relay.url, channel, rotated, { signWith: channel.secret });
  await socket.closed;
  const stale = await subscribe(relay.url, channel.channelId, channel.token).catch((err: Error) => err);
  if (!(stale instanceof Error)) await stale.socket.closed;

  const text = relay.logText();
  expect(answer.status).toBe(200);
  expect(text).toContain(channel.channelId);
  const forbidden = {
    secret: channel.secret,
    rotatedSecret: rotated,
    token: channel.token,
    rotatedToken: subscribeToken(rotated, channel.channelId),
    registrationKey: REGISTRATION_KEY,
    signature,
    cellValue,
    title,
  };
  const found = Object.entries(forbidden).filter(([, value]) => text.includes(value)).map(([name]) => name);
  expect(found).toEqual([]);
});
