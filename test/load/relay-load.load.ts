// Load on loopback (npm run test:load, not part of npm test): 2,000 subscriber sockets over 200
// channels on one relay process, and 100 signed publishes per second for 60 s spread over the
// channels. Every socket must receive every change of its channel, once, in seq order; the run
// reports delivery latency (publish sent → message received) p50/p99/max and writes
// test-artifacts/load-report.json.

import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { gridHash } from '../../shared/protocol/canonical-hash';
import { channelIdForClaim } from '../../shared/protocol/channel-claim';
import { applyChange, emptyGrid, type Grid } from '../../shared/protocol/grid';
import { paths, type Change } from '../../shared/protocol/messages';
import { base64UrlEncode, signRequest, subscribeToken } from '../../shared/protocol/signing';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';

const CHANNELS = Number(process.env.LOAD_CHANNELS ?? 200);
const SOCKETS_PER_CHANNEL = Number(process.env.LOAD_SOCKETS_PER_CHANNEL ?? 10);
const PUBLISHES_PER_SECOND = Number(process.env.LOAD_RATE ?? 100);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

interface Channel {
  id: string;
  secret: string;
  grid: Grid;
  published: number;
}

interface Subscriber {
  channel: number;
  ws: WebSocket;
  /** Seqs of the patches received, in arrival order. */
  seqs: number[];
  duplicates: number;
  outOfOrder: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 32 });
let relay: RelayProcess | undefined;
const subscribers: Subscriber[] = [];

afterAll(async () => {
  for (const s of subscribers) s.ws.terminate();
  agent.destroy();
  await relay?.stop();
});

function post(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const url = new URL(relay!.url);
  return new Promise((resolve, reject) => {
    const r = request({ host: url.hostname, port: url.port, method: path.endsWith('/changes') ? 'POST' : 'PUT', path, agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    r.setTimeout(30_000, () => r.destroy(new Error(`no answer to ${path} within 30 s`)));
    r.on('error', reject);
    r.end(body);
  });
}

function get(path: string): Promise<string> {
  const url = new URL(relay!.url);
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve(text));
    })
      .on('error', reject)
      .end();
  });
}

