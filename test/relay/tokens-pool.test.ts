// The tokens worker thread for real: it exports what the same work gives inline, one job after another,
// and one that runs out of its heap fails its job as TokensOutOfMemory (the relay answers "too large")
// and is replaced, so the next job runs.

import { GridDigest, snapshotTabsJson } from '../../shared/protocol/grid-digest';
import type { CellValue, Grid } from '../../shared/protocol/grid';
import { createLogger } from '../../relay/logger';
import { nodeDigest } from '../../relay/node-digest';
import { TokensOutOfMemory, TokensPool } from '../../relay/tokens-pool';
import { exportFromSnapshot, type TokensJob } from '../../relay/tokens-work';
import { snapshotMessageText } from '../../relay/wire-messages';
import { checkTokenOptions } from '../../shared/tokens/export-tokens';

jest.setTimeout(60_000);

const pools: TokensPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

function snapshotOf(grid: Grid): Buffer {
  const state = GridDigest.of(grid, nodeDigest).state;
  return Buffer.from(snapshotMessageText({ epoch: 'e1', seq: 7, hash: state.hash, title: undefined, at: undefined, tabsJson: snapshotTabsJson(state) }));
}

const small: Grid = { tabs: [{ tabId: 0, name: 'Colors', rows: [['Name', 'Light', 'Dark'], ['bg', '#ffffff', '#000000'], ['fg', '{bg}', '#eeeeee']] }] };

/** Tabs of 5,000 numbers in 4 modes each, ~2 MB of grid: exported as DTCG, far more than a small heap holds. */
function large(): Grid {
  return {
    tabs: Array.from({ length: 12 }, (_, t) => ({
      tabId: t,
      name: `T${t}`,
      rows: [['Name', 'A', 'B', 'C', 'D'], ...Array.from({ length: 5000 }, (_, r): CellValue[] => [`size/${r}`, r, r + 1, r + 2, r + 3])],
    })),
  };
}

function job(grid: Grid, query: Parameters<typeof checkTokenOptions>[0]): TokensJob {
  return { channelId: 'cAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', snapshot: snapshotOf(grid), options: checkTokenOptions(query), maxBytes: 1e9 };
}

test('the worker exports exactly what the same work gives inline, job after job', async () => {
  const pool = new TokensPool(createLogger('silent'));
  pools.push(pool);
  for (const query of [{ format: 'dtcg' as const }, { format: 'css' as const, mode: 'Dark' }]) {
    const inline = exportFromSnapshot(job(small, query));
    const onWorker = await pool.run(job(small, query));
    expect(onWorker).toEqual(inline);
  }
  expect(pool.pending).toBe(0);
});

test('a worker that runs out of its heap fails its job as TokensOutOfMemory and is replaced for the next job', async () => {
  const pool = new TokensPool(createLogger('silent'), 32);
  pools.push(pool);
  await expect(pool.run(job(large(), { format: 'dtcg' }))).rejects.toBeInstanceOf(TokensOutOfMemory);
  const after = await pool.run(job(small, { format: 'json' }));
  expect(after.outcome).toBe('ready');
});
