// Relay bench, tokens for code (issue 12): GET /v2/channels/:id/tokens at 100 polls/s, as CI jobs poll:
// 20 pollers, each asking for one format (DTCG resolver and single, CSS, JSON) with the ETag of what it
// holds (If-None-Match), while the sheet changes every 2 s. Measured: the relay main thread's CPU per
// poll (the thread serving every socket, from /proc/<pid>/task/<pid>/stat), the whole process's, the
// share of polls answered 304, the exports made (inline or on the tokens worker) and the polls' latency.
// Baseline in the same run: GET /healthz at the same rate (the least any request costs the relay).
// Run: node bench/run.mjs relay --tokens [--seconds 10] [--rate 100]

import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { CellValue, Grid } from '../../shared/protocol/grid';
import { paths } from '../../shared/protocol/messages';
import { newChannel, postChange, register, type ModelSheet, type TestChannel } from '../../test/relay/support/relay-api';
import { publishTabs } from '../../test/relay/support/token-sheet';
import { readCsvTabs } from '../../tools/csv-tabs';
import { threadCpuSeconds } from './change-cost';
import { startRelayChild } from '../../test/helpers/relay-child';

export interface PollRun {
  scenario: string;
  polls: number;
  /** Main-thread CPU per poll, µs, less what the idle relay spends in the same time (timers, heartbeat). */
  mainCpuUs: number;
  /** Whole-process CPU per poll (every thread: the tokens worker, SQLite), µs, less the idle relay's. */
  processCpuUs: number;
  answers: Record<string, number>;
  exports: { inline: number; worker: number };
  p50: number;
  p99: number;
  /** Bytes of answers received per poll. */
  bytesPerPoll: number;
}

const QUERIES = ['', '?layout=single', '?format=css', '?format=json'];

function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function exportCounts(url: string): Promise<{ inline: number; worker: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const count = (where: string): number => Number(new RegExp(`^relay_tokens_export_seconds_count\\{where="${where}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { inline: count('inline'), worker: count('worker') };
}

/** Two tabs of `rows` colours in two modes. */
function colourTabs(rows: number, version = 0): Grid {
  const hex = (i: number): string => `#${((i * 2654435761 + version) >>> 8).toString(16).padStart(6, '0').slice(-6)}`;
  return {
    tabs: ['Primitives', 'Semantic'].map((name, t) => ({ tabId: t, name, rows: [['Name', 'Light', 'Dark'], ...Array.from({ length: rows }, (_, i): CellValue[] => [`color/${t}/${i}`, hex(i), hex(i + 7)])] })),
  };
}

function get(url: string, headers: Record<string, string>, agent: Agent): Promise<{ status: number; etag: string | undefined; bytes: number }> {
  return new Promise((resolve) => {
    const req = request(url, { headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: typeof res.headers.etag === 'string' ? res.headers.etag : undefined, bytes }));
    });
    req.on('error', () => resolve({ status: 0, etag: undefined, bytes: 0 }));
    req.end();
  });
}

/** `rate` requests per second for `seconds`, open loop (each sent on time, whatever the answers), from 20 pollers. */
async function pollAtRate(
  relay: { url: string; pid: number },
  scenario: string,
  target: (poller: number) => { url: string; headers: Record<string, string> },
  onAnswer: (poller: number, answer: { status: number; etag: string | undefined }) => void,
  options: { rate: number; seconds: number; during?: () => Promise<void>; idle: Idle },
): Promise<PollRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const answers: Record<string, number> = {};
  const latencies: number[] = [];
  let bytes = 0;
  const exportsBefore = await exportCounts(relay.url);
  const mainBefore = threadCpuSeconds(relay.pid);
  const processBefore = processCpuSeconds(relay.pid);
  const total = options.rate * options.seconds;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  const during = options.during?.();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const poller = i % 20;
    const { url, headers } = target(poller);
    const sent = performance.now();
    inFlight.push(
      get(url, headers, agent).then((answer) => {
        latencies.push(performance.now() - sent);
        bytes += answer.bytes;
        answers[String(answer.status)] = (answers[String(answer.status)] ?? 0) + 1;
        onAnswer(poller, answer);
      }),
    );
  }
  await Promise.all(inFlight);
  await during;
  const wall = (performance.now() - started) / 1000;
  const mainCpu = threadCpuSeconds(relay.pid) - mainBefore - options.idle.main * wall;
  const processCpu = processCpuSeconds(relay.pid) - processBefore - options.idle.process * wall;
  const exportsAfter = await exportCounts(relay.url);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    scenario,
    polls: total,
    mainCpuUs: (mainCpu * 1e6) / total,
    processCpuUs: (processCpu * 1e6) / total,
    answers,
    exports: { inline: exportsAfter.inline - exportsBefore.inline, worker: exportsAfter.worker - exportsBefore.worker },
    p50: latencies[Math.floor(latencies.length / 2)]!,
    p99: latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)]!,
    bytesPerPoll: bytes / total,
  };
}

