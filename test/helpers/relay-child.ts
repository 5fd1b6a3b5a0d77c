// Starts the built relay (dist/relay/main.js) as a child process on loopback, for the demo and the
// benches: unlike relay-process.ts (the tests' starter) it keeps none of the relay's log, so a long run
// costs the measuring process neither memory nor the CPU of parsing every line; errors the relay logs
// are echoed to stderr. Build first: `npm run build` (or node scripts/build.mjs relay).
//
// API
//   startRelayChild(options?) → Promise<RelayChild>, once the relay logged {"msg":"listening"}
//     options.env          settings on top of the defaults below
//     options.port         0 (a free port) unless given
//     options.dataDir      its DATA_DIR; a new temp folder, removed by stop(), unless given
//     options.clientLimits 'loopback' (default): every client comes from 127.0.0.1, so the limits per
//                          client address are raised out of the way (LOOPBACK_CLIENT_LIMITS);
//                          'production': the relay's own defaults, as on the internet (attack benches)
//   RelayChild { child, url, pid, dataDir, stop() } where stop() sends SIGTERM (the relay's graceful
//   stop), SIGKILL after 8 s, and resolves once it has exited.
//   listeningUrl(child) → the URL a child server logs in its {"msg":"listening","url":…} line; keeps
//   draining stdout afterwards so the child never blocks on a full pipe.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './e2e-project-root';
import { LOOPBACK_CLIENT_LIMITS } from './relay-process';

export interface RelayChild {
  child: ChildProcess;
  url: string;
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface RelayChildOptions {
  env?: Record<string, string>;
  port?: number;
  dataDir?: string;
  clientLimits?: 'loopback' | 'production';
}

export async function startRelayChild(options: RelayChildOptions = {}): Promise<RelayChild> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'relay-child-'));
  const limits = (options.clientLimits ?? 'loopback') === 'loopback' ? LOOPBACK_CLIENT_LIMITS : {};
  const child = spawn(process.execPath, [join(projectRoot(), 'dist', 'relay', 'main.js')], {
    // LOG_LEVEL info: the "listening" line is an info line; later lines are read and dropped.
    env: { PATH: process.env.PATH ?? '', PORT: String(options.port ?? 0), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...limits, ...options.env, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const removeDataDir = (): void => {
    if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
  };
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
  let url: string;
  try {
    url = await listeningUrl(child);
  } catch (err) {
    removeDataDir();
    throw new Error(`${(err as Error).message}: ${errors.trim()}`);
  }
  return {
    child,
    url,
    pid: child.pid!,
    dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), 8000);
        await exited;
        clearTimeout(force);
      }
      removeDataDir();
    },
  };
}

export function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let pending = '';
    let found = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        // After "listening" only errors are parsed; the rest is drained unread.
        if (found && !line.includes('"level":5') && !line.includes('"level":6')) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string; level?: number };
          if (!found && entry.msg === 'listening' && entry.url) {
            found = true;
            resolve(entry.url);
          } else if ((entry.level ?? 0) >= 50) process.stderr.write(`relay: ${line}\n`);
        } catch {
          // Not a log line.
        }
      }
      if (pending.length > 1e6) pending = '';
    });
    child.once('exit', (code) => reject(new Error(`the server exited (code ${code}) before listening`)));
  });
}
