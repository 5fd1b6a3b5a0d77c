// The relay under attack: a well-behaved channel's delivery delay (p50/p99) and the relay's peak
// memory while, in turn, each attack of SCENARIOS runs beside it, against a relay process with its
// default settings. The attacks are the hostile tests' own clients (test/hostile/support), sent from
// other loopback addresses (127.0.0.x) than the bystander's, as another client on the internet would be:
// the edge's (a registration flood with a leaked key, connection floods) and the data path's (stalled
// resync readers on a 4.3 MB channel, a channel streaming 4.3 MB snapshots from another process).
// Targets (issue 11): bystander p99 < 50 ms, relay peak RSS < 512 MB, nothing acknowledged lost.
// Run: npm run bench:attack   [-- --quiet-seconds 3 --attack-seconds 10 --only <scenario name part> --redis redis://…]
// Scenarios are a list: each starts its own relay and names the attack; add one to measure another.

import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { startRelayChild, type RelayChild } from '../../test/helpers/relay-child';
import { attackerAddresses } from '../../test/hostile/support/attacker';
import { connectionFlood, type ConnectionFlood } from '../../test/hostile/support/attack-connection-flood';
import { registrationFlood } from '../../test/hostile/support/attack-registration-flood';
import { streamSnapshots } from '../../test/hostile/support/attack-snapshot-stream';
import { stallResyncReaders } from '../../test/hostile/support/attack-stalled-readers';
import { createBigChannel, snapshotBodies } from '../../test/hostile/support/big-channel';
import { processMemory, startBystander, type LatencyStats } from '../../test/hostile/support/bystander';
import { resetPeakMemory } from '../../test/hostile/support/peak-memory';
import { postChange, register, type TestChannel } from '../../test/relay/support/relay-api';

const REGISTRATION_KEY = 'bench-registration-key-0001';
const P99_TARGET_MS = 50;
const RSS_TARGET_BYTES = 512 * 1024 * 1024;
/** New connections per second in the connection flood. */
const CONNECTIONS_PER_SECOND = 1000;
/** The bystander posts within its channel's default REQUEST_RATE (20/s). */
const BYSTANDER_INTERVAL_MS = 75;

/** Runs the attack for `ms` and says what it did, in a few words. */
type Attack = (ms: number) => Promise<string>;

interface Scenario {
  name: string;
  /** Settings the relay starts with, on top of its defaults. */
  env?: Record<string, string>;
  /** Sets the attack up (before the bystander's quiet window, so its cost is not measured as the attack's). */
  prepare(relay: RelayChild): Promise<Attack>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'registration flood (a leaked key, 100 addresses)',
    env: { REGISTRATION_KEY },
    async prepare(relay) {
      return async (ms) => {
        const flood = await registrationFlood(relay.url, { durationMs: ms, addresses: attackerAddresses(100), registrationKey: REGISTRATION_KEY, concurrency: 32 });
        return `${flood.sent} PUTs, ${flood.registered} stored; ${describe(flood.answers)}`;
      };
    },
  },
  {
    name: `connection flood (idle, slow-header, sockets; ${CONNECTIONS_PER_SECOND}/s from 120 addresses)`,
    async prepare(relay) {
      return (ms) => connectionFloods(relay, ms);
    },
  },
  {
    name: '30 stalled resync readers on a 4.3 MB channel that its sheet keeps editing',
    // Resyncs as often as a socket may ask (the default is 1 s): each wants the newest snapshot.
    env: { RESYNC_INTERVAL_MS: '250' },
    async prepare(relay) {
      const big = await createBigChannel(relay.url);
      return async (ms) => {
        // From 3 addresses: one may hold MAX_SOCKETS_PER_CHANNEL_PER_IP (20) sockets on a channel.
        const attack = await stallResyncReaders(relay.url, big.channel, { sockets: 30, addresses: attackerAddresses(3, 200) });
        const end = Date.now() + ms;
        for (let round = 0; Date.now() < end; round++) {
          await postChange(relay.url, big.channel, big.sheet.patch(0, 'Tokens', 10 + (round % 100), 2, [[`#${String(round).padStart(6, '0')}`]]));
          await new Promise((r) => setTimeout(r, 300));
          attack.resyncAll();
        }
        const starved = attack.clients.filter((c) => c.bytesIn === 0).length;
        await attack.stop();
        return `${attack.clients.length} sockets, ${starved} of them got nothing`;
      };
    },
  },
  {
    name: 'one channel streaming 4.3 MB snapshots, 2 at a time (from another process)',
    async prepare(relay) {
      const victim = await createBigChannel(relay.url);
      // In a process of its own, so the attacker's CPU is not the bystander's clock.
      return (ms) => streamInChild(relay.url, victim.channel, ms);
    },
  },
];

async function connectionFloods(relay: RelayChild, ms: number): Promise<string> {
  const floods: ConnectionFlood[] = [];
  const end = Date.now() + ms;
  const kinds = ['idle', 'slow-header', 'socket'] as const;
  // Waves of new connections at a steady rate (the attacker shares this machine's two cores: as fast
  // as it can, it would measure the machine rather than the relay), rotating over 3 × 40 addresses.
  const waveMs = 500;
  try {
    for (let wave = 0; Date.now() < end; wave++) {
      const started = Date.now();
      const kind = kinds[wave % kinds.length]!;
      const path = kind === 'socket' ? '/v2/channels/cAttackAttackAttackAttackAttackAtt/socket' : undefined;
      floods.push(await connectionFlood(relay.url, { kind, count: (CONNECTIONS_PER_SECOND * waveMs) / 1000, addresses: attackerAddresses(40, 2 + (wave % 3) * 40), parallel: 100, path }));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, waveMs - (Date.now() - started))));
    }
  } finally {
    await Promise.all(floods.map((f) => f.stop()));
  }
  const answers: Record<string, number> = {};
  for (const f of floods) for (const [k, v] of Object.entries(f.answers())) answers[k] = (answers[k] ?? 0) + v;
  return `${floods.reduce((n, f) => n + f.attempted, 0)} connections in ${floods.length} waves; ${describe(answers)}`;
}

