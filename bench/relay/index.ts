// Relay benchmark: the relay (dist/relay/main.js, default settings) against a bare `ws` broadcast
// server written here (the floor), each in its own process, driven by this process.
//   1. 1 channel × 500 subscribers and 2. 100 channels × 5 subscribers, 200 publishes/s for a few
//      seconds: publish-to-receive latency p50/p99 and deliveries per second.
//   3. memory per idle socket at 5,000 sockets (server RSS growth / sockets).
//   4. the cost of a change on a ~4.3 MB grid: the relay's main-thread CPU per one-cell patch and per
//      wrong-hash patch, beside what every change cost before (the whole grid serialised and hashed).
// Run: node bench/run.mjs relay [--seconds 3] [--rounds 2] [--sockets 5000] [--only 1|100|memory|cost].
//      node bench/run.mjs relay --tokens [--seconds 10] [--rate 100]   (tokens-polling.ts: /tokens polled with ETags)
// Prints each figure and relay/floor.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import type WebSocket from 'ws';
import { changeCostScenario, type ChangeCost } from './change-cost';
import { openRawSubscriber, type RawSubscriber } from './raw-subscriber';
import { tokensPolling } from './tokens-polling';
import { gridHash } from '../../shared/protocol/canonical-hash';
import { channelIdForClaim } from '../../shared/protocol/channel-claim';
import { listeningUrl, startRelayChild } from '../../test/helpers/relay-child';
import { applyChange, emptyGrid, type Grid } from '../../shared/protocol/grid';
import { paths, type Change } from '../../shared/protocol/messages';
import { signRequest, subscribeToken } from '../../shared/protocol/signing';

// bench/run.mjs runs the bundle from a temp folder with the repository root as the working directory;
// externals such as ws are not found from the temp folder, so they are required from the root.
const ROOT = process.cwd();
const requireFromRoot = createRequire(join(ROOT, 'package.json'));
const { WebSocketServer } = requireFromRoot('ws') as typeof import('ws');
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

// ------------------------------------------------------------------------------------------------
// The floor: a bare ws broadcast server. POST /publish/:channel answers 200, then sends the body to
// every socket of that channel; sockets subscribe by path (/sub/:channel), no hello, no history.

