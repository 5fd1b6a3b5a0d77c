// Row 8 of issue 11, the order of a signed request's checks: requests far past a channel's rate are
// refused before their body is read and before the replay guard remembers anything (so a refused one
// can be sent again later); bodies that only fail their signature are held at most
// MAX_INFLIGHT_BODY_BYTES in total; stale timestamps are answered without reading a body. On SQLite
// and on Redis where the store matters, while a well-behaved channel beside the flood keeps every change.

import Redis from 'ioredis';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { newChannel, register } from '../relay/support/relay-api';
import { attackerAddresses } from './support/attacker';
import { resend, signedFlood } from './support/attack-signed-flood';
import { processMemory, startBystander, type Bystander } from './support/bystander';
import { PRODUCTION_CLIENT_LIMITS } from './support/relay-env';
import { expectBystanderUnharmed, WELL_BEHAVED } from './support/unharmed';

let redis: TestRedis;
let relay: RelayProcess | undefined;
let bystander: Bystander | undefined;
beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await bystander?.stop();
  bystander = undefined;
  await relay?.stop();
  relay = undefined;
});
afterAll(async () => {
  await redis?.stop();
});

const homes: [string, (prefix: string) => Record<string, string>][] = [
  ['sqlite', () => ({})],
  ['redis', (prefix) => ({ REDIS_URL: redis.url, REDIS_PREFIX: prefix })],
];

describe.each(homes)('on %s', (name, storeEnv) => {
  test('signed requests far past the channel rate are refused before the replay guard: it keeps only what passed, and a refused request is taken later', async () => {
    const prefix = `order${process.pid}${Date.now() % 100000}:`;
    relay = await startRelayProcess({ ...PRODUCTION_CLIENT_LIMITS, ...storeEnv(prefix) });
    const owner = newChannel();
    await register(relay.url, owner, owner.secret);
    bystander = await startBystander(relay.url, WELL_BEHAVED);
    const window = bystander.mark();
    const started = Date.now();
    const flood = await signedFlood(relay.url, owner, { durationMs: 3000, kind: 'valid', addresses: attackerAddresses(4), concurrency: 16 });
    const seconds = (Date.now() - started) / 1000;
    // The flood's patches name a wrong hash: those past the rate limit are checked (409), the rest refused (429).
    const passed = flood.answers['409 HASH_MISMATCH'] ?? 0;
    expect(flood.answers).toEqual({ '409 HASH_MISMATCH': passed, '429 RATE_LIMITED': flood.sent - passed });
    expect(passed).toBeLessThanOrEqual(100 + 20 * Math.ceil(seconds + 1));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const again = await resend(relay.url, flood.refusedByRate[0]!);
    expect(again).toEqual({ status: 409, code: 'HASH_MISMATCH' });
    await expectBystanderUnharmed(bystander, window);
    if (name === 'redis') {
      // Every signature Redis remembers belongs to a request that passed the rate: the flood's, the resent one, the bystander's.
      const { acknowledged, refused } = await bystander.stop();
      const raw = new Redis(redis.url);
      try {
        expect((await raw.keys(`${prefix}sig:*`)).length).toBeLessThanOrEqual(passed + 1 + acknowledged + 2 * refused);
        expect(passed + 1 + acknowledged).toBeLessThan(flood.sent / 3);
      } finally {
        raw.disconnect();
      }
    }
  });
});

test('bodies that fail their signature, from 20 addresses at once, are held at most MAX_INFLIGHT_BODY_BYTES in total', async () => {
  relay = await startRelayProcess({ ...PRODUCTION_CLIENT_LIMITS, MAX_BODY_BYTES: String(1024 * 1024), MAX_INFLIGHT_BODY_BYTES: String(8 * 1024 * 1024), REQUEST_RATE: '1000', REQUEST_BURST: '1000' });
  const victim = newChannel();
  await register(relay.url, victim, victim.secret);
  bystander = await startBystander(relay.url, WELL_BEHAVED);
  const window = bystander.mark();
  // Each body all but its last byte, held a second: 32 at once would hold 32 MB.
  const flood = await signedFlood(relay.url, victim, { durationMs: 3000, kind: 'bad-signature', addresses: attackerAddresses(20, 60), concurrency: 32, bodyBytes: 1000 * 1000, holdLastByteMs: 1000 });
  expect(Object.keys(flood.answers).sort()).toEqual(['401 BAD_SIGNATURE', '503 OVERLOADED']);
  expect(flood.answers['503 OVERLOADED']).toBeGreaterThan(0);
  // Some 80 MB of the relay's own, the 8 MB budget, and room for parsing what it holds.
  expect(processMemory(relay.child.pid!).peakRssBytes).toBeLessThan(256 * 1024 * 1024);
  await expectBystanderUnharmed(bystander, window);
});

test('requests with a stale timestamp are answered 401 CLOCK_SKEW without their body', async () => {
  relay = await startRelayProcess({ ...PRODUCTION_CLIENT_LIMITS });
  const victim = newChannel();
  await register(relay.url, victim, victim.secret);
  const flood = await signedFlood(relay.url, victim, { durationMs: 1500, kind: 'stale', addresses: attackerAddresses(5, 90), concurrency: 8, bodyBytes: 1_000_000 });
  // Each on a new connection: past CONNECTIONS_PER_IP_PER_SECOND they are refused before their request line is even read.
  const skewed = flood.answers['401 CLOCK_SKEW'] ?? 0;
  expect(skewed).toBeGreaterThan(5 * 40 - 1);
  expect(flood.answers).toEqual({ '401 CLOCK_SKEW': skewed, ...(skewed < flood.sent ? { '429 TOO_MANY_CONNECTIONS': flood.sent - skewed } : {}) });
});
