// A well-behaved channel beside an attack: one sheet posting a one-cell patch every `intervalMs`
// and a few plugins receiving them. It measures each change's delay from the start of its POST to
// its arrival at every subscriber, and counts what was acknowledged but never delivered, so a hostile
// test can assert that an attack on the relay did not hurt an honest user beside it.
//
// API
//   startBystander(relayUrl, options?) → Promise<Bystander>
//     options { subscribers = 2, intervalMs = 20, register?: (relayUrl, channel) => Promise<void> }
//     `register` claims the channel (default: the test API's unsigned PUT, expecting 201).
//   Bystander
//     channel                     the TestChannel it publishes on
//     mark()                      starts a new measuring window (returns its index)
//     latency(window?)            LatencyStats of deliveries in that window (default: the last)
//     stop()                      stops publishing, waits for the last deliveries (≤ 5 s), closes the
//                                 sockets and returns the Tally; safe to call twice
//     refusals()                  why posts were refused so far: "429 RATE_LIMITED", "network: <message>", … → count
//   LatencyStats { count, p50, p99, max } in milliseconds (count 0: the others are NaN)
//   Tally { acknowledged, delivered, lost, outOfOrder, refused } where delivered counts
//     acknowledged seqs seen by every subscriber, refused counts posts answered otherwise than 200
//     (a rate limit or a shutdown hurts the bystander too, and the test says whether that is fair).
//
//   processMemory(pid) → { rssBytes, peakRssBytes } read from /proc/<pid>/status (VmRSS, VmHWM):
//     the peak lets a test bound the memory an attack made the relay take, whenever it peaked.

import { readFileSync } from 'node:fs';
import { subscribe, type TestSocket } from '../../helpers/ws-client';
import { ModelSheet, newChannel, postChange, register as registerChannel, type TestChannel } from '../../relay/support/relay-api';

export interface LatencyStats {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface Tally {
  acknowledged: number;
  delivered: number;
  lost: number;
  outOfOrder: number;
  refused: number;
}

export interface Bystander {
  channel: TestChannel;
  mark(): number;
  latency(window?: number): LatencyStats;
  stop(): Promise<Tally>;
  refusals(): Record<string, number>;
}

export interface BystanderOptions {
  subscribers?: number;
  intervalMs?: number;
  register?: (relayUrl: string, channel: TestChannel) => Promise<void>;
}

async function defaultRegister(relayUrl: string, channel: TestChannel): Promise<void> {
  const answer = await registerChannel(relayUrl, channel, channel.secret);
  if (answer.status !== 201) throw new Error(`the bystander could not register its channel: ${answer.status} ${JSON.stringify(answer.body)}`);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

function stats(samples: readonly number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1]! : NaN };
}

export async function startBystander(relayUrl: string, options: BystanderOptions = {}): Promise<Bystander> {
  const subscriberCount = options.subscribers ?? 2;
  const intervalMs = options.intervalMs ?? 20;
  const channel = newChannel();
  await (options.register ?? defaultRegister)(relayUrl, channel);

  const sockets: TestSocket[] = [];
  for (let i = 0; i < subscriberCount; i++) sockets.push((await subscribe(relayUrl, channel.channelId, channel.token)).socket);

  /** seq → when its POST started; filled when the POST is answered, so arrivals can come first. */
  const sentAt = new Map<number, number>();
  /** seq → arrival times per subscriber that came before the answer. */
  const early = new Map<number, number[]>();
  const arrivals = new Map<number, number>();
  const windows: number[][] = [[]];
  let outOfOrder = 0;
  let refused = 0;
  const refusals: Record<string, number> = {};
  let lastFailure = '';
  const acknowledged: number[] = [];

  const record = (seq: number, at: number): void => {
    const start = sentAt.get(seq);
    if (start === undefined) {
      early.set(seq, [...(early.get(seq) ?? []), at]);
      return;
    }
    windows[windows.length - 1]!.push(at - start);
    arrivals.set(seq, (arrivals.get(seq) ?? 0) + 1);
  };

  sockets.forEach((socket) => {
    let last = 0;
    socket.ws.on('message', (data) => {
      const at = performance.now();
      let message: { type?: string; seq?: number };
      try {
        message = JSON.parse(data.toString()) as { type?: string; seq?: number };
      } catch {
        return;
      }
      if (message.type !== 'patch' || typeof message.seq !== 'number') return;
      if (message.seq <= last) outOfOrder++;
      last = message.seq;
      record(message.seq, at);
    });
  });

  const sheet = new ModelSheet();
  let running = true;
  const publishing = (async () => {
    for (let i = 0; running; i++) {
      const change = sheet.patch(0, 'Bystander', 1 + (i % 40), 1 + (i % 5), [[`value ${i}`]]);
      const started = performance.now();
      const answer = await postChange(relayUrl, channel, change).catch((err: Error) => {
        lastFailure = `network: ${(err.cause as Error | undefined)?.message ?? err.message}`;
        return undefined;
      });
      if (answer?.status === 200) {
        const seq = (answer.body as { seq: number }).seq;
        acknowledged.push(seq);
        sentAt.set(seq, started);
        for (const at of early.get(seq) ?? []) record(seq, at);
        early.delete(seq);
      } else {
        refused++;
        const why = answer ? `${answer.status} ${(answer.body as { error?: { code?: string } }).error?.code ?? ''}`.trim() : lastFailure;
        refusals[why] = (refusals[why] ?? 0) + 1;
        // The model moved on without the relay: start again from a snapshot so later hashes agree.
        const snapshot = sheet.fullSnapshot();
        await postChange(relayUrl, channel, snapshot).catch(() => undefined);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();

  let tally: Tally | undefined;
  return {
    channel,
    mark() {
      windows.push([]);
      return windows.length - 1;
    },
    latency(window = windows.length - 1) {
      return stats(windows[window] ?? []);
    },
    refusals: () => ({ ...refusals }),
    async stop() {
      if (tally) return tally;
      running = false;
      await publishing;
      const deadline = Date.now() + 5000;
      const allArrived = (): boolean => acknowledged.every((seq) => (arrivals.get(seq) ?? 0) >= subscriberCount);
      while (!allArrived() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await Promise.all(sockets.map((s) => s.close().catch(() => undefined)));
      const delivered = acknowledged.filter((seq) => (arrivals.get(seq) ?? 0) >= subscriberCount).length;
      tally = { acknowledged: acknowledged.length, delivered, lost: acknowledged.length - delivered, outOfOrder, refused };
      return tally;
    },
  };
}

export function processMemory(pid: number): { rssBytes: number; peakRssBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(m[1]) * 1024;
  };
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}
