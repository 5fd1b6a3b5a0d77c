// Relay bench "under attack", the data-path scenarios of issue 11 (the edge's, registration and
// connection floods, are beside it): a well-behaved channel's p50/p99 and losses, and the relay's peak
// RSS, first quiet (the baseline, same run), then while
//   1. stalled resync readers: 30 sockets on a ~4.3 MB channel ask for resyncs and stop reading, while
//      that channel's holder edits it (so each resync wants a new snapshot);
//   2. one channel streams ~4.3 MB snapshots as fast as the relay takes them (its rate limit and the
//      ingest queue answer the rest), from a separate process so the bystander's clock is not disturbed.
// Targets: bystander p99 < 50 ms, relay RSS < 512 MB, nothing acknowledged lost.
// Run: node bench/run.mjs relay --under-attack [--seconds 8] [--redis redis://…]

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBigChannel, snapshotBodies } from '../../test/hostile/support/big-channel';
import { processMemory, startBystander, type LatencyStats, type Tally } from '../../test/hostile/support/bystander';
import { stallResyncReaders } from '../../test/hostile/support/attack-stalled-readers';
import { streamSnapshots } from '../../test/hostile/support/attack-snapshot-stream';
import { resetPeakMemory } from '../../test/hostile/support/peak-memory';
import { postChange, type TestChannel } from '../../test/relay/support/relay-api';

export interface AttackRun {
  scenario: string;
  latency: LatencyStats;
  tally: Tally;
  peakRssMb: number;
  detail: string;
}

/** The built relay in a process of its own on a free port, with a temp DATA_DIR (tokens-polling.ts uses it too). */
export async function startRelay(root: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-attack-'));
  const child = spawn(process.execPath, [join(root, 'dist/relay/main.js')], { env: { PATH: process.env.PATH ?? '', PORT: '0', DATA_DIR: dataDir, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.includes('"listening"'));
      if (line) {
        buffer = '';
        resolve((JSON.parse(line) as { url: string }).url);
      } else if (buffer.length > 1e6) buffer = buffer.slice(-1e5);
    });
    child.once('exit', (code) => reject(new Error(`the relay exited with ${code}`)));
  });
  return {
    url,
    child,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The attacker of scenario 2 in a process of its own: `node <bundle> attacker-stream <url> <channel JSON> <ms>`. */
export async function runSnapshotStreamer(url: string, channelJson: string, ms: number): Promise<void> {
  const channel = JSON.parse(channelJson) as TestChannel;
  const stream = await streamSnapshots(url, channel, { durationMs: ms, streams: 2, prepared: snapshotBodies(3) });
  process.stdout.write(`${JSON.stringify(stream)}\n`);
}

function streamInChild(bundle: string, url: string, channel: TestChannel, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, 'attacker-stream', url, JSON.stringify(channel), String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`the attacker exited with ${code}`))));
  });
}

export async function underAttackData(root: string, bundle: string, options: { seconds: number; redisUrl?: string }): Promise<AttackRun[]> {
  // info: the "listening" line is an info line (later lines are read and dropped).
  const env: Record<string, string> = { LOG_LEVEL: 'info', RESYNC_INTERVAL_MS: '250' };
  if (options.redisUrl) Object.assign(env, { REDIS_URL: options.redisUrl, REDIS_PREFIX: `bench${process.pid}:` });
  const relay = await startRelay(root, env);
  const runs: AttackRun[] = [];
  try {
    const big = await createBigChannel(relay.url);
    const victim = await createBigChannel(relay.url);
    // Under the default rate limit (20 requests per second per channel), as a sheet is.
    const bystander = await startBystander(relay.url, { subscribers: 2, intervalMs: 50 });
    await new Promise((r) => setTimeout(r, 1000));
    const measure = async (scenario: string, attack: () => Promise<string>): Promise<void> => {
      resetPeakMemory(relay.child.pid!);
      const window = bystander.mark();
      const detail = await attack();
      runs.push({ scenario, latency: bystander.latency(window), tally: { acknowledged: 0, delivered: 0, lost: 0, outOfOrder: 0, refused: 0 }, peakRssMb: processMemory(relay.child.pid!).peakRssBytes / 2 ** 20, detail });
    };
    await measure('quiet (baseline)', async () => {
      await new Promise((r) => setTimeout(r, options.seconds * 1000));
      return '';
    });
    await measure('30 stalled resync readers on a 4.3 MB channel', async () => {
      const attack = await stallResyncReaders(relay.url, big.channel, { sockets: 30 });
      const end = Date.now() + options.seconds * 1000;
      for (let round = 0; Date.now() < end; round++) {
        await postChange(relay.url, big.channel, big.sheet.patch(0, 'Tokens', 10 + (round % 100), 2, [[`#${String(round).padStart(6, '0')}`]]));
        await new Promise((r) => setTimeout(r, 300));
        attack.resyncAll();
      }
      const closed = attack.clients.filter((c) => c.bytesIn === 0).length;
      await attack.stop();
      return `${closed} sockets got nothing`;
    });
    await measure('one channel streaming 4.3 MB snapshots (2 at a time)', () => streamInChild(bundle, relay.url, victim.channel, options.seconds * 1000));
    const tally = await bystander.stop();
    for (const run of runs) run.tally = tally;
  } finally {
    await relay.stop();
  }
  return runs;
}