/** CPU seconds per second the relay spends with no request at all (main thread, whole process). */
export interface Idle {
  main: number;
  process: number;
}

async function idleCpu(pid: number, seconds: number): Promise<Idle> {
  const main = threadCpuSeconds(pid);
  const all = processCpuSeconds(pid);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return { main: (threadCpuSeconds(pid) - main) / seconds, process: (processCpuSeconds(pid) - all) / seconds };
}

export async function tokensPolling(root: string, options: { seconds: number; rate: number }): Promise<{ idle: Idle; runs: PollRun[] }> {
  // Default settings but the limits a single test client would hit: every poll comes from 127.0.0.1
  // and one channel takes all 100 polls/s (TOKENS_RATE is 2/s per channel by default).
  const relay = await startRelayChild({ env: { TOKENS_RATE: '100000', TOKENS_BURST: '100000' } });
  const target = { url: relay.url, pid: relay.child.pid! };
  const runs: PollRun[] = [];
  const result = { idle: { main: 0, process: 0 }, runs };
  try {
    const example = readCsvTabs(['Primitives', 'Semantic', 'Typography', 'Flags'].map((t) => `${root}/examples/tokens/${t}.csv`));
    const channels: [string, Grid][] = [
      ['the example sheet (99 variables, 6.7 KB: mapped inline)', example],
      ['4,000 colours in 2 modes (200 KB: mapped on the tokens worker)', colourTabs(2000)],
    ];
    const idle = await idleCpu(target.pid, options.seconds);
    result.idle = idle;
    const baseline = await pollAtRate(target, 'GET /healthz (baseline)', () => ({ url: `${relay.url}/healthz`, headers: {} }), () => undefined, { ...options, idle });
    runs.push(baseline);
    for (const [label, grid] of channels) {
      const channel: TestChannel = newChannel();
      await register(relay.url, channel, channel.secret);
      const { sheet } = await publishTabs(relay.url, channel, grid);
      for (const withEtag of [true, false]) {
        const etags = new Map<number, string>();
        const run = await pollAtRate(
          target,
          `/tokens, ${label}, ${withEtag ? 'with ETags' : 'no ETags'}`,
          (poller) => ({
            url: `${relay.url}${paths.tokens(channel.channelId)}${QUERIES[poller % QUERIES.length]}`,
            // What fetch (and so `pull`) sends: the JSON answer comes gzipped.
            headers: { authorization: `Bearer ${channel.token}`, 'accept-encoding': 'gzip, deflate', ...(withEtag && etags.has(poller) ? { 'if-none-match': etags.get(poller)! } : {}) },
          }),
          (poller, answer) => {
            if (answer.status === 200 && answer.etag) etags.set(poller, answer.etag);
          },
          { ...options, idle, during: () => editEvery(relay.url, channel, sheet, 2000, options.seconds * 1000) },
        );
        runs.push(run);
      }
    }
  } finally {
    await relay.stop();
  }
  return result;
}

/** The sheet's owner edits one cell every `everyMs` for `forMs`. */
async function editEvery(url: string, channel: TestChannel, sheet: ModelSheet, everyMs: number, forMs: number): Promise<void> {
  const end = Date.now() + forMs;
  for (let i = 1; Date.now() + everyMs < end; i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    await postChange(url, channel, sheet.patch(0, sheet.grid.tabs[0]!.name, 2, 2, [[`#${String(i * 97).padStart(6, '0').slice(-6)}`]]));
  }
}
