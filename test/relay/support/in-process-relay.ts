// Starts a relay inside the test process (faster than a child, and its log can be read as data):
// settings from env-style overrides, a temp DATA_DIR, port 0, the limits per client address raised
// (LOOPBACK_CLIENT_LIMITS: every test client is 127.0.0.1), every log line kept as parsed JSON.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRelay, type Relay } from '../../../relay/server';
import { readSettings } from '../../../relay/settings';
import { LOOPBACK_CLIENT_LIMITS } from '../../helpers/relay-process';

export interface InProcessRelay {
  url: string;
  relay: Relay;
  /** Every log line, parsed. */
  logs: Record<string, unknown>[];
  /** Every log line as written. */
  logText(): string;
  /** The first log entry (already written or to come) matching. */
  waitForLog(predicate: (entry: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startInProcessRelay(env: Record<string, string> = {}): Promise<InProcessRelay> {
  const ownDataDir = env.DATA_DIR === undefined;
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'relay-test-'));
  const settings = readSettings({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SQLITE_SYNC: 'normal', ...LOOPBACK_CLIENT_LIMITS, ...env, DATA_DIR: dataDir });
  const lines: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<(entry: Record<string, unknown>) => void>();
  const relay = createRelay(settings, {
    processMetrics: false,
    logDestination: {
      write(line: string) {
        lines.push(line);
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        for (const waiter of [...waiters]) waiter(entry);
      },
    },
  });
  const { url } = await relay.listen();
  let closing: Promise<void> | undefined;
  return {
    url,
    relay,
    logs,
    logText: () => lines.join(''),
    waitForLog(predicate, timeoutMs = 5000) {
      const seen = logs.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching log entry within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (entry: Record<string, unknown>): void => {
          if (!predicate(entry)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(entry);
        };
        waiters.add(waiter);
      });
    },
    close: () =>
      (closing ??= (async () => {
        await relay.close();
        if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
      })()),
  };
}