function describe(answers: Record<string, number>): string {
  return Object.entries(answers)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${v} × ${k}`)
    .join(', ');
}

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** The attacker of the snapshot-stream scenario, in a child process: this bundle run with `attacker-stream <url> <channel JSON> <ms>`. */
async function snapshotStreamer(url: string, channelJson: string, ms: number): Promise<void> {
  const stream = await streamSnapshots(url, JSON.parse(channelJson) as TestChannel, { durationMs: ms, streams: 2, prepared: snapshotBodies(3) });
  process.stdout.write(`${stream.accepted} snapshots accepted (${(stream.bytesPosted / 2 ** 20).toFixed(0)} MB posted), ${stream.busy} × 503 RELAY_BUSY, ${stream.limited} × 429, ${stream.other} other\n`);
}

function streamInChild(url: string, channel: TestChannel, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [process.argv[1]!, 'attacker-stream', url, JSON.stringify(channel), String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`the attacker exited with ${code}`))));
  });
}

const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : '–');

async function run(scenario: Scenario, quietMs: number, attackMs: number, storeEnv: Record<string, string>): Promise<{ quiet: LatencyStats; attacked: LatencyStats; lost: number; refused: number; peakRss: number; what: string }> {
  const relay = await startRelayChild({ env: { ...storeEnv, ...scenario.env }, clientLimits: 'production' });
  try {
    const attack = await scenario.prepare(relay);
    const key = scenario.env?.REGISTRATION_KEY;
    const bystander = await startBystander(relay.url, {
      intervalMs: BYSTANDER_INTERVAL_MS,
      subscribers: 3,
      register: async (url, channel) => {
        const answer = await register(url, channel, channel.secret, key ? { registrationKey: key } : {});
        if (answer.status !== 201) throw new Error(`the bystander could not register: ${answer.status}`);
      },
    });
    const quietWindow = bystander.mark();
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    // The peak from here on: the attack's, not the setup's (a 4.3 MB channel posted twice).
    resetPeakMemory(relay.pid);
    const attackWindow = bystander.mark();
    const what = await attack(attackMs);
    const quiet = bystander.latency(quietWindow);
    const attacked = bystander.latency(attackWindow);
    const tally = await bystander.stop();
    return { quiet, attacked, lost: tally.lost, refused: tally.refused, peakRss: processMemory(relay.pid).peakRssBytes, what };
  } finally {
    await relay.stop();
  }
}

async function main(): Promise<void> {
  const quietMs = Number(argument('quiet-seconds', '3')) * 1000;
  const attackMs = Number(argument('attack-seconds', '10')) * 1000;
  const only = argument('only', '');
  const redisUrl = argument('redis', '');
  const storeEnv: Record<string, string> = redisUrl ? { REDIS_URL: redisUrl, REDIS_PREFIX: `bench${process.pid}:` } : {};
  const scenarios = SCENARIOS.filter((s) => s.name.includes(only));
  console.log(`relay under attack: ${scenarios.length} scenarios, ${quietMs / 1000} s quiet then ${attackMs / 1000} s of attack each, store ${redisUrl ? 'Redis' : 'SQLite'}; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  let failed = false;
  const rows: string[] = ['| attack | bystander p50 | p99 | max | quiet p99 | lost | refused | relay peak RSS |', '|---|---|---|---|---|---|---|---|'];
  for (const scenario of scenarios) {
    const r = await run(scenario, quietMs, attackMs, storeEnv);
    const ok = r.attacked.p99 < P99_TARGET_MS && r.peakRss < RSS_TARGET_BYTES && r.lost === 0;
    failed ||= !ok;
    rows.push(`| ${scenario.name} | ${ms(r.attacked.p50)} | **${ms(r.attacked.p99)}** | ${ms(r.attacked.max)} | ${ms(r.quiet.p99)} | ${r.lost} | ${r.refused} | ${(r.peakRss / 1024 / 1024).toFixed(0)} MB |`);
    console.log(`${ok ? 'ok  ' : 'MISS'} ${scenario.name}: p99 ${ms(r.attacked.p99)} (quiet ${ms(r.quiet.p99)}, n=${r.attacked.count}), lost ${r.lost}, peak RSS ${(r.peakRss / 1024 / 1024).toFixed(0)} MB\n     attack: ${r.what}`);
  }
  console.log(`\n${rows.join('\n')}\n\ntargets: p99 < ${P99_TARGET_MS} ms, peak RSS < ${RSS_TARGET_BYTES / 1024 / 1024} MB, nothing lost; load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  process.exit(failed ? 1 : 0);
}

const fail = (err: unknown): void => {
  console.error(err);
  process.exit(1);
};
if (process.argv[2] === 'attacker-stream') snapshotStreamer(process.argv[3]!, process.argv[4]!, Number(process.argv[5])).catch(fail);
else main().catch(fail);
