// When the grid cache is written: once after a quiet spell, at the latest maxWaitMs into a steady
// stream, at once after a snapshot, never twice for one position, and not at all once forgotten.

import { GridCache, type GridCacheEntry } from '../../../figma-plugin/main/grid-cache';
import { GridCacheWriter } from '../../../figma-plugin/main/grid-cache-writer';
import { realTimers } from '../../../figma-plugin/main/host';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import type { Grid } from '../../../shared/protocol/grid';
import { createFakeFigma } from '../../fakes/figma/fake-figma';

const gridAt = (seq: number): Grid => ({ tabs: [{ tabId: 1, name: 'Colors', rows: [['Name', 'Value'], ['color/a', `#00000${seq % 10}`]] }] });
const entry = (seq: number): GridCacheEntry => ({
  relayUrl: 'https://relay.example.com',
  channelId: 'channel-0123456789ab',
  position: { epoch: 'e1', seq },
  hash: gridHash(gridAt(seq)),
  grid: gridAt(seq),
});

beforeEach(() => {
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

function setup() {
  const fake = createFakeFigma();
  const writer = new GridCacheWriter(new GridCache(fake.figma.clientStorage, () => Date.now()), realTimers, { quietMs: 1500, maxWaitMs: 10_000 });
  /** The position the cache holds for file-a, read straight from storage. */
  const cachedSeq = () => (fake.storage.get('grid-cache:file-a') as { position: { seq: number } } | undefined)?.position.seq;
  return { fake, writer, cachedSeq };
}

test('a burst of applies is written once, quietMs after the last of them', async () => {
  const { writer, cachedSeq } = setup();
  for (let seq = 1; seq <= 5; seq++) {
    writer.offer('file-a', entry(seq), false);
    jest.advanceTimersByTime(1000);
  }
  await writer.idle();
  expect(cachedSeq()).toBeUndefined();
  jest.advanceTimersByTime(499);
  await writer.idle();
  expect(cachedSeq()).toBeUndefined();
  jest.advanceTimersByTime(1);
  await writer.idle();
  expect(cachedSeq()).toBe(5);
  expect(writer.results).toEqual(['written']);
});

test('during a steady stream of applies the newest is written maxWaitMs after the first one not yet written', async () => {
  const { writer, cachedSeq } = setup();
  let seq = 0;
  for (let elapsed = 0; elapsed < 10_000; elapsed += 1000) {
    writer.offer('file-a', entry(++seq), false);
    jest.advanceTimersByTime(1000);
  }
  await writer.idle();
  expect(cachedSeq()).toBe(10);
  expect(writer.results).toEqual(['written']);
});

test('a grid from a snapshot is written at once, in place of a write still waiting', async () => {
  const { writer, cachedSeq } = setup();
  writer.offer('file-a', entry(1), false);
  writer.offer('file-a', entry(2), true);
  await writer.idle();
  expect(cachedSeq()).toBe(2);
  jest.advanceTimersByTime(20_000);
  await writer.idle();
  expect(writer.results).toEqual(['written']);
});

test('the position the cache already holds is not written again', async () => {
  const { fake, writer } = setup();
  writer.offer('file-a', entry(1), true);
  await writer.idle();
  writer.offer('file-a', entry(1), true);
  await writer.idle();
  expect(writer.results).toEqual(['written', 'unchanged']);
  expect(fake.log.count('clientStorage.setAsync')).toBe(2);
});

test('a position an earlier session cached is not written again', async () => {
  const { fake, writer } = setup();
  writer.offer('file-a', entry(4), true);
  await writer.idle();
  const later = new GridCacheWriter(new GridCache(fake.figma.clientStorage, () => Date.now()), realTimers);
  fake.log.reset();
  later.offer('file-a', entry(4), true);
  await later.idle();
  expect(later.results).toEqual(['unchanged']);
  expect(fake.log.count('clientStorage.setAsync')).toBe(0);
});

test('forgetting a file drops the write still waiting and removes what was cached', async () => {
  const { fake, writer } = setup();
  writer.offer('file-a', entry(1), true);
  writer.offer('file-a', entry(2), false);
  await writer.forget('file-a');
  jest.advanceTimersByTime(20_000);
  await writer.idle();
  expect([...fake.storage.keys()]).toEqual([]);
  expect(writer.results).toEqual(['written']);
  expect(jest.getTimerCount()).toBe(0);
});

test('writes run one after another, so the newest grid is the one left in the cache', async () => {
  const { writer, cachedSeq } = setup();
  writer.offer('file-a', entry(1), true);
  writer.offer('file-a', entry(2), true);
  writer.offer('file-a', entry(3), true);
  await writer.idle();
  expect(cachedSeq()).toBe(3);
  expect(writer.results).toEqual(['written', 'written', 'written']);
});
