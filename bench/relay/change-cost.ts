// Relay bench, the cost of a change: one-cell patches (and wrong-hash patches) on a ~4.3 MB grid,
// measured as the CPU time of the relay's main thread (the thread serving every socket), read from
// /proc/<pid>/task/<pid>/stat, beside the baseline of what every change cost before protocol v2: the
// whole grid serialised and hashed, measured in this process. Target: < 5 ms per patch.

import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { applyChange, emptyGrid } from '../../shared/protocol/grid';
import { bigRows, createBigChannel } from '../../test/hostile/support/big-channel';
import { postChange } from '../../test/relay/support/relay-api';

export interface ChangeCost {
  gridBytes: number;
  patches: number;
  /** Main-thread CPU per one-cell patch (ms). */
  patchCpuMs: number;
  patchLatencyP50Ms: number;
  wrongHashCpuMs: number;
  /** What one change cost before: JSON.stringify of the grid + SHA-256, in this process (ms). */
  v1RehashMs: number;
}

/** CPU seconds (user + system) of one thread of a process. */
export function threadCpuSeconds(pid: number, tid = pid): number {
  const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function changeCostScenario(relay: { url: string; child: ChildProcess }, patches = 300): Promise<ChangeCost> {
  const { channel, sheet } = await createBigChannel(relay.url);
  const pid = relay.child.pid!;
  // Warm up: the touched chunks' texts come from the store once; JIT.
  for (let i = 0; i < 20; i++) await postChange(relay.url, channel, sheet.patch(0, 'Tokens', 1 + i * 4001, 2, [['#111111']]));
  const latencies: number[] = [];
  const cpuBefore = threadCpuSeconds(pid);
  for (let i = 0; i < patches; i++) {
    const change = sheet.patch(0, 'Tokens', 1 + ((i * 2711) % 80_000), 2, [[`#${String(i).padStart(6, '0')}`]]);
    const started = performance.now();
    const answer = await postChange(relay.url, channel, change);
    latencies.push(performance.now() - started);
    if (answer.status !== 200) throw new Error(`a patch answered ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  const patchCpuMs = ((threadCpuSeconds(pid) - cpuBefore) * 1000) / patches;
  const wrong = Math.round(patches / 3);
  const wrongBefore = threadCpuSeconds(pid);
  for (let i = 0; i < wrong; i++) {
    const kept = sheet.grid;
    const change = { ...sheet.patch(0, 'Tokens', 1 + ((i * 7919) % 80_000), 2, [['#abcdef']]), hash: 'f'.repeat(64) };
    // The relay refuses it: the model stays where the relay is.
    sheet.grid = kept;
    const answer = await postChange(relay.url, channel, change);
    if (answer.status !== 409) throw new Error(`a wrong-hash patch answered ${answer.status}`);
  }
  const wrongHashCpuMs = ((threadCpuSeconds(pid) - wrongBefore) * 1000) / wrong;

  const grid = applyChange(emptyGrid(), { kind: 'snapshot', tabs: [{ tabId: 0, name: 'Tokens', values: bigRows(80_000) }] });
  const rounds = 10;
  const started = performance.now();
  for (let i = 0; i < rounds; i++) createHash('sha256').update(JSON.stringify(grid.tabs.map((t) => [t.tabId, t.name, t.rows]))).digest('hex');
  const v1RehashMs = (performance.now() - started) / rounds;
  latencies.sort((a, b) => a - b);
  return {
    gridBytes: JSON.stringify(grid.tabs[0]!.rows).length,
    patches,
    patchCpuMs,
    patchLatencyP50Ms: latencies[Math.floor(latencies.length / 2)]!,
    wrongHashCpuMs,
    v1RehashMs,
  };
}
