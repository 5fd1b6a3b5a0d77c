// TokenExports with a controllable worker: concurrent polls of one position and query share one export,
// exports past TOKENS_QUEUE are refused with RELAY_BUSY, the cache keeps within its bytes, a worker that
// ran out of memory answers "too large" once for the position, and a mode no tab has is refused from
// what the last export learned, without another. Counts, never times.

import { Registry } from 'prom-client';
import { SyncError } from '../../shared/protocol/errors';
import { snapshotTabsJson, GridDigest } from '../../shared/protocol/grid-digest';
import type { Grid } from '../../shared/protocol/grid';
import { RelayMetrics } from '../../relay/metrics';
import type { Snapshots } from '../../relay/snapshots';
import { TokenExports, TokensMetrics, type TokenExportSettings } from '../../relay/token-exports';
import { parseTokensQuery } from '../../relay/tokens-request';
import { TokensOutOfMemory, type TokensPool } from '../../relay/tokens-pool';
import { exportFromSnapshot, type TokensJob, type TokensOutcome } from '../../relay/tokens-work';
import { snapshotMessageText } from '../../relay/wire-messages';
import { nodeDigest } from '../../relay/node-digest';

const grid: Grid = {
  tabs: [
    { tabId: 0, name: 'Colors', rows: [['Name', 'Light', 'Dark'], ['bg', '#ffffff', '#000000'], ['fg', '{bg}', '#eeeeee']] },
    { tabId: 1, name: 'Sizes', rows: [['Name', 'Value'], ['gap', '8px']] },
  ],
};

function snapshotOf(g: Grid, seq: number): Buffer {
  const state = GridDigest.of(g, nodeDigest).state;
  return Buffer.from(snapshotMessageText({ epoch: 'e1', seq, hash: state.hash, title: undefined, at: undefined, tabsJson: snapshotTabsJson(state) }));
}

/** A pool whose jobs finish when the test says (each job exported for real, inline). */
class HeldPool {
  readonly jobs: { job: TokensJob; finish: () => void; fail: (err: Error) => void }[] = [];
  get pending(): number {
    return this.jobs.length;
  }
  run(job: TokensJob): Promise<TokensOutcome> {
    return new Promise((resolve, reject) => {
      const entry = {
        job,
        finish: () => {
          this.jobs.splice(this.jobs.indexOf(entry), 1);
          resolve(exportFromSnapshot(job));
        },
        fail: (err: Error) => {
          this.jobs.splice(this.jobs.indexOf(entry), 1);
          reject(err);
        },
      };
      this.jobs.push(entry);
    });
  }
}

function setup(settings: Partial<TokenExportSettings> = {}, message = snapshotOf(grid, 3)) {
  const pool = new HeldPool();
  let snapshotReads = 0;
  const snapshots = {
    current: async () => {
      snapshotReads++;
      return { epoch: 'e1', seq: 3, title: undefined, message };
    },
  } as unknown as Snapshots;
  const relayMetrics = new RelayMetrics({ processMetrics: false });
  const exports = new TokenExports(
    snapshots,
    pool as unknown as TokensPool,
    { inlineBytes: 0, cacheBytes: 64 * 1024 * 1024, queue: 2, maxBytes: 16 * 1024 * 1024, ...settings },
    new TokensMetrics(new Registry()),
    relayMetrics,
  );
  return { pool, exports, relayMetrics, reads: () => snapshotReads };
}

const at = { epoch: 'e1', seq: 3 };
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('concurrent polls of one position and query wait for one export; later ones are answered from the cache', async () => {
  const { pool, exports } = setup();
  const query = parseTokensQuery('/t?format=css');
  const polls = Array.from({ length: 5 }, () => exports.get('c1', at, query));
  await flush();
  expect(pool.jobs.length).toBe(1);
  pool.jobs[0]!.finish();
  const answers = await Promise.all(polls);
  expect(answers.map((a) => a.how)).toEqual(['exported', 'shared', 'shared', 'shared', 'shared']);
  expect(new Set(answers.map((a) => a.outcome)).size).toBe(1);
  expect((await exports.get('c1', at, query)).how).toBe('cached');
  expect(pool.jobs.length).toBe(0);
});

