// The head cache: heads kept by channel and position, least recently used dropped past the budget, the
// bytes counted as texts and snapshots are added; and, in a child process with a forced GC, the
// process's memory growth from offering it far more than it may hold stays within that budget.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { ENTRY_BYTES, HeadCache, entryBytes, type CachedHead } from '../../relay/head-cache';
import { gridStateOf, type ChunkState, type GridState } from '../../shared/protocol/grid-digest';

function head(seq: number, rows = 600, snapshotBytes = 0): CachedHead {
  const full = gridStateOf({ tabs: [{ tabId: 0, name: 'T', rows: Array.from({ length: rows }, (_, i) => [`row-${i}`, i]) }] });
  // As read from a store: metadata only.
  const state: GridState = { ...full, tabs: full.tabs.map((t) => ({ ...t, chunks: t.chunks.map(({ text: _text, ...meta }) => meta) })) };
  return { epoch: 'e', seq, hash: state.hash, title: undefined, at: undefined, state, snapshot: snapshotBytes ? Buffer.alloc(snapshotBytes) : undefined };
}

test('a head is kept per channel; texts and a snapshot added later are counted', () => {
  const cache = new HeadCache(10 * 1024 * 1024);
  const kept = cache.put('a', head(1));
  const base = cache.bytes;
  expect(base).toBe(entryBytes(kept));
  const chunk = kept.state!.tabs[0]!.chunks[0]! as ChunkState;
  cache.addTexts('a', kept, [chunk], ['x'.repeat(chunk.bytes)]);
  expect(cache.bytes).toBe(base + 24 + chunk.bytes);
  cache.setSnapshot('a', { epoch: 'e', seq: 1, title: undefined, message: Buffer.alloc(1000) });
  expect([cache.bytes, cache.get('a')!.snapshot!.byteLength]).toEqual([base + 24 + chunk.bytes + 1000, 1000]);
  // A snapshot of another position replaces the head with a snapshot-only one.
  cache.setSnapshot('a', { epoch: 'e', seq: 2, title: undefined, message: Buffer.alloc(10) });
  expect(cache.get('a')).toEqual(expect.objectContaining({ seq: 2, state: undefined }));
});

test('past the budget the least recently used heads go, and a hit counts as a use', () => {
  const one = entryBytes(head(1));
  const cache = new HeadCache(one * 2 + 10);
  cache.put('a', head(1));
  cache.put('b', head(1));
  cache.get('a');
  cache.put('c', head(1));
  expect([cache.get('a')?.seq, cache.get('b'), cache.get('c')?.seq]).toEqual([1, undefined, 1]);
  expect(cache.bytes).toBeLessThanOrEqual(one * 2 + 10);
});

test('the newest head alone over the budget keeps its metadata only', () => {
  const cache = new HeadCache(ENTRY_BYTES * 4);
  cache.put('a', head(1, 2000, 5000));
  const kept = cache.get('a')!;
  expect([kept.snapshot, kept.state!.tabs[0]!.chunks.every((c) => c.text === undefined), cache.size]).toEqual([undefined, true, 1]);
});

test('offered far more than its budget, the cache grows the process memory by no more than the budget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'head-cache-'));
  try {
    const script = join(dir, 'fill.cjs');
    const out = buildSync({ entryPoints: [join(__dirname, 'support/head-cache-fill.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', write: false, logLevel: 'silent' });
    writeFileSync(script, out.outputFiles[0]!.text);
    const budget = 16 * 1024 * 1024;
    const fill = (bytes: number) => {
      const run = spawnSync(process.execPath, ['--expose-gc', script, String(bytes), '200', '8000'], { encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      return JSON.parse(run.stdout) as { budget: number; offered: number; counted: number; kept: number; growth: number };
    };
    const cached = fill(budget);
    // The same work with a cache that keeps (almost) nothing: what the run itself leaves in memory
    // (V8's and crypto's own caches), so the difference is what the cache holds.
    const baseline = fill(0);
    const held = cached.growth - baseline.growth;
    // Offered several times the budget; it kept within it, by its count and by the process's measure.
    expect(cached.offered).toBeGreaterThan(5 * budget);
    expect(cached.counted).toBeLessThanOrEqual(budget);
    expect(cached.kept).toBeGreaterThan(1);
    expect(held).toBeLessThanOrEqual(budget);
    // And the count is not a wild overestimate: what it says it holds is mostly really held.
    expect(held).toBeGreaterThan(cached.counted * 0.7);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
