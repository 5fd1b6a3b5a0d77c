// Subscriber sockets over real WebSockets on loopback: the hello handshake, every close code the
// relay uses, the messages a client may send, and the upgrade's Origin rule.

import WebSocket from 'ws';
import { ERRORS } from '../../shared/protocol/errors';
import { PROTOCOL_VERSION } from '../../shared/protocol/limits';
import { openSocket, subscribe, tryOpenSocket, type TestSocket } from '../helpers/ws-client';
import { truncateReason } from '../../relay/socket-session';
import { startInProcessRelay, type InProcessRelay } from './support/in-process-relay';
import { getStatus, ModelSheet, newChannel, postChange, register, type TestChannel } from './support/relay-api';

let relay: InProcessRelay;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  relay = await startInProcessRelay({
    HELLO_TIMEOUT_MS: '300',
    MAX_MESSAGE_BYTES: '2048',
    MESSAGE_RATE: '1',
    MESSAGE_BURST: '5',
    MAX_SOCKETS_PER_CHANNEL: '3',
    ALLOWED_ORIGINS: 'https://sheets.example.com',
  });
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await relay?.close();
});

async function registered(): Promise<TestChannel> {
  const channel = newChannel();
  expect((await register(relay.url, channel, channel.secret)).status).toBe(201);
  return channel;
}

async function open(channelId: string, options: { origin?: string } = {}): Promise<TestSocket> {
  const socket = await openSocket(relay.url, channelId, options);
  sockets.push(socket);
  return socket;
}

async function subscribed(channel: TestChannel, options: Parameters<typeof subscribe>[3] = {}): Promise<Awaited<ReturnType<typeof subscribe>>> {
  const result = await subscribe(relay.url, channel.channelId, channel.token, options);
  sockets.push(result.socket);
  return result;
}

function closeOf(code: keyof typeof ERRORS): { code: number | undefined; reason: RegExp } {
  return { code: (ERRORS[code] as { closeCode?: number }).closeCode, reason: new RegExp(`^${code}`) };
}

async function expectClosed(socket: TestSocket, code: keyof typeof ERRORS, reason?: string): Promise<void> {
  const info = await socket.closed;
  const expected = closeOf(code);
  expect(info).toEqual({ code: expected.code, reason: reason ?? expect.stringMatching(expected.reason) });
}

