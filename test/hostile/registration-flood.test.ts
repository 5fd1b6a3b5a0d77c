// Row 3 of issue 11, a registration flood and the disk it would fill: without the registration key
// nothing is stored; with open registration (or a leaked key) one address registers at most
// REGISTRATIONS_PER_IP_PER_MINUTE, many addresses together at most REGISTRATIONS_PER_SECOND and never
// past MAX_CHANNELS; and what was registered expires once idle. On SQLite and on Redis, while a
// well-behaved channel beside the flood keeps every change.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process';
import { getJson, register } from '../relay/support/relay-api';
import { attackerAddresses } from './support/attacker';
import { registrationFlood } from './support/attack-registration-flood';
import { processMemory, startBystander, type Bystander } from './support/bystander';
import { eventually, PRODUCTION_CLIENT_LIMITS } from './support/relay-env';
import { expectBystanderUnharmed, WELL_BEHAVED } from './support/unharmed';

const KEY = 'operator-registration-key-0042';
const PER_IP_PER_MINUTE = Number(PRODUCTION_CLIENT_LIMITS.REGISTRATIONS_PER_IP_PER_MINUTE);
const PER_SECOND = Number(PRODUCTION_CLIENT_LIMITS.REGISTRATIONS_PER_SECOND);

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/** What the store holds, as the relay counts it (relay_stored_channels, refreshed by its sweep). */
async function storedChannels(relay: RelayProcess): Promise<number> {
  const text = String((await getJson(`${relay.url}/metrics`)).body);
  return Number(/^relay_stored_channels (\d+)$/m.exec(text)?.[1] ?? NaN);
}

const homes: [string, () => Record<string, string>, (relay: RelayProcess) => Promise<number>][] = [
  ['sqlite', () => ({}), async (relay) => ['relay.db', 'relay.db-wal'].reduce((sum, f) => sum + (statSync(join(relay.dataDir, f), { throwIfNoEntry: false })?.size ?? 0), 0)],
  [
    'redis',
    () => ({ REDIS_URL: redis.url, REDIS_PREFIX: `flood${process.pid}${Date.now() % 100000}:` }),
    async () => {
      const raw = new Redis(redis.url);
      try {
        return Number(/used_memory:(\d+)/.exec(await raw.info('memory'))?.[1] ?? NaN);
      } finally {
        raw.disconnect();
      }
    },
  ],
];

describe.each(homes)('on %s', (_name, storeEnv, storedBytes) => {
  let relay: RelayProcess | undefined;
  let bystander: Bystander | undefined;
  afterEach(async () => {
    await bystander?.stop();
    bystander = undefined;
    await relay?.stop();
    relay = undefined;
  });

  test('without the registration key a flood stores nothing, and the keyed bystander goes on', async () => {
    relay = await startRelayProcess({ ...PRODUCTION_CLIENT_LIMITS, ...storeEnv(), REGISTRATION_KEY: KEY });
    bystander = await startBystander(relay.url, {
      ...WELL_BEHAVED,
      register: async (url, channel) => {
        expect((await register(url, channel, channel.secret, { registrationKey: KEY })).status).toBe(201);
      },
    });
    const window = bystander.mark();
    const flood = await registrationFlood(relay.url, { durationMs: 3000, addresses: attackerAddresses(20) });
    expect(flood.sent).toBeGreaterThan(100);
    expect(flood.answers).toEqual({ '401 REGISTRATION_KEY_REQUIRED': flood.sent });
    expect(await eventually(async () => (await storedChannels(relay!)) === 1, 5000)).toBe(true);
    await expectBystanderUnharmed(bystander, window);
  });

  test('open registration from one address: at most REGISTRATIONS_PER_IP_PER_MINUTE are stored', async () => {
    relay = await startRelayProcess({ ...PRODUCTION_CLIENT_LIMITS, ...storeEnv() });
    bystander = await startBystander(relay.url, WELL_BEHAVED);
    const window = bystander.mark();
    const flood = await registrationFlood(relay.url, { durationMs: 3000 });
    expect(flood.registered).toBeLessThanOrEqual(PER_IP_PER_MINUTE + 1);
    expect(flood.answers['429 RATE_LIMITED']).toBe(flood.sent - flood.registered);
    await expectBystanderUnharmed(bystander, window);
  });

  test('a flood from 100 addresses with the key: at most REGISTRATIONS_PER_SECOND a second, never past MAX_CHANNELS, and the stored channels expire once idle', async () => {
    relay = await startRelayProcess({ ...PRODUCTION_CLIENT_LIMITS, ...storeEnv(), REGISTRATION_KEY: KEY, MAX_CHANNELS: '12', CHANNEL_IDLE_SECONDS: '4' });
    const before = await storedBytes(relay);
    bystander = await startBystander(relay.url, {
      ...WELL_BEHAVED,
      register: async (url, channel) => {
        expect((await register(url, channel, channel.secret, { registrationKey: KEY })).status).toBe(201);
      },
    });
    const window = bystander.mark();
    const started = Date.now();
    const flood = await registrationFlood(relay.url, { durationMs: 3000, addresses: attackerAddresses(100), registrationKey: KEY, concurrency: 16 });
    const seconds = (Date.now() - started) / 1000;
    expect(flood.registered).toBeLessThanOrEqual(Math.min(11, PER_SECOND * (seconds + 1)));
    expect(flood.answers['429 RATE_LIMITED']).toBeGreaterThan(0);
    expect(await storedChannels(relay)).toBeLessThanOrEqual(12);
    // The store grew by the channels it took, not by what was sent.
    expect((await storedBytes(relay)) - before).toBeLessThan(4 * 1024 * 1024);
    // Once the flood is over its channels go; the bystander's, busy all along, stays.
    expect(await eventually(async () => (await storedChannels(relay!)) === 1, 15_000)).toBe(true);
    await expectBystanderUnharmed(bystander, window);
    expect(processMemory(relay.child.pid!).peakRssBytes).toBeLessThan(256 * 1024 * 1024);
  }, 40_000);

  test('at MAX_CHANNELS new registrations are answered 503 RELAY_FULL', async () => {
    relay = await startRelayProcess({ ...PRODUCTION_CLIENT_LIMITS, ...storeEnv(), OPEN_REGISTRATION: 'yes', MAX_CHANNELS: '5', REGISTRATIONS_PER_SECOND: '1000' });
    const flood = await registrationFlood(relay.url, { durationMs: 1500, addresses: attackerAddresses(40) });
    expect(flood.registered).toBe(5);
    expect(flood.answers['503 RELAY_FULL']).toBeGreaterThan(0);
    expect(await storedChannels(relay)).toBe(5);
  });
});
