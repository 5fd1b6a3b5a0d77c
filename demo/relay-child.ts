// Starts the built relay (dist/relay/main.js) as a child process on loopback with its own data
// folder, for the demo and the end-to-end bench; resolves with its URL once it logs "listening".

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../test/helpers/e2e-project-root';
import { LOOPBACK_CLIENT_LIMITS } from '../test/helpers/relay-process';

export interface RelayChild {
  child: ChildProcess;
  url: string;
  /** SIGTERM (the relay's graceful stop), SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

export function startRelayChild(options: { port: number; dataDir: string; env?: Record<string, string> }): Promise<RelayChild> {
  const child = spawn(process.execPath, [join(projectRoot(), 'dist', 'relay', 'main.js')], {
    // The demo's sheets, plugins and page all come from 127.0.0.1: the limits per client address are raised.
    env: { PATH: process.env.PATH ?? '', PORT: String(options.port), HOST: '127.0.0.1', DATA_DIR: options.dataDir, LOG_LEVEL: 'info', ...LOOPBACK_CLIENT_LIMITS, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(force);
  };
  return new Promise((resolve, reject) => {
    let pending = '';
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string; level?: number };
          if (entry.msg === 'listening' && entry.url) resolve({ child, url: entry.url, stop });
          else if ((entry.level ?? 0) >= 50) process.stderr.write(`relay: ${line}\n`);
        } catch {
          // Not a log line: ignore.
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`the relay exited (code ${code}) before listening: ${errors.trim()}`)));
  });
}