/** The upper bound (ms) of the histogram bucket that holds the p-th percentile, from Prometheus text. */
function histogramPercentile(metrics: string, name: string, p: number): number {
  const buckets = [...metrics.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)$`, 'gm'))].map((m) => [m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])] as const);
  const count = buckets.at(-1)?.[1] ?? 0;
  const hit = buckets.find(([, n]) => n >= (p / 100) * count);
  return hit ? hit[0] * 1000 : NaN;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

test(`${CHANNELS * SOCKETS_PER_CHANNEL} sockets over ${CHANNELS} channels, ${PUBLISHES_PER_SECOND} publishes/s for ${SECONDS} s: nothing lost, nothing out of order`, async () => {
  relay = await startRelayProcess(process.env.LOAD_RELAY_ENV ? (JSON.parse(process.env.LOAD_RELAY_ENV) as Record<string, string>) : {});
  const channels: (Channel & { claim: string })[] = Array.from({ length: CHANNELS }, () => {
    const claim = base64UrlEncode(randomBytes(32));
    return { id: channelIdForClaim(claim), claim, secret: base64UrlEncode(randomBytes(32)), grid: emptyGrid(), published: 0 };
  });
  for (const c of channels) {
    const answer = await post(paths.channel(c.id), JSON.stringify({ secret: c.secret, claim: c.claim }), {});
    expect(answer.status).toBe(201);
  }

  /** When each change was sent (performance.now()), by change id; latency samples in ms. */
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  /** Latencies by the second of the run their change was sent in, to see when delivery slowed. */
  const bySecond: number[][] = [];
  let startedAt = performance.now();
  const wsUrl = relay.url.replace(/^http/, 'ws');
  const connect = (channel: number): Promise<Subscriber> =>
    new Promise((resolve, reject) => {
      const c = channels[channel]!;
      const ws = new WebSocket(`${wsUrl}${paths.socket(c.id)}`, { perMessageDeflate: false });
      const sub: Subscriber = { channel, ws, seqs: [], duplicates: 0, outOfOrder: 0 };
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', v: 2, token: subscribeToken(c.secret, c.id) })));
      ws.on('message', (data) => {
        const now = performance.now();
        const text = data.toString();
        if (text.startsWith('{"type":"welcome"')) return resolve(sub);
        if (!text.startsWith('{"type":"patch"')) return;
        const m = JSON.parse(text) as { seq: number; id: string };
        const last = sub.seqs[sub.seqs.length - 1] ?? 0;
        if (m.seq <= last) sub.duplicates++;
        else if (m.seq !== last + 1) sub.outOfOrder++;
        sub.seqs.push(m.seq);
        const t0 = sentAt.get(m.id);
        if (t0 !== undefined) {
          latencies.push(now - t0);
          const second = Math.floor((t0 - startedAt) / 1000);
          (bySecond[second] ??= []).push(now - t0);
        }
      });
      ws.on('error', reject);
      ws.on('close', (code) => {
        if (code !== 1000 && code !== 1005) reject(new Error(`socket of channel ${channel} closed with ${code}`));
      });
    });
  // Join in waves of 200, as plugins opening over a morning would (only faster).
  for (let start = 0; start < CHANNELS * SOCKETS_PER_CHANNEL; start += 200) {
    const wave = await Promise.all(Array.from({ length: Math.min(200, CHANNELS * SOCKETS_PER_CHANNEL - start) }, (_, i) => connect((start + i) % CHANNELS)));
    subscribers.push(...wave);
  }

  // Publish at a steady rate: one change every 1000/rate ms, channel after channel.
  const total = PUBLISHES_PER_SECOND * SECONDS;
  const failures: string[] = [];
  const inFlight: Promise<void>[] = [];
  const began = performance.now();
  startedAt = began;
  for (let i = 0; i < total; i++) {
    const due = began + (i * 1000) / PUBLISHES_PER_SECOND;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const c = channels[i % CHANNELS]!;
    const change: Change = { v: 2, id: `load-${i}`, kind: 'patch', tabs: [{ tabId: 0, name: 'Load', ranges: [{ row: 1 + (c.published % 40), col: 1 + (c.published % 5), values: [[`value ${i}`]] }] }], hash: '' };
    const next = applyChange(c.grid, change);
    change.hash = gridHash(next);
    c.grid = next;
    c.published++;
    const body = JSON.stringify(change);
    const path = paths.changes(c.id);
    const timestamp = Date.now();
    sentAt.set(change.id, performance.now());
    inFlight.push(
      post(path, body, { 'x-sync-timestamp': String(timestamp), 'x-sync-signature': signRequest(c.secret, timestamp, 'POST', path, body) }).then(
        (a) => {
          if (a.status !== 200) failures.push(`${change.id}: ${a.status} ${a.text.slice(0, 200)}`);
        },
        (err: Error) => void failures.push(`${change.id}: ${err.message}`),
      ),
    );
  }
  await Promise.all(inFlight);
  const publishSeconds = (performance.now() - began) / 1000;
  expect(failures).toEqual([]);

  // Every socket ends with every seq of its channel.
  const deadline = Date.now() + 30_000;
  const complete = (): boolean => subscribers.every((s) => s.seqs.length >= channels[s.channel]!.published);
  while (!complete() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const expected = subscribers.reduce((n, s) => n + channels[s.channel]!.published, 0);
  const received = subscribers.reduce((n, s) => n + s.seqs.length, 0);
  const wrong = subscribers.filter((s) => s.duplicates > 0 || s.outOfOrder > 0 || s.seqs.some((seq, i) => seq !== i + 1) || s.seqs.length !== channels[s.channel]!.published);

  latencies.sort((a, b) => a - b);
  const metrics = await get('/metrics');
  const report = {
    sockets: subscribers.length,
    channels: CHANNELS,
    publishes: total,
    publishSeconds: Math.round(publishSeconds * 10) / 10,
    publishesPerSecond: Math.round((total / publishSeconds) * 10) / 10,
    deliveriesExpected: expected,
    deliveriesReceived: received,
    lost: expected - received,
    socketsWithGapsDuplicatesOrDisorder: wrong.length,
    p99BySecond: bySecond.map((l) => Math.round(percentile(l.sort((a, b) => a - b), 99))),
    latencyMs: {
      p50: Math.round(percentile(latencies, 50) * 100) / 100,
      p90: Math.round(percentile(latencies, 90) * 100) / 100,
      p99: Math.round(percentile(latencies, 99) * 100) / 100,
      max: Math.round((latencies[latencies.length - 1] ?? NaN) * 100) / 100,
    },
    /** The relay's own view (relay_publish_to_send_seconds): the bucket bound holding p50 / p99, in ms. */
    relayPublishToSendMs: { p50AtMost: histogramPercentile(metrics, 'relay_publish_to_send_seconds', 50), p99AtMost: histogramPercentile(metrics, 'relay_publish_to_send_seconds', 99) },
    note: 'publish sent (test client) → patch received (test client), one relay process (SQLite, SQLITE_SYNC=full), all on one 2-core machine',
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'load-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nload: ${JSON.stringify(report)}\n`);

  expect({ lost: report.lost, wrong: wrong.length }).toEqual({ lost: 0, wrong: 0 });
  expect(latencies).toHaveLength(expected);
}, 240_000);
