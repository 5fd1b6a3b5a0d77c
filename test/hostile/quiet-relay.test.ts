// The yardstick of the hostile tests: with no attack, the bystander's channel gets every change it
// posted, at every subscriber, in order, and its measurements are plausible. If this fails, the
// hostile tests beside it measure nothing.

import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { processMemory, startBystander } from './support/bystander';

let relay: RelayProcess | undefined;
afterAll(async () => {
  await relay?.stop();
});

test('a quiet relay delivers every bystander change to every subscriber, in order, and its memory can be read', async () => {
  relay = await startRelayProcess();
  const bystander = await startBystander(relay.url, { subscribers: 3, intervalMs: 10 });
  await new Promise((resolve) => setTimeout(resolve, 400));
  const window = bystander.mark();
  await new Promise((resolve) => setTimeout(resolve, 400));
  const latency = bystander.latency(window);
  const tally = await bystander.stop();

  expect(tally.acknowledged).toBeGreaterThan(5);
  expect(tally).toEqual({ acknowledged: tally.acknowledged, delivered: tally.acknowledged, lost: 0, outOfOrder: 0, refused: 0 });
  expect(latency.count).toBeGreaterThan(0);
  expect(latency.p50).toBeGreaterThan(0);
  expect(latency.max).toBeGreaterThanOrEqual(latency.p99);
  const memory = processMemory(relay.child.pid!);
  expect(memory.peakRssBytes).toBeGreaterThanOrEqual(memory.rssBytes);
  expect(memory.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
});
