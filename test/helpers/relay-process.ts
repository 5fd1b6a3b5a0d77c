// Runs the built relay (dist/relay/main.js) as a child process on a free port, for tests that need a
// real process (signals, kill -9, several relays on one Redis) and for other parts' integration tests.
//
// API
//   startRelayProcess(env?, options?) → Promise<RelayProcess>
//     env      extra environment for the relay (PORT, HOST, DATA_DIR, REDIS_URL, LOG_LEVEL, limits...).
//              Defaults: PORT=0, HOST=127.0.0.1, LOG_LEVEL=info, DATA_DIR=<new temp dir, removed by stop()>,
//              and LOOPBACK_CLIENT_LIMITS: every test client comes from 127.0.0.1, so the limits per client
//              address are raised out of the way; a test of one of those limits sets it in env.
//              The parent's environment is NOT inherited (only PATH, HOME, TMPDIR, SYSTEMROOT), so a
//              REDIS_URL in the test environment never leaks into a relay meant to use SQLite.
//     options  { timeoutMs = 10000 } how long to wait for the "listening" log line;
//              { wrap?: string[] } a command the relay runs under: wrap[0] is spawned with the rest of wrap,
//              then node and the relay's main (e.g. unshare to give it a small disk of its own).
//   Resolves once the relay logged {"msg":"listening","url":...}; rejects with the relay's output
//   if it exits or stays silent first. Build first: `npm run build` (or node scripts/build.mjs relay).
//
//   RelayProcess
//     url, port       where it listens, e.g. http://127.0.0.1:41234
//     child           the ChildProcess
//     dataDir         its DATA_DIR (reuse it in a second start to restart on the same database)
//     logs            every stdout line parsed as JSON, in order (non-JSON lines as { raw: line })
//     output()        all stdout + stderr text so far
//     waitForLog(predicate, timeoutMs = 5000) → the first log entry (already seen or future) matching
//     exited          Promise of the exit code (null when ended by a signal), without signalling
//     stop(signal = 'SIGTERM', timeoutMs = 8000) → exit code (null when ended by a signal). Sends the
//                     signal, waits for exit, SIGKILLs after timeoutMs; removes a temp DATA_DIR. Safe
//                     to call twice or after the process has exited.
//     kill()          SIGKILL now and wait for exit. To restart on the same database, create the
//                     DATA_DIR yourself and pass it to both starts (a temp DATA_DIR goes with stop()).
//
// Every relay started here is also killed when the test process exits, as a last resort.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export type LogEntry = Record<string, unknown>;

export interface RelayProcess {
  url: string;
  port: number;
  child: ChildProcess;
  dataDir: string;
  logs: LogEntry[];
  output(): string;
  waitForLog(predicate: (entry: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  kill(): Promise<void>;
}

const ROOT = resolve(__dirname, '..', '..');
export const RELAY_MAIN = join(ROOT, 'dist', 'relay', 'main.js');

/**
 * The relay's limits per client address, raised: in tests (and benches, and the demo) every client
 * shares 127.0.0.1, which the defaults would treat as one busy stranger.
 */
export const LOOPBACK_CLIENT_LIMITS: Readonly<Record<string, string>> = {
  REGISTRATIONS_PER_IP_PER_MINUTE: '1000000',
  REGISTRATIONS_PER_SECOND: '1000000',
  MAX_CONNECTIONS_PER_IP: '1000000',
  CONNECTIONS_PER_IP_PER_SECOND: '1000000',
  MAX_SOCKETS_PER_CHANNEL_PER_IP: '1000000',
  TOKENS_PER_IP_PER_SECOND: '1000000',
};

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

export async function startRelayProcess(env: Record<string, string> = {}, options: { timeoutMs?: number; wrap?: readonly string[] } = {}): Promise<RelayProcess> {
  if (!existsSync(RELAY_MAIN)) throw new Error(`${RELAY_MAIN} is missing: run \`npm run build\` (or node scripts/build.mjs relay) first`);
  installExitHook();
  const ownDataDir = env.DATA_DIR === undefined;
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'relay-data-'));
  const [command, ...args] = options.wrap?.length ? [...options.wrap, process.execPath, RELAY_MAIN] : [process.execPath, RELAY_MAIN];
  const child = spawn(command!, args, {
    cwd: ROOT,
    env: { ...baseEnv(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...LOOPBACK_CLIENT_LIMITS, ...env, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);

  const logs: LogEntry[] = [];
  const waiters: { predicate: (entry: LogEntry) => boolean; resolve: (entry: LogEntry) => void }[] = [];
  let text = '';
  let pending = '';
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('exit', (code) => {
      live.delete(child);
      resolveExit(code);
    });
  });
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (text += chunk));
  child.stdout!.on('data', (chunk: string) => {
    text += chunk;
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (!line.trim()) continue;
      let entry: LogEntry;
      try {
        entry = JSON.parse(line) as LogEntry;
      } catch {
        entry = { raw: line };
      }
      logs.push(entry);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(entry)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(entry);
        }
      }
    }
  });

  function waitForLog(predicate: (entry: LogEntry) => boolean, timeoutMs = 5000): Promise<LogEntry> {
    const seen = logs.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolveEntry, reject) => {
      const waiter = {
        predicate,
        resolve: (entry: LogEntry) => {
          clearTimeout(timer);
          resolveEntry(entry);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no matching relay log line within ${timeoutMs} ms; output so far:\n${text}`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  }

  let stopping: Promise<number | null> | undefined;
  function stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 8000): Promise<number | null> {
    stopping ??= (async () => {
      if (exitCode === undefined) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      }
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
      return exited;
    })();
    return stopping;
  }

  async function kill(): Promise<void> {
    if (exitCode === undefined) child.kill('SIGKILL');
    await exited;
  }

  const timeoutMs = options.timeoutMs ?? 10_000;
  const listening = await Promise.race([
    waitForLog((entry) => entry.msg === 'listening' && typeof entry.url === 'string', timeoutMs).catch((err: Error) => err),
    exited.then((code) => new Error(`the relay exited with code ${code} before listening; output:\n${text}`)),
  ]);
  if (listening instanceof Error) {
    await stop('SIGKILL');
    throw listening;
  }
  const url = listening.url as string;
  return { url, port: Number(new URL(url).port), child, dataDir, logs, output: () => text, waitForLog, exited, stop, kill };
}