test('exports past the queue bound are RELAY_BUSY (counted as tokens_queue), and taken again once the worker is free', async () => {
  const { pool, exports, relayMetrics } = setup({ queue: 2 });
  const running = [exports.get('c1', at, parseTokensQuery('/t?format=css')), exports.get('c1', at, parseTokensQuery('/t?format=json'))];
  await flush();
  expect(pool.pending).toBe(2);
  await expect(exports.get('c1', at, parseTokensQuery('/t'))).rejects.toMatchObject({ code: 'RELAY_BUSY', detail: '2 token exports are waiting for the tokens worker (TOKENS_QUEUE)' });
  expect(await relayMetrics.registry.getSingleMetricAsString('relay_limited_total')).toContain('relay_limited_total{limit="tokens_queue"} 1');
  for (const job of [...pool.jobs]) job.finish();
  await Promise.all(running);
  const later = exports.get('c1', at, parseTokensQuery('/t'));
  await flush();
  pool.jobs[0]!.finish();
  expect((await later).outcome.outcome).toBe('ready');
});

test('a grid within the inline bound is exported at once, without the worker', async () => {
  const { pool, exports } = setup({ inlineBytes: 1024 * 1024 });
  const { outcome, how } = await exports.get('c1', at, parseTokensQuery('/t?format=json&mode=Dark'));
  expect([outcome.outcome, how, pool.jobs.length]).toEqual(['ready', 'exported', 0]);
});

test('the cache keeps within its bytes: past them the least recently used export goes, and one larger than the budget is not kept', async () => {
  const one = exportFromSnapshot({ channelId: 'c1', snapshot: snapshotOf(grid, 3), options: parseTokensQuery('/t?format=css').options, maxBytes: 1e9 });
  if (one.outcome !== 'ready') throw new Error('expected an export');
  const entry = one.bundle.byteLength + one.bundleGzip.byteLength + one.fileBytes.byteLength;
  const { exports } = setup({ inlineBytes: 1024 * 1024, cacheBytes: entry * 2 + 2000 });
  const css = parseTokensQuery('/t?format=css');
  await exports.get('c1', at, css);
  await exports.get('c2', at, css);
  expect(exports.cacheBytes).toBeLessThanOrEqual(entry * 2 + 2000);
  expect((await exports.get('c1', at, css)).how).toBe('cached');
  await exports.get('c3', at, css);
  // c2 was the least recently used.
  expect((await exports.get('c2', at, css)).how).toBe('exported');
  const tiny = setup({ inlineBytes: 1024 * 1024, cacheBytes: 100 });
  await tiny.exports.get('c1', at, css);
  expect([(await tiny.exports.get('c1', at, css)).how, tiny.exports.cacheBytes]).toEqual(['exported', 0]);
});

test('a worker that ran out of memory makes the position "too large" once: the next poll is refused without another try', async () => {
  const { pool, exports } = setup();
  const query = parseTokensQuery('/t');
  const first = exports.get('c1', at, query);
  await flush();
  pool.jobs[0]!.fail(new TokensOutOfMemory('ERR_WORKER_OUT_OF_MEMORY'));
  expect((await first).outcome).toMatchObject({ outcome: 'too-large', bytes: undefined, seq: 3 });
  expect((await exports.get('c1', at, query)).how).toBe('cached');
  expect(pool.jobs.length).toBe(0);
});

test('a worker that failed otherwise fails the polls waiting for it, and the next poll tries again', async () => {
  const { pool, exports } = setup();
  const query = parseTokensQuery('/t');
  const polls = [exports.get('c1', at, query), exports.get('c1', at, query)];
  await flush();
  pool.jobs[0]!.fail(new SyncError('INTERNAL', 'the worker exporting these tokens stopped; retry'));
  for (const poll of polls) await expect(poll).rejects.toMatchObject({ code: 'INTERNAL' });
  const again = exports.get('c1', at, query);
  await flush();
  expect(pool.jobs.length).toBe(1);
  pool.jobs[0]!.finish();
  expect((await again).how).toBe('exported');
});

test('a mode no tab has, asked at the position last exported, is refused from the modes that export learned', async () => {
  const { pool, exports, reads } = setup({ inlineBytes: 1024 * 1024 });
  await exports.get('c1', at, parseTokensQuery('/t?format=css'));
  const readsBefore = reads();
  const { outcome, how } = await exports.get('c1', at, parseTokensQuery('/t?format=json&mode=Sepia'));
  expect([outcome.outcome, outcome.modes, how, reads() - readsBefore, pool.jobs.length]).toEqual(['unknown-mode', ['Light', 'Value', 'Dark'], 'cached', 0, 0]);
  // At another position nothing is known yet: the export finds out.
  expect((await exports.get('c1', { epoch: 'e1', seq: 4 }, parseTokensQuery('/t?format=json&mode=Sepia'))).how).toBe('exported');
});
