// The relay as a real process (dist/relay/main.js): --help, a bad setting, graceful SIGTERM/SIGINT,
// and durability across kill -9 (every acknowledged change is there after a restart).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SETTINGS } from '../../relay/settings';
import { paths, type ChangeAccepted, type ServerMessage } from '../../shared/protocol/messages';
import { RELAY_MAIN, startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { subscribe, type TestSocket } from '../helpers/ws-client';
import { getJson, getStatus, ModelSheet, newChannel, postChange, register, signedHeaders } from './support/relay-api';

const relays: RelayProcess[] = [];
const sockets: TestSocket[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await Promise.all(relays.splice(0).map((r) => r.stop('SIGKILL')));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<RelayProcess> {
  const relay = await startRelayProcess(env);
  relays.push(relay);
  return relay;
}

function run(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [RELAY_MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 10_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('--help lists every setting with its default and exits 0', () => {
  const { status, stdout } = run(['--help'], {});
  expect(status).toBe(0);
  for (const setting of SETTINGS) expect(stdout).toMatch(new RegExp(`^  ${setting.env} +${(setting.fallback || '(unset)').replace(/[.()*]/g, '\\$&')} +`, 'm'));
});

test('a bad setting stops start-up with exit 1 and one line naming the variable and what would work', () => {
  const { status, stdout, stderr } = run([], { PORT: 'eighty' });
  expect({ status, stdout, stderr }).toEqual({ status: 1, stdout: '', stderr: 'relay: PORT="eighty" is not valid: use a whole number from 0 to 65535, e.g. 8787.\n' });
});

test('on a public address without REGISTRATION_KEY or OPEN_REGISTRATION=yes the relay exits 1 with one line naming them', () => {
  const { status, stdout, stderr } = run([], { HOST: '0.0.0.0', PORT: '0' });
  expect({ status, stdout, stderr }).toEqual({
    status: 1,
    stdout: '',
    stderr:
      'relay: HOST=0.0.0.0 is not a loopback address and REGISTRATION_KEY is unset, so anyone who reaches the relay could register channels and store data: set REGISTRATION_KEY (and build the add-on with it), or OPEN_REGISTRATION=yes to allow that knowingly.\n',
  });
});

test('on listening the relay logs one JSON line with msg "listening" and its actual URL', async () => {
  const relay = await start();
  const line = relay.logs.find((entry) => entry.msg === 'listening')!;
  expect({ msg: line.msg, url: line.url, store: line.store }).toEqual({ msg: 'listening', url: `http://127.0.0.1:${relay.port}`, store: 'sqlite' });
  expect(relay.port).toBeGreaterThan(0);
});

test('/metrics of a relay process includes Node process metrics', async () => {
  const relay = await start();
  const text = (await getJson(`${relay.url}/metrics`)).body as string;
  for (const name of ['process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'relay_connections']) expect(text).toContain(`# TYPE ${name} `);
});

test('SIGTERM finishes the request in flight, closes sockets with 1012 after the change went out, and exits 0', async () => {
  const relay = await start({ LOG_LEVEL: 'debug' });
  const channel = newChannel();
  await register(relay.url, channel, channel.secret);
  const { socket } = await subscribe(relay.url, channel.channelId, channel.token);
  await socket.nextOf('snapshot');

  // A POST whose body is still arriving when the signal comes.
  const change = new ModelSheet().patch(1, 'T', 1, 1, [['in flight']]);
  const text = JSON.stringify(change);
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...signedHeaders(channel.secret, 'POST', paths.changes(channel.channelId), text) };
  const url = new URL(relay.url + paths.changes(channel.channelId));
  const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  req.write(text.slice(0, 10));
  await relay.waitForLog((entry) => entry.msg === 'request started' && entry.method === 'POST');

  const started = Date.now();
  relay.child.kill('SIGTERM');
  await relay.waitForLog((entry) => entry.msg === 'shutting down');
  req.end(text.slice(10));

  const { status, body } = await answer;
  expect({ status, body: JSON.parse(body) as ChangeAccepted }).toEqual({ status: 200, body: { epoch: expect.any(String), seq: 1, hash: change.hash } });
  expect(await socket.next()).toEqual(expect.objectContaining({ type: 'patch', seq: 1, id: change.id }));
  expect(await socket.closed).toEqual({ code: 1012, reason: 'SHUTTING_DOWN' });
  expect(await relay.exited).toBe(0);
  expect(Date.now() - started).toBeLessThan(5000);
});

test('SIGINT (Ctrl-C) shuts down the same way and exits 0', async () => {
  const relay = await start();
  const channel = newChannel();
  await register(relay.url, channel, channel.secret);
  const { socket } = await subscribe(relay.url, channel.channelId, channel.token);
  relay.child.kill('SIGINT');
  expect(await socket.closed).toEqual({ code: 1012, reason: 'SHUTTING_DOWN' });
  expect(await relay.exited).toBe(0);
});

test('after kill -9 mid-stream, every acknowledged change is there, seq continues and a subscriber with since catches up exactly', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-kill9-'));
  dirs.push(dataDir);
  const first = await start({ DATA_DIR: dataDir, REQUEST_RATE: '100000', REQUEST_BURST: '100000' });
  const channel = newChannel();
  const epoch = ((await register(first.url, channel, channel.secret)).body as { epoch: string }).epoch;
  const live = await subscribe(first.url, channel.channelId, channel.token);
  await live.socket.nextOf('snapshot');

  const sheet = new ModelSheet();
  const acknowledged: { id: string; accepted: ChangeAccepted }[] = [];
  const killAt = 40;
  let killed: Promise<void> | undefined;
  // Publish as fast as the relay acknowledges; kill -9 while the next request is already on its way.
  for (let i = 1; i <= 500; i++) {
    const change = sheet.patch(1, 'T', 1 + (i % 13), 1 + (i % 3), [[`value ${i}`]]);
    const pending = postChange(first.url, channel, change);
    if (acknowledged.length === killAt) killed = first.kill();
    try {
      const answer = await pending;
      if (answer.status !== 200) break;
      acknowledged.push({ id: change.id, accepted: answer.body as ChangeAccepted });
    } catch {
      break;
    }
  }
  await killed;
  expect(acknowledged.length).toBeGreaterThanOrEqual(killAt);
  expect(acknowledged.map((a) => a.accepted.seq)).toEqual(Array.from({ length: acknowledged.length }, (_, k) => k + 1));
  await live.socket.closed;
  const livePosition = live.socket.position()!;

  const second = await start({ DATA_DIR: dataDir });
  const status = (await getStatus(second.url, channel)).body as { seq: number; epoch: string };
  const last = acknowledged[acknowledged.length - 1]!.accepted;
  expect(status.epoch).toBe(epoch);
  // The request in flight at the kill may or may not have been committed; nothing acknowledged is lost.
  expect(status.seq - last.seq).toBeGreaterThanOrEqual(0);
  expect(status.seq - last.seq).toBeLessThanOrEqual(1);

  // Every acknowledged change is still known by its id, with its original seq and hash.
  for (const { id, accepted } of acknowledged.slice(-10)) {
    const retry = sheet.patch(1, 'T', 1, 1, [['ignored']], { id });
    expect((await postChange(second.url, channel, retry)).body).toEqual({ ...accepted, duplicate: true });
  }

  // The live subscriber reconnects with since and gets exactly what it missed.
  const back = await subscribe(second.url, channel.channelId, channel.token, { since: livePosition });
  sockets.push(back.socket);
  expect(back.welcome.recovery).toBe(livePosition.seq === status.seq ? 'current' : 'patches');
  const missed: ServerMessage[] = [];
  while (missed.length < status.seq - livePosition.seq) missed.push(await back.socket.next());
  const byId = new Map(acknowledged.map((a) => [a.accepted.seq, a.id]));
  for (const [k, message] of missed.entries()) {
    expect(message).toEqual(expect.objectContaining({ type: 'patch', seq: livePosition.seq + 1 + k }));
    const expectedId = byId.get(livePosition.seq + 1 + k);
    if (expectedId) expect((message as { id: string }).id).toBe(expectedId);
  }

  // A subscriber that stood at seq 10 gets patches 11… in order, each the acknowledged change of its seq.
  const behind = await subscribe(second.url, channel.channelId, channel.token, { since: { epoch, seq: 10 } });
  sockets.push(behind.socket);
  expect(behind.welcome).toEqual({ type: 'welcome', v: 2, channelId: channel.channelId, epoch, seq: status.seq, recovery: 'patches' });
  const caughtUp = (await behind.socket.take(status.seq - 10)).map((m) => (m.type === 'patch' ? [m.seq, m.id] : [m.type]));
  expect(caughtUp.slice(0, acknowledged.length - 10)).toEqual(acknowledged.slice(10).map((a) => [a.accepted.seq, a.id]));

  // Seq continues after the restart.
  const snapshot = sheet.fullSnapshot();
  expect((await postChange(second.url, channel, snapshot)).body).toEqual({ epoch, seq: status.seq + 1, hash: snapshot.hash });
  expect(await back.socket.next()).toEqual(expect.objectContaining({ type: 'snapshot', seq: status.seq + 1 }));
});