describe('hello and welcome', () => {
  test('a hello with the right token gets welcome (recovery snapshot) and the snapshot of the empty grid', async () => {
    const channel = await registered();
    const { socket, welcome } = await subscribed(channel);
    expect(welcome).toEqual({ type: 'welcome', v: PROTOCOL_VERSION, channelId: channel.channelId, epoch: expect.any(String), seq: 0, recovery: 'snapshot' });
    expect(await socket.next()).toEqual({ type: 'snapshot', epoch: welcome.epoch, seq: 0, tabs: [], hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  test('a subscriber gets each committed change live as a patch carrying at and the hash', async () => {
    const channel = await registered();
    const { socket } = await subscribed(channel);
    await socket.nextOf('snapshot');
    const change = new ModelSheet().patch(3, 'Sizes', 1, 1, [['Name', 'Value'], ['gap', 8]], { at: 1_700_000_000_000 });
    const answer = await postChange(relay.url, channel, change);
    const { epoch } = answer.body as { epoch: string };
    expect(await socket.next()).toEqual({ type: 'patch', epoch, seq: 1, id: change.id, tabs: change.tabs, hash: change.hash, at: 1_700_000_000_000 });
  });

  test('a snapshot change goes out as a snapshot message with the title', async () => {
    const channel = await registered();
    const { socket } = await subscribed(channel);
    await socket.nextOf('snapshot');
    const change = new ModelSheet().snapshot([{ tabId: 5, name: 'Colors', values: [['Name', 'Value', ''], ['a', '#fff', '']] }], { title: 'Tokens', at: 1_700_000_000_001 });
    await postChange(relay.url, channel, change);
    expect(await socket.next()).toEqual({
      type: 'snapshot',
      epoch: expect.any(String),
      seq: 1,
      tabs: [{ tabId: 5, name: 'Colors', values: [['Name', 'Value'], ['a', '#fff']] }],
      hash: change.hash,
      at: 1_700_000_000_001,
      title: 'Tokens',
    });
  });

  test('a change without at is stamped with the time the relay received it', async () => {
    const channel = await registered();
    const { socket } = await subscribed(channel);
    await socket.nextOf('snapshot');
    const before = Date.now();
    await postChange(relay.url, channel, new ModelSheet().patch(1, 'T', 1, 1, [['a']]));
    const patch = await socket.nextOf('patch');
    expect(patch.at).toBeGreaterThanOrEqual(before);
    expect(patch.at).toBeLessThanOrEqual(Date.now());
  });

  test('ping is answered with pong', async () => {
    const channel = await registered();
    const { socket } = await subscribed(channel);
    await socket.nextOf('snapshot');
    socket.send({ type: 'ping' });
    expect(await socket.next()).toEqual({ type: 'pong' });
  });

  test('applied updates the client in the channel status, and a closed client leaves it', async () => {
    const channel = await registered();
    await postChange(relay.url, channel, new ModelSheet().patch(1, 'Colors', 1, 1, [['Name'], ['x']]));
    const { socket } = await subscribed(channel, { client: { name: 'Brand file', session: 's1' } });
    await socket.nextOf('snapshot');
    const problem = { tab: 'Colors', cell: 'B2', severity: 'error' as const, message: 'not a colour' };
    socket.send({ type: 'applied', seq: 1, errors: [problem], errorCount: 3, counts: { created: 1, updated: 0, unchanged: 0 }, at: 1_700_000_000_500 });
    socket.send({ type: 'ping' });
    await socket.nextOf('pong');
    const status = await getStatus(relay.url, channel);
    expect((status.body as { clients: unknown[] }).clients).toEqual([
      { id: expect.any(String), name: 'Brand file', connectedAt: expect.any(Number), appliedSeq: 1, appliedAt: 1_700_000_000_500, errors: [problem], errorCount: 3, counts: { created: 1, updated: 0, unchanged: 0 } },
    ]);
    const clientId = ((status.body as { clients: { id: string }[] }).clients[0]!).id;
    await socket.close();
    await relay.waitForLog((entry) => entry.msg === 'socket closed' && entry.socket === clientId);
    expect((await getStatus(relay.url, channel)).body).toEqual(expect.objectContaining({ clients: [] }));
  });
});

describe('refusals that close the socket', () => {
  test('no hello within HELLO_TIMEOUT_MS closes with 4408 HELLO_TIMEOUT', async () => {
    const channel = await registered();
    const socket = await open(channel.channelId);
    await expectClosed(socket, 'HELLO_TIMEOUT', 'HELLO_TIMEOUT');
  });

  test('a wrong token closes with 4401 BAD_TOKEN', async () => {
    const channel = await registered();
    const socket = await open(channel.channelId);
    socket.hello(newChannel().token);
    await expectClosed(socket, 'BAD_TOKEN', 'BAD_TOKEN');
  });

  test('an unregistered channel closes with 4404 UNKNOWN_CHANNEL', async () => {
    const channel = newChannel();
    const socket = await open(channel.channelId);
    socket.hello(channel.token);
    await expectClosed(socket, 'UNKNOWN_CHANNEL', 'UNKNOWN_CHANNEL');
  });

  test('a hello of another protocol version closes with 4426 UNSUPPORTED_VERSION', async () => {
    const channel = await registered();
    const socket = await open(channel.channelId);
    socket.send(JSON.stringify({ type: 'hello', v: 1, token: channel.token }));
    await expectClosed(socket, 'UNSUPPORTED_VERSION', 'UNSUPPORTED_VERSION: this relay speaks v2');
  });

  test('text that is not JSON closes with 4400 BAD_MESSAGE', async () => {
    const channel = await registered();
    const socket = await open(channel.channelId);
    socket.send('{"type":');
    await expectClosed(socket, 'BAD_MESSAGE');
  });

  test('a message of an unknown type closes with 4400 BAD_MESSAGE', async () => {
    const channel = await registered();
    const socket = await open(channel.channelId);
    socket.send(JSON.stringify({ type: 'subscribe', token: channel.token }));
    await expectClosed(socket, 'BAD_MESSAGE', 'BAD_MESSAGE: type must be "hello", "applied", "ping", "resync" or "offer"');
  });

  test('a first message other than hello closes with 4400 BAD_MESSAGE', async () => {
    const channel = await registered();
    const socket = await open(channel.channelId);
    socket.send({ type: 'ping' });
    await expectClosed(socket, 'BAD_MESSAGE', 'BAD_MESSAGE: the first message must be hello');
  });

  test('a second hello closes with 4400 BAD_MESSAGE', async () => {
    const channel = await registered();
    const { socket } = await subscribed(channel);
    socket.hello(channel.token);
    await expectClosed(socket, 'BAD_MESSAGE', 'BAD_MESSAGE: hello was already received');
  });

  test('a binary frame closes with 4400 BAD_MESSAGE', async () => {
    const channel = await registered();
    const socket = await open(channel.channelId);
    socket.ws.send(Buffer.from('{"type":"ping"}'), { binary: true });
    await expectClosed(socket, 'BAD_MESSAGE', 'BAD_MESSAGE: send JSON text frames');
  });

  test('a message over MAX_MESSAGE_BYTES closes with 4413 MESSAGE_TOO_BIG', async () => {
    const channel = await registered();
    const socket = await open(channel.channelId);
    socket.send(JSON.stringify({ type: 'hello', v: 2, token: channel.token, pad: 'x'.repeat(3000) }));
    await expectClosed(socket, 'MESSAGE_TOO_BIG', 'MESSAGE_TOO_BIG: limit is 2048 bytes');
  });

  test('messages past the burst close with 4429 RATE_LIMITED', async () => {
    const channel = await registered();
    const { socket } = await subscribed(channel);
    for (let i = 0; i < 10; i++) socket.send({ type: 'ping' });
    await expectClosed(socket, 'RATE_LIMITED', 'RATE_LIMITED: more than 5 messages at once');
  });

  test('a socket past MAX_SOCKETS_PER_CHANNEL closes with 4430 TOO_MANY_SOCKETS, and other channels still open', async () => {
    const channel = await registered();
    for (let i = 0; i < 3; i++) await subscribed(channel);
    const extra = await open(channel.channelId);
    extra.hello(channel.token);
    await expectClosed(extra, 'TOO_MANY_SOCKETS', 'TOO_MANY_SOCKETS: limit is 3 per channel');
    const other = await registered();
    const { welcome } = await subscribed(other);
    expect(welcome.type).toBe('welcome');
  });

  test('rotating the secret closes open sockets with 4403 TOKEN_REVOKED', async () => {
    const channel = await registered();
    const { socket } = await subscribed(channel);
    await socket.nextOf('snapshot');
    expect((await register(relay.url, channel, newChannel().secret, { signWith: channel.secret })).status).toBe(200);
    await expectClosed(socket, 'TOKEN_REVOKED', 'TOKEN_REVOKED');
  });

  test('a hello with a token revoked by a rotation closes with 4403 TOKEN_REVOKED, and the new token works', async () => {
    const channel = await registered();
    const rotated = newChannel();
    await register(relay.url, channel, rotated.secret, { signWith: channel.secret });
    const socket = await open(channel.channelId);
    socket.hello(channel.token);
    await expectClosed(socket, 'TOKEN_REVOKED', 'TOKEN_REVOKED');
    const { subscribeToken } = await import('../../shared/protocol/signing');
    const { welcome } = await subscribed({ ...channel, secret: rotated.secret, token: subscribeToken(rotated.secret, channel.channelId) });
    expect(welcome.recovery).toBe('snapshot');
  });

  test('a socket refused for one channel does not disturb a subscriber of another', async () => {
    const quiet = await registered();
    const { socket } = await subscribed(quiet);
    await socket.nextOf('snapshot');
    const noisy = await registered();
    const bad = await open(noisy.channelId);
    bad.send('garbage');
    await bad.closed;
    socket.send({ type: 'ping' });
    expect(await socket.next()).toEqual({ type: 'pong' });
  });
});

describe('resync', () => {
  let prompt: InProcessRelay;
  let paced: InProcessRelay;
  beforeAll(async () => {
    prompt = await startInProcessRelay({ RESYNC_INTERVAL_MS: '0' });
    paced = await startInProcessRelay({ RESYNC_INTERVAL_MS: '400' });
  });
  afterAll(async () => {
    await prompt?.close();
    await paced?.close();
  });

  async function channelOn(on: InProcessRelay): Promise<{ channel: TestChannel; sheet: ModelSheet; socket: TestSocket }> {
    const channel = newChannel();
    expect((await register(on.url, channel, channel.secret)).status).toBe(201);
    const sheet = new ModelSheet();
    expect((await postChange(on.url, channel, sheet.patch(1, 'T', 1, 1, [['a', 'b', '']]))).status).toBe(200);
    const { socket } = await subscribe(on.url, channel.channelId, channel.token);
    sockets.push(socket);
    await socket.nextOf('snapshot');
    return { channel, sheet, socket };
  }

  const resyncs = async (on: InProcessRelay, answer: string): Promise<number> => {
    const text = (await (await fetch(`${on.url}/metrics`)).text()).match(new RegExp(`^relay_resyncs_total\\{answer="${answer}"\\} (\\d+)`, 'm'));
    return Number(text?.[1] ?? 0);
  };

  test('a resync after a patch is answered with a snapshot of the current grid (and no second welcome), its rows trimmed', async () => {
    const { channel, sheet, socket } = await channelOn(prompt);
    const patch = sheet.patch(1, 'T', 2, 1, [['c']]);
    await postChange(prompt.url, channel, patch);
    await socket.nextOf('patch');
    socket.send({ type: 'resync' });
    expect(await socket.next()).toEqual({ type: 'snapshot', epoch: expect.any(String), seq: 2, tabs: [{ tabId: 1, name: 'T', values: [['a', 'b'], ['c']] }], hash: patch.hash, at: expect.any(Number) });
  });

  test('a resync from a socket that already holds the current snapshot is answered with nothing', async () => {
    const { channel, sheet, socket } = await channelOn(prompt);
    const before = await resyncs(prompt, 'current');
    socket.send({ type: 'resync' });
    socket.send({ type: 'ping' });
    expect(await socket.next()).toEqual({ type: 'pong' });
    expect(await resyncs(prompt, 'current')).toBe(before + 1);
    // The next change is the next message: no snapshot was sent in between.
    await postChange(prompt.url, channel, sheet.patch(1, 'T', 3, 1, [['d']]));
    expect(await socket.next()).toEqual(expect.objectContaining({ type: 'patch', seq: 2 }));
  });

  test('resyncs within RESYNC_INTERVAL_MS wait and are answered once, with the grid current by then', async () => {
    const { channel, sheet, socket } = await channelOn(paced);
    await postChange(paced.url, channel, sheet.patch(1, 'T', 2, 1, [['c']]));
    await socket.nextOf('patch');
    const delayed = await resyncs(paced, 'delayed');
    for (let i = 0; i < 5; i++) socket.send({ type: 'resync' });
    const late = sheet.patch(1, 'T', 3, 1, [['e']]);
    await postChange(paced.url, channel, late);
    const next = await socket.next();
    // The patch may come before the answer; the one snapshot covers it either way.
    const snapshot = next.type === 'patch' ? await socket.next() : next;
    expect(snapshot).toEqual(expect.objectContaining({ type: 'snapshot', seq: 3, hash: late.hash }));
    expect(await resyncs(paced, 'delayed')).toBeGreaterThanOrEqual(delayed + 5);
    await postChange(paced.url, channel, sheet.patch(1, 'T', 4, 1, [['f']]));
    expect(await socket.next()).toEqual(expect.objectContaining({ type: 'patch', seq: 4 }));
  });
});

describe('slow consumers and dead sockets', () => {
  let tight: InProcessRelay;
  let beating: InProcessRelay;
  beforeAll(async () => {
    tight = await startInProcessRelay({ MAX_BODY_BYTES: '65536', SLOW_CONSUMER_BYTES: '131072', REQUEST_RATE: '1000', REQUEST_BURST: '1000' });
    beating = await startInProcessRelay({ HEARTBEAT_MS: '100' });
  });
  afterAll(async () => {
    await tight?.close();
    await beating?.close();
  });

  test('a subscriber that stops reading is closed with 4431 SLOW_CONSUMER once its backlog passes the limit', async () => {
    const channel = newChannel();
    await register(tight.url, channel, channel.secret);
    const { socket } = await subscribe(tight.url, channel.channelId, channel.token);
    sockets.push(socket);
    await socket.nextOf('snapshot');
    socket.ws.pause();
    const sheet = new ModelSheet();
    let closed = false;
    void socket.closed.then(() => (closed = true));
    // Each snapshot is ~60 KB; the kernel buffers some, then the relay's backlog grows past 128 KB.
    for (let i = 0; i < 200 && !closed; i++) {
      const row = Array.from({ length: 6 }, (_, c) => `${i}:${c}`.padEnd(10_000, 'x'));
      const answer = await postChange(tight.url, channel, sheet.snapshot([{ tabId: 1, name: 'T', values: [row] }]));
      expect(answer.status).toBe(200);
      if (i % 10 === 9) await new Promise((r) => setImmediate(r));
      if (tight.logs.some((l) => l.code === 'SLOW_CONSUMER')) break;
    }
    socket.ws.resume();
    await expectClosed(socket, 'SLOW_CONSUMER', 'SLOW_CONSUMER: more than 131072 bytes were waiting');
  });

  test('past OUTGOING_BUFFER_BYTES across sockets the stalled ones are closed with 4431, and a reading one stays', async () => {
    const budget = await startInProcessRelay({ MAX_BODY_BYTES: '65536', OUTGOING_BUFFER_BYTES: '1048576', SLOW_CONSUMER_BYTES: '67108864', REQUEST_RATE: '1000', REQUEST_BURST: '1000' });
    try {
      const channel = newChannel();
      await register(budget.url, channel, channel.secret);
      const open = async (): Promise<TestSocket> => {
        const { socket } = await subscribe(budget.url, channel.channelId, channel.token);
        sockets.push(socket);
        await socket.nextOf('snapshot');
        return socket;
      };
      const [first, second, reader] = [await open(), await open(), await open()];
      const sheet = new ModelSheet();
      first.ws.pause();
      second.ws.pause();
      // Each snapshot is ~60 KB and a new buffer (shared by the three sockets); the kernel takes some,
      // then the stalled sockets' queues hold more and more distinct snapshots, past 1 MB in total.
      const dropped = () => budget.logs.filter((l) => l.code === 'SLOW_CONSUMER').length;
      for (let i = 0; i < 400 && dropped() < 2; i++) {
        const row = Array.from({ length: 6 }, (_, c) => `${i}:${c}`.padEnd(10_000, 'x'));
        expect((await postChange(budget.url, channel, sheet.snapshot([{ tabId: 1, name: 'T', values: [row] }]))).status).toBe(200);
        if (i % 10 === 9) await new Promise((r) => setImmediate(r));
      }
      first.ws.resume();
      second.ws.resume();
      // The close frame (4431) waits behind the unread data; a client still that far behind when the
      // relay cuts it (a moment later, to free the memory) sees 1006. Either way it reconnects with since.
      const closes = await Promise.all([first.closed, second.closed]);
      for (const close of closes) expect([4431, 1006]).toContain(close.code);
      expect(budget.logs.filter((l) => l.code === 'SLOW_CONSUMER').map((l) => String(l.detail))).toEqual([expect.stringMatching(/outgoing buffer \(1048576 bytes/), expect.stringMatching(/outgoing buffer/)]);
      const last = sheet.patch(1, 'T', 2, 1, [['end']]);
      await postChange(budget.url, channel, last);
      expect(await reader.waitFor((m) => m.type === 'patch', 10_000)).toEqual(expect.objectContaining({ hash: last.hash }));
    } finally {
      await budget.close();
    }
  });

  test('a socket that does not answer pings is dropped by the heartbeat', async () => {
    const channel = newChannel();
    await register(beating.url, channel, channel.secret);
    const ws = new WebSocket(`${beating.url.replace('http', 'ws')}/v2/channels/${channel.channelId}/socket`, { autoPong: false });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'hello', v: 2, token: channel.token }));
    // 1006: the relay terminated the connection without a close frame.
    expect(await closed).toBe(1006);
    expect(beating.logs.some((l) => l.msg === 'socket missed a pong; dropped' && l.channel === channel.channelId)).toBe(true);
  });
});

describe('Origin at the upgrade', () => {
  test('Origin null (the Figma plugin iframe) is accepted', async () => {
    const channel = await registered();
    const socket = await open(channel.channelId, { origin: 'null' });
    socket.hello(channel.token);
    expect((await socket.next()).type).toBe('welcome');
  });

  test('no Origin (a non-browser client) is accepted', async () => {
    const channel = await registered();
    const socket = await open(channel.channelId);
    socket.hello(channel.token);
    expect((await socket.next()).type).toBe('welcome');
  });

  test('an Origin listed in ALLOWED_ORIGINS is accepted', async () => {
    const channel = await registered();
    const socket = await open(channel.channelId, { origin: 'https://sheets.example.com' });
    socket.hello(channel.token);
    expect((await socket.next()).type).toBe('welcome');
  });

  test('an Origin not listed is refused at the upgrade with 403 BAD_ORIGIN', async () => {
    const channel = await registered();
    const result = await tryOpenSocket(relay.url, channel.channelId, { origin: 'https://evil.example.com' });
    expect(result).toEqual({
      refused: true,
      status: 403,
      body: { error: { code: 'BAD_ORIGIN', message: ERRORS.BAD_ORIGIN.message, detail: 'Origin https://evil.example.com is not in ALLOWED_ORIGINS' } },
    });
  });

  test('ALLOWED_ORIGINS=* accepts any Origin', async () => {
    const open = await startInProcessRelay({ ALLOWED_ORIGINS: '*' });
    try {
      const channel = newChannel();
      await register(open.url, channel, channel.secret);
      const result = await tryOpenSocket(open.url, channel.channelId, { origin: 'https://anything.example.org' });
      expect('refused' in result).toBe(false);
      if (!('refused' in result)) await result.close();
    } finally {
      await open.close();
    }
  });

  test('an upgrade on a path that is not a channel socket is refused with 404 NOT_FOUND', async () => {
    const ws = new WebSocket(`${relay.url.replace('http', 'ws')}/v2/elsewhere`);
    ws.on('error', () => undefined);
    const status = await new Promise<number>((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('opened')));
    });
    ws.terminate();
    expect(status).toBe(404);
  });
});