function runFloor(): void {
  const channels = new Map<string, Set<WebSocket>>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      const channel = (req.url ?? '').split('/')[2] ?? '';
      for (const ws of channels.get(channel) ?? []) ws.send(body, { binary: false });
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const channel = (req.url ?? '').split('/')[2] ?? '';
    wss.handleUpgrade(req, socket, head, (ws) => {
      let set = channels.get(channel);
      if (!set) channels.set(channel, (set = new Set()));
      set.add(ws);
      ws.on('close', () => set.delete(ws));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${port}` })}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
}

// ------------------------------------------------------------------------------------------------
// Servers under test

interface Target {
  name: 'relay' | 'floor';
  url: string;
  child: ChildProcess;
  /** Prepares channels; returns what publishing and subscribing need. */
  setup(channelCount: number): Promise<BenchChannel[]>;
  subscribeUrl(channel: BenchChannel): string;
  /** The first message a subscriber sends (the relay's hello), if any. */
  hello(channel: BenchChannel): string | undefined;
  /** Messages a new subscriber receives before live changes (welcome + snapshot on the relay). */
  handshakeFrames: number;
  publishPath(channel: BenchChannel): string;
}

interface BenchChannel {
  id: string;
  secret: string;
  grid: Grid;
  next: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function httpCall(url: string, method: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolveCall, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent }, (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolveCall({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function newBenchChannel(i: number): BenchChannel & { claim: string } {
  // The relay registers only ids derived from their claim (shared/protocol/channel-claim.ts).
  const claim = Buffer.from(`bench claim ${i} ${process.pid} `.padEnd(40, 'x')).toString('base64url');
  const secret = Buffer.from(`bench secret ${i} ${process.pid} `.padEnd(40, 'x')).toString('base64url');
  return { id: channelIdForClaim(claim), secret, grid: emptyGrid(), next: 0, claim };
}

async function startRelay(): Promise<Target> {
  // Every bench client comes from 127.0.0.1: the limits per client address are raised out of the way,
  // and MAX_CONNECTIONS too (the memory scenario holds more sockets than its default of 5,000).
  const relay = await startRelayChild({ env: { REQUEST_RATE: '100000', REQUEST_BURST: '100000', MAX_SOCKETS_PER_CHANNEL: '1000', MAX_CONNECTIONS: '100000' } });
  // Stopped by a signal (stopTarget): its temporary DATA_DIR goes with it.
  relay.child.once('exit', () => void relay.stop());
  const { url, child } = relay;
  return {
    name: 'relay',
    url,
    child,
    async setup(count) {
      const channels = Array.from({ length: count }, (_, i) => newBenchChannel(i));
      for (const channel of channels) {
        const answer = await httpCall(url + paths.channel(channel.id), 'PUT', { 'content-type': 'application/json' }, JSON.stringify({ secret: channel.secret, claim: channel.claim }));
        if (answer.status !== 201) throw new Error(`register answered ${answer.status} ${answer.text}`);
      }
      return channels;
    },
    subscribeUrl: (channel) => `${url.replace('http', 'ws')}${paths.socket(channel.id)}`,
    hello: (channel) => JSON.stringify({ type: 'hello', v: 2, token: subscribeToken(channel.secret, channel.id) }),
    handshakeFrames: 2,
    publishPath: (channel) => paths.changes(channel.id),
  };
}

async function startFloor(): Promise<Target> {
  const child = spawn(process.execPath, [process.argv[1]!, 'floor'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await listeningUrl(child);
  return {
    name: 'floor',
    url,
    child,
    setup: async (count) => Array.from({ length: count }, (_, i) => newBenchChannel(i)),
    subscribeUrl: (channel) => `${url.replace('http', 'ws')}/sub/${channel.id}`,
    hello: () => undefined,
    handshakeFrames: 0,
    publishPath: (channel) => `/publish/${channel.id}`,
  };
}

async function stop(target: Target): Promise<void> {
  const exited = new Promise((r) => target.child.once('exit', r));
  target.child.kill('SIGTERM');
  await exited;
}

// ------------------------------------------------------------------------------------------------
// Subscribers and publishing

const ID_KEY = Buffer.from('"id":"');
const QUOTE = 0x22;

async function openSubscribers(target: Target, channels: BenchChannel[], perChannel: number, onId: (id: string) => void): Promise<RawSubscriber[]> {
  const subscribers: RawSubscriber[] = [];
  const jobs: (() => Promise<void>)[] = [];
  for (const channel of channels) {
    for (let i = 0; i < perChannel; i++) {
      jobs.push(async () => {
        let handshake = target.handshakeFrames;
        let ready: () => void = () => undefined;
        const subscribed = new Promise<void>((r) => (ready = r));
        if (handshake === 0) ready();
        const subscriber = await openRawSubscriber(target.subscribeUrl(channel), (payload) => {
          if (handshake > 0) {
            if (--handshake === 0) ready();
            return;
          }
          // The change id is the first "id" in both the relay's patch message and the floor's raw change.
          const at = payload.indexOf(ID_KEY);
          if (at >= 0) onId(payload.toString('latin1', at + ID_KEY.length, payload.indexOf(QUOTE, at + ID_KEY.length)));
        });
        const hello = target.hello(channel);
        if (hello) subscriber.send(hello);
        await subscribed;
        subscribers.push(subscriber);
      });
    }
  }
  await runLimited(jobs, 100);
  return subscribers;
}

async function runLimited(jobs: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}

async function closeAll(subscribers: RawSubscriber[]): Promise<void> {
  for (const s of subscribers) s.close();
  await Promise.all(subscribers.map((s) => s.closed));
}

/** One publish, prepared ahead so the timed loop only sends. */
interface Publish {
  channel: BenchChannel;
  id: string;
  body: string;
  headers: Record<string, string>;
}

function preparePublishes(target: Target, channels: BenchChannel[], count: number): Publish[] {
  const out: Publish[] = [];
  const timestamp = Date.now();
  for (let i = 0; i < count; i++) {
    const channel = channels[i % channels.length]!;
    channel.next += 1;
    const n = channel.next;
    // A token sheet: 50 rows of name + colour; each publish changes one colour.
    const tabs: Change['tabs'] =
      n === 1
        ? [{ tabId: 0, name: 'Colors', ranges: [{ row: 1, col: 1, values: [['Name', 'Value'], ...Array.from({ length: 50 }, (_, r) => [`color/token-${r}`, '#000000'])] }] }]
        : [{ tabId: 0, name: 'Colors', ranges: [{ row: 2 + (n % 50), col: 2, values: [[`#${(n * 2654435761 % 0xffffff).toString(16).padStart(6, '0')}`]] }] }];
    channel.grid = applyChange(channel.grid, { kind: 'patch', tabs });
    const id = `${channel.id.slice(-10)}-${n}`;
    const change: Change = { v: 2, id, kind: 'patch', tabs, hash: gridHash(channel.grid) };
    const body = JSON.stringify(change);
    const path = target.publishPath(channel);
    out.push({ channel, id, body, headers: { 'content-type': 'application/json', 'x-sync-timestamp': String(timestamp), 'x-sync-signature': signRequest(channel.secret, timestamp, 'POST', path, body) } });
  }
  return out;
}

interface Run {
  /** The relay's own view (from /metrics): event-loop lag max and store append time, ms. */
  relayLoopLagMax?: number;
  /** CPU seconds per wall second during the measured run: the server's and this client's. */
  serverCpu: number;
  clientCpu: number;
  deliveriesPerSecond: number;
  p50: number;
  p99: number;
  delivered: number;
  expected: number;
  publishErrors: number;
}

/**
 * Sends the publishes at `rate` per second, one request in flight per channel (a sheet sends its
 * changes in order), and measures publish-to-receive for every delivery.
 */
async function publishAtRate(
  target: Target,
  publishes: Publish[],
  rate: number,
  subscribersPerChannel: number,
  sentAt: Map<string, number>,
  latencies: number[],
  received: { count: number; last: number } | undefined,
): Promise<Run | undefined> {
  const interval = 1000 / rate;
  const start = performance.now();
  const busy = new Map<BenchChannel, Promise<void>>();
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < publishes.length; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const p = publishes[i]!;
    const previous = busy.get(p.channel) ?? Promise.resolve();
    const sending = previous.then(async () => {
      sentAt.set(p.id, performance.now());
      const answer = await httpCall(target.url + target.publishPath(p.channel), 'POST', p.headers, p.body);
      if (answer.status !== 200) errors++;
    });
    busy.set(p.channel, sending);
    inFlight.push(sending);
  }
  await Promise.all(inFlight);
  if (!received) return undefined;
  const expected = publishes.length * subscribersPerChannel;
  const deadline = performance.now() + 10_000;
  while (received.count < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const elapsed = (received.last - start) / 1000;
  const sorted = latencies.slice().sort((a, b) => a - b);
  return {
    serverCpu: NaN,
    clientCpu: NaN,
    deliveriesPerSecond: received.count / elapsed,
    p50: sorted[Math.floor(sorted.length * 0.5)] ?? NaN,
    p99: sorted[Math.floor(sorted.length * 0.99)] ?? NaN,
    delivered: received.count,
    expected,
    publishErrors: errors,
  };
}

async function fanOutScenario(target: Target, channelCount: number, perChannel: number, rate: number, seconds: number): Promise<Run> {
  const channels = await target.setup(channelCount);
  const sentAt = new Map<string, number>();
  let latencies: number[] = [];
  const received = { count: 0, last: 0 };
  let measuring = false;
  const subscribers = await openSubscribers(target, channels, perChannel, (id) => {
    if (!measuring) return;
    const now = performance.now();
    const sent = sentAt.get(id);
    if (sent !== undefined) latencies.push(now - sent);
    received.count++;
    received.last = now;
  });
  // Warm-up: one second at the same rate, not measured (JIT, caches, first grid).
  await publishAtRate(target, preparePublishes(target, channels, rate), rate, perChannel, sentAt, [], undefined);
  await new Promise((r) => setTimeout(r, 300));
  measuring = true;
  latencies = [];
  const publishes = preparePublishes(target, channels, rate * seconds);
  const cpuBefore = { server: cpuSeconds(target.child.pid!), client: process.cpuUsage(), at: performance.now() };
  const run = (await publishAtRate(target, publishes, rate, perChannel, sentAt, latencies, received))!;
  const wall = (performance.now() - cpuBefore.at) / 1000;
  const client = process.cpuUsage(cpuBefore.client);
  run.serverCpu = (cpuSeconds(target.child.pid!) - cpuBefore.server) / wall;
  run.clientCpu = (client.user + client.system) / 1e6 / wall;
  measuring = false;
  await closeAll(subscribers);
  if (target.name === 'relay') {
    const metrics = (await httpCall(`${target.url}/metrics`, 'GET', {}, '')).text;
    const lag = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(metrics);
    if (lag) run.relayLoopLagMax = Number(lag[1]) * 1000;
  }
  return run;
}

/** User + system CPU seconds a process has used (from /proc; clock ticks are 1/100 s on Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function settle(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

async function memoryScenario(target: Target, sockets: number): Promise<number> {
  const perChannel = 100;
  const channels = await target.setup(Math.ceil(sockets / perChannel));
  // Warm the server's code paths with a few sockets, then measure the growth from many.
  const warm = await openSubscribers(target, channels.slice(0, 1), 20, () => undefined);
  await closeAll(warm);
  await settle(500);
  const before = rssBytes(target.child.pid!);
  const subscribers = await openSubscribers(target, channels, perChannel, () => undefined);
  await settle(1500);
  const after = rssBytes(target.child.pid!);
  await closeAll(subscribers);
  return (after - before) / subscribers.length;
}

// ------------------------------------------------------------------------------------------------

/** A run is better when it delivered faster, or as fast with a lower p99. */
function better(run: Run, than: Run): boolean {
  if (Math.abs(run.deliveriesPerSecond - than.deliveriesPerSecond) > than.deliveriesPerSecond * 0.02) return run.deliveriesPerSecond > than.deliveriesPerSecond;
  return run.p99 < than.p99;
}

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

async function main(): Promise<void> {
  const seconds = option('seconds', 3);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const socketCount = option('sockets', 5000);
  const rate = 200;
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), 'relay'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the relay failed');
  console.log(`relay bench: ${rate} publishes/s for ${seconds} s per scenario, memory at ${socketCount} sockets (ulimit -n must exceed ${socketCount * 2 + 100})\n`);

  // Floor and relay take turns, twice each; the better of each pair is kept (the machine is shared,
  // so the better run is the one least disturbed by other processes).
  const rounds = option('rounds', 2);
  const results: Record<string, Record<'relay' | 'floor', Run | undefined>> = {};
  for (const [label, channelCount, perChannel] of [
    ['1 channel × 500 subscribers', 1, 500],
    ['100 channels × 5 subscribers', 100, 5],
  ] as const) {
    if (only && !label.startsWith(only)) continue;
    const pair: Record<'relay' | 'floor', Run | undefined> = { relay: undefined, floor: undefined };
    results[label] = pair;
    for (let round = 0; round < rounds; round++) {
      for (const start of [startFloor, startRelay]) {
        const target = await start();
        const began = performance.now();
        try {
          const run = await fanOutScenario(target, channelCount, perChannel, rate, seconds);
          const best = pair[target.name];
          if (!best || better(run, best)) pair[target.name] = run;
        } finally {
          await stop(target);
          if (args.includes('--timing')) console.log(`  ${label} ${target.name}: ${((performance.now() - began) / 1000).toFixed(1)} s`);
        }
      }
    }
  }
  let cost: ChangeCost | undefined;
  if (!only || only === 'cost') {
    const target = await startRelay();
    try {
      cost = await changeCostScenario(target);
    } finally {
      await stop(target);
    }
  }
  const memory: Record<'relay' | 'floor', number> = { relay: NaN, floor: NaN };
  for (const start of only && only !== 'memory' ? [] : [startFloor, startRelay]) {
    const target = await start();
    const began = performance.now();
    try {
      memory[target.name] = await memoryScenario(target, socketCount);
    } finally {
      await stop(target);
      if (args.includes('--timing')) console.log(`  memory ${target.name}: ${((performance.now() - began) / 1000).toFixed(1)} s`);
    }
  }
  agent.destroy();

  console.log(`(best of ${rounds} alternating runs each; load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  for (const [label, pair] of Object.entries(results)) {
    const relay = pair.relay!;
    const floor = pair.floor!;
    console.log(label);
    console.log(`  deliveries/s   relay ${fmt(relay.deliveriesPerSecond, 0)}   floor ${fmt(floor.deliveriesPerSecond, 0)}   relay/floor ${fmt(relay.deliveriesPerSecond / floor.deliveriesPerSecond, 2)}`);
    console.log(`  latency p50    relay ${fmt(relay.p50, 2)} ms   floor ${fmt(floor.p50, 2)} ms   relay/floor ${fmt(relay.p50 / floor.p50, 2)}`);
    console.log(`  latency p99    relay ${fmt(relay.p99, 2)} ms   floor ${fmt(floor.p99, 2)} ms   relay/floor ${fmt(relay.p99 / floor.p99, 2)}`);
    console.log(`  delivered      relay ${relay.delivered}/${relay.expected} (${relay.publishErrors} publish errors)   floor ${floor.delivered}/${floor.expected}`);
    console.log(`  relay event-loop lag max ${fmt(relay.relayLoopLagMax ?? NaN, 1)} ms (since its start)`);
    console.log(`  CPU (cores)    relay ${fmt(relay.serverCpu, 2)} + client ${fmt(relay.clientCpu, 2)}   floor ${fmt(floor.serverCpu, 2)} + client ${fmt(floor.clientCpu, 2)}`);
    // Server CPU per delivery barely depends on what else the machine runs: the steadiest comparison.
    const relayCost = (relay.serverCpu / relay.deliveriesPerSecond) * 1e6;
    const floorCost = (floor.serverCpu / floor.deliveriesPerSecond) * 1e6;
    console.log(`  server CPU per delivery   relay ${fmt(relayCost, 1)} µs   floor ${fmt(floorCost, 1)} µs   relay/floor ${fmt(relayCost / floorCost, 2)}`);
  }
  if (!only || only === 'memory') {
    console.log(`memory per idle socket (${socketCount} sockets)`);
    console.log(`  relay ${fmt(memory.relay / 1024, 1)} KB   floor ${fmt(memory.floor / 1024, 1)} KB   relay/floor ${fmt(memory.relay / memory.floor, 2)}`);
  }
  if (cost) {
    console.log(`cost of a change on a ${fmt(cost.gridBytes / 2 ** 20, 1)} MB grid (relay main thread, ${cost.patches} patches)`);
    console.log(`  one-cell patch      ${fmt(cost.patchCpuMs, 2)} ms CPU (latency p50 ${fmt(cost.patchLatencyP50Ms, 2)} ms)   target < 5 ms → ${cost.patchCpuMs < 5 ? 'met' : 'NOT met'}`);
    console.log(`  wrong-hash patch    ${fmt(cost.wrongHashCpuMs, 2)} ms CPU   target < 5 ms → ${cost.wrongHashCpuMs < 5 ? 'met' : 'NOT met'}`);
    console.log(`  baseline: the whole grid serialised + hashed, what every change cost in protocol v1: ${fmt(cost.v1RehashMs, 1)} ms`);
  }
}

async function tokensMain(): Promise<void> {
  const seconds = option('seconds', 10);
  const rate = option('rate', 100);
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), 'relay'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the relay failed');
  const { idle, runs } = await tokensPolling(ROOT, { seconds, rate });
  console.log(`relay /tokens polled at ${rate}/s for ${seconds} s per scenario by 20 pollers (4 formats), the sheet changing every 2 s; load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`(CPU per request is net of the idle relay's: ${fmt(idle.main * 1000, 1)} ms per second on the main thread, ${fmt(idle.process * 1000, 1)} ms in the whole process)`);
  const base = runs[0]!;
  for (const run of runs) {
    const answered = Object.entries(run.answers).map(([status, n]) => `${status}: ${n}`).join(', ');
    const ratio = (run.answers['304'] ?? 0) / run.polls;
    console.log(run.scenario);
    console.log(`  main thread ${fmt(run.mainCpuUs, 0)} µs CPU per request (${fmt(run.mainCpuUs / base.mainCpuUs, 2)} × /healthz)   whole process ${fmt(run.processCpuUs, 0)} µs   latency p50 ${fmt(run.p50, 2)} ms  p99 ${fmt(run.p99, 2)} ms`);
    if (run !== base) console.log(`  answers ${answered}   304 ratio ${fmt(ratio, 3)}   exports ${run.exports.inline} inline, ${run.exports.worker} on the worker   ${fmt(run.bytesPerPoll / 1024, 1)} KB received per poll`);
  }
}

const fail = (err: unknown): void => {
  console.error(err);
  process.exit(1);
};
if (process.argv[2] === 'floor') runFloor();
else if (args.includes('--under-attack')) fail(new Error('the attack scenarios, the edge\'s and the data path\'s, are one bench now: npm run bench:attack'));
else if (args.includes('--tokens')) tokensMain().catch(fail);
else main().catch(fail);
