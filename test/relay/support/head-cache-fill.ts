// Run in a child process (node --expose-gc): offers a HeadCache far more heads than its budget holds
// (chunk metadata, chunk texts read, snapshot buffers), each built and then dropped by this script, and
// prints the cache's own count and the process's measured memory growth as JSON.

import { HeadCache } from '../../../relay/head-cache';
import { nodeDigest } from '../../../relay/node-digest';
import { gridStateOf } from '../../../shared/protocol/grid-digest';

const budget = Number(process.argv[2]);
const heads = Number(process.argv[3]);
const rows = Number(process.argv[4]);

const gc = (globalThis as { gc?: () => void }).gc!;
function used(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const cache = new HeadCache(budget);
const before = used();
let offered = 0;
for (let h = 0; h < heads; h++) {
  // Text with non-Latin-1 characters in some heads (two-byte strings in V8).
  const label = h % 3 === 0 ? 'ü✓' : 'token';
  const grid = { tabs: [{ tabId: 0, name: `T${h}`, rows: Array.from({ length: rows }, (_, i) => [`${label}/${h}/${i}`, '#0066ff', i]) }] };
  const state = gridStateOf(grid, nodeDigest);
  const snapshot = h % 2 === 0 ? Buffer.alloc(state.bytes + 100, 1) : undefined;
  cache.put(`channel-${h}`, { epoch: 'e', seq: h, hash: state.hash, title: undefined, at: undefined, state, snapshot });
  offered += state.bytes * 2 + (snapshot?.byteLength ?? 0);
}
const after = used();
process.stdout.write(JSON.stringify({ budget, offered, counted: cache.bytes, kept: cache.size, growth: after - before }));