describe('a message naming a huge unknown field', () => {
  let roomy: InProcessRelay;
  beforeAll(async () => {
    roomy = await startInProcessRelay({ MAX_MESSAGE_BYTES: '300000' });
  });
  afterAll(async () => {
    await roomy?.close();
  });

  test('closes with 4400 BAD_MESSAGE naming 40 characters of the field, and logs a short detail', async () => {
    const channel = newChannel();
    expect((await register(roomy.url, channel, channel.secret)).status).toBe(201);
    const socket = await openSocket(roomy.url, channel.channelId);
    sockets.push(socket);
    socket.send(`{"type":"ping","${'k'.repeat(250_000)}":1}`);
    await expectClosed(socket, 'BAD_MESSAGE', `BAD_MESSAGE: ${'k'.repeat(40)}… is not a known field`);
    const entry = await roomy.waitForLog((e) => e.msg === 'socket closed by relay' && e.channel === channel.channelId);
    expect(entry).toMatchObject({ code: 'BAD_MESSAGE', closeCode: 4400, detail: `${'k'.repeat(40)}… is not a known field` });
  });

  test('text that is not JSON is logged as "not valid JSON", without the bytes V8 quotes', async () => {
    const channel = newChannel();
    expect((await register(roomy.url, channel, channel.secret)).status).toBe(201);
    const socket = await openSocket(roomy.url, channel.channelId);
    sockets.push(socket);
    socket.send('{"type":"hello","token":"secret-part-of-a-token');
    await expectClosed(socket, 'BAD_MESSAGE', 'BAD_MESSAGE: not valid JSON');
    const entry = await roomy.waitForLog((e) => e.msg === 'socket closed by relay' && e.detail === 'not valid JSON');
    expect(entry).toMatchObject({ code: 'BAD_MESSAGE', closeCode: 4400, channel: channel.channelId });
    expect(roomy.logText()).not.toContain('secret-part-of-a-token');
  });
});

describe('truncateReason', () => {
  test('keeps a reason of at most 123 bytes as it is', () => {
    expect(truncateReason('BAD_MESSAGE: x')).toBe('BAD_MESSAGE: x');
    expect(truncateReason('a'.repeat(123))).toBe('a'.repeat(123));
  });

  test('cuts a long reason to 123 bytes', () => {
    expect(truncateReason('a'.repeat(250_000))).toBe('a'.repeat(123));
  });

  test('drops a character the 123-byte cut would split', () => {
    // 122 one-byte characters then "é" (2 bytes): byte 123 is the first half of "é".
    expect(truncateReason(`${'a'.repeat(122)}é${'b'.repeat(10)}`)).toBe('a'.repeat(122));
    // 121 + "€" (3 bytes) splits after its second byte.
    expect(truncateReason(`${'a'.repeat(121)}€`)).toBe('a'.repeat(121));
    expect(truncateReason(`${'a'.repeat(120)}€€`)).toBe(`${'a'.repeat(120)}€`);
  });

  test('drops an emoji whose surrogate pair the character cut would split', () => {
    expect(truncateReason(`${'a'.repeat(122)}😀`)).toBe('a'.repeat(122));
  });
});
