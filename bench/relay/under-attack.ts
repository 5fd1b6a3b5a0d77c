// The relay under attack: a well-behaved channel's delivery delay (p50/p99) and the relay's peak
// memory while, in turn, each attack of SCENARIOS runs beside it, against a relay process with its
// default settings. The attacks are the hostile tests' own clients (test/hostile/support), sent from
// other loopback addresses (127.0.0.x) than the bystander's, as another client on the internet would be.
// Targets (issue 11): bystander p99 < 50 ms, relay peak RSS < 512 MB, nothing acknowledged lost.
// Run: npm run bench:attack   [-- --quiet-seconds 3 --attack-seconds 10 --only <scenario name part>]
// Scenarios are a list: each starts its own relay and names the attack; add one to measure another.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { attackerAddresses } from '../../test/hostile/support/attacker';
import { connectionFlood, type ConnectionFlood } from '../../test/hostile/support/attack-connection-flood';
import { registrationFlood } from '../../test/hostile/support/attack-registration-flood';
import { processMemory, startBystander, type LatencyStats } from '../../test/hostile/support/bystander';
import { register } from '../../test/relay/support/relay-api';

const ROOT = process.cwd();
const REGISTRATION_KEY = 'bench-registration-key-0001';
const P99_TARGET_MS = 50;
const RSS_TARGET_BYTES = 512 * 1024 * 1024;
/** New connections per second in the connection flood. */
const CONNECTIONS_PER_SECOND = 1000;
/** The bystander posts within its channel's default REQUEST_RATE (20/s). */
const BYSTANDER_INTERVAL_MS = 75;

interface Relay {
  url: string;
  pid: number;
  child: ChildProcess;
}

interface Scenario {
  name: string;
  /** Settings the relay starts with, on top of its defaults. */
  env?: Record<string, string>;
  /** Runs the attack for `ms` and says what it did, in a few words. */
  attack(relay: Relay, ms: number): Promise<string>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'registration flood (a leaked key, 100 addresses)',
    env: { REGISTRATION_KEY },
    async attack(relay, ms) {
      const flood = await registrationFlood(relay.url, { durationMs: ms, addresses: attackerAddresses(100), registrationKey: REGISTRATION_KEY, concurrency: 32 });
      return `${flood.sent} PUTs, ${flood.registered} stored; ${describe(flood.answers)}`;
    },
  },
  {
    name: `connection flood (idle, slow-header, sockets; ${CONNECTIONS_PER_SECOND}/s from 120 addresses)`,
    async attack(relay, ms) {
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
    },
  },
];

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

async function startRelay(env: Record<string, string>): Promise<Relay & { stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-attack-'));
  const child = spawn(process.execPath, [join(ROOT, 'dist/relay/main.js')], {
    // LOG_LEVEL info: the "listening" line is an info line. Later lines are read and dropped.
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === 'listening' && entry.url) resolve(entry.url);
        } catch {
          // not a log line
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`the relay exited (${code}) before listening`)));
  });
  return {
    url,
    pid: child.pid!,
    child,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(force);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : '–');

async function run(scenario: Scenario, quietMs: number, attackMs: number): Promise<{ quiet: LatencyStats; attacked: LatencyStats; lost: number; refused: number; peakRss: number; what: string }> {
  const relay = await startRelay(scenario.env ?? {});
  try {
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
    const attackWindow = bystander.mark();
    const what = await scenario.attack(relay, attackMs);
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
  const scenarios = SCENARIOS.filter((s) => s.name.includes(only));
  console.log(`relay under attack: ${scenarios.length} scenarios, ${quietMs / 1000} s quiet then ${attackMs / 1000} s of attack each; load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  let failed = false;
  const rows: string[] = ['| attack | bystander p50 | p99 | max | quiet p99 | lost | refused | relay peak RSS |', '|---|---|---|---|---|---|---|---|'];
  for (const scenario of scenarios) {
    const r = await run(scenario, quietMs, attackMs);
    const ok = r.attacked.p99 < P99_TARGET_MS && r.peakRss < RSS_TARGET_BYTES && r.lost === 0;
    failed ||= !ok;
    rows.push(`| ${scenario.name} | ${ms(r.attacked.p50)} | **${ms(r.attacked.p99)}** | ${ms(r.attacked.max)} | ${ms(r.quiet.p99)} | ${r.lost} | ${r.refused} | ${(r.peakRss / 1024 / 1024).toFixed(0)} MB |`);
    console.log(`${ok ? 'ok  ' : 'MISS'} ${scenario.name}: p99 ${ms(r.attacked.p99)} (quiet ${ms(r.quiet.p99)}, n=${r.attacked.count}), lost ${r.lost}, peak RSS ${(r.peakRss / 1024 / 1024).toFixed(0)} MB\n     attack: ${r.what}`);
  }
  console.log(`\n${rows.join('\n')}\n\ntargets: p99 < ${P99_TARGET_MS} ms, peak RSS < ${RSS_TARGET_BYTES / 1024 / 1024} MB, nothing lost; load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  process.exit(failed ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
