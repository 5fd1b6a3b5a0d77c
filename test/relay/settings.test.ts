// Settings: defaults, validation with one line naming the variable, and --help / docs agreeing.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { helpText, readSettings, SETTINGS, SettingsError } from '../../relay/settings';

test('with no environment every setting takes its documented default', () => {
  const settings = readSettings({});
  expect({ ...settings, dataDir: settings.dataDir.endsWith('/data') }).toEqual({
    port: 8787,
    host: '127.0.0.1',
    dataDir: true,
    redisUrl: undefined,
    redisPrefix: 'sfs:',
    publicUrl: undefined,
    allowedOrigins: [],
    registrationKeys: [],
    openRegistration: false,
    trustedProxy: [],
    channelIdleSeconds: 90 * 24 * 3600,
    maxChannels: 1000,
    registrationsPerIpPerMinute: 10,
    registrationsPerSecond: 5,
    rotationsPerHour: 12,
    maxBodyBytes: 5 * 1024 * 1024,
    maxMessageBytes: 256 * 1024,
    historyLimit: 1000,
    historyMaxBytes: 16 * 1024 * 1024,
    helloTimeoutMs: 5000,
    heartbeatMs: 30000,
    maxSocketsPerChannel: 200,
    maxSocketsPerChannelPerIp: 20,
    maxConnections: 5000,
    maxConnectionsPerIp: 100,
    connectionsPerIpPerSecond: 20,
    maxInflightBodyBytes: 64 * 1024 * 1024,
    headersTimeoutS: 10,
    requestTimeoutS: 30,
    keepAliveTimeoutS: 5,
    idleTimeoutS: 10,
    requestRate: 20,
    requestBurst: 100,
    messageRate: 20,
    messageBurst: 60,
    slowConsumerBytes: 16 * 1024 * 1024,
    shutdownTimeoutMs: 5000,
    metricsPort: undefined,
    metricsHost: '127.0.0.1',
    metricsToken: undefined,
    logLevel: 'info',
    sqliteSync: 'normal',
    outgoingBufferBytes: 128 * 1024 * 1024,
    resyncIntervalMs: 2000,
    headCacheBytes: 64 * 1024 * 1024,
    ingestWorkers: 1,
    ingestInlineBytes: 65536,
    ingestQueuePerChannel: 4,
    ingestQueueBytes: 64 * 1024 * 1024,
    redisAllowEviction: false,
    maxOfferBytes: 4 * 1024 * 1024,
    offersPerChannel: 3,
    offerTtlSeconds: 86400,
    offerStoreMaxBytes: 256 * 1024 * 1024,
    offerAssemblyMaxBytes: 32 * 1024 * 1024,
    offerAssemblyTimeoutMs: 60000,
    offersPerMinute: 2,
    tokensRate: 2,
    tokensBurst: 20,
    tokensPerIpPerSecond: 5,
    tokensCacheBytes: 64 * 1024 * 1024,
    tokensInlineBytes: 8192,
    tokensQueue: 4,
    tokensMaxBytes: 16 * 1024 * 1024,
  });
});

test('given values are read and normalized', () => {
  const settings = readSettings({
    PORT: '0',
    REDIS_URL: 'redis://cache:6379/2',
    PUBLIC_URL: 'https://relay.example.com/',
    ALLOWED_ORIGINS: 'https://A.example.com, https://b.example.com',
    REGISTRATION_KEY: `${'k'.repeat(20)}, ${'n'.repeat(20)}`,
    TRUSTED_PROXY: 'loopback, 10.0.0.0/8, fd00::1',
    METRICS_PORT: '9464',
    SQLITE_SYNC: 'full',
  });
  expect(settings).toEqual(
    expect.objectContaining({
      port: 0,
      redisUrl: 'redis://cache:6379/2',
      publicUrl: 'https://relay.example.com',
      allowedOrigins: ['https://a.example.com', 'https://b.example.com'],
      registrationKeys: ['k'.repeat(20), 'n'.repeat(20)],
      trustedProxy: ['loopback', '10.0.0.0/8', 'fd00::1'],
      metricsPort: 9464,
      sqliteSync: 'full',
    }),
  );
  expect(readSettings({ ALLOWED_ORIGINS: 'https://a.example.com,*' }).allowedOrigins).toBe('*');
});

test.each([
  ['PORT', '70000', 'PORT="70000" is not valid: use a whole number from 0 to 65535, e.g. 8787.'],
  ['PORT', '-1', 'PORT="-1" is not valid: use a whole number from 0 to 65535, e.g. 8787.'],
  ['HOST', 'bad host', 'HOST="bad host" is not valid: use a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0.'],
  ['REDIS_URL', 'localhost:6379', 'REDIS_URL="localhost:6379" is not valid: use a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379.'],
  ['PUBLIC_URL', 'relay.example.com', 'PUBLIC_URL="relay.example.com" is not valid: use an http(s):// URL, e.g. https://relay.example.com.'],
  ['ALLOWED_ORIGINS', 'figma.com', 'ALLOWED_ORIGINS="figma.com" is not valid: "figma.com" is not an origin; use scheme://host[:port] items separated by commas, e.g. https://www.figma.com, or *.'],
  ['REGISTRATION_KEY', 'short', 'REGISTRATION_KEY="short" is not valid: use keys of at least 16 printable characters without spaces or commas, separated by commas.'],
  ['OPEN_REGISTRATION', 'true', 'OPEN_REGISTRATION="true" is not valid: use yes or no.'],
  ['TRUSTED_PROXY', '10.0.0.0/33', 'TRUSTED_PROXY="10.0.0.0/33" is not valid: "10.0.0.0/33" is not an address or range; use e.g. loopback, 10.0.0.5 or 10.0.0.0/8, separated by commas.'],
  ['TRUSTED_PROXY', 'proxy.internal', 'TRUSTED_PROXY="proxy.internal" is not valid: "proxy.internal" is not an address or range; use e.g. loopback, 10.0.0.5 or 10.0.0.0/8, separated by commas.'],
  ['HEADERS_TIMEOUT_S', '0', 'HEADERS_TIMEOUT_S="0" is not valid: use a whole number from 1 to 3600, e.g. 10.'],
  ['METRICS_TOKEN', 'short', 'METRICS_TOKEN="short" is not valid: use at least 16 printable characters without spaces.'],
  ['MAX_BODY_BYTES', '1.5', 'MAX_BODY_BYTES="1.5" is not valid: use a whole number from 1024 to 268435456, e.g. 5242880.'],
  ['HELLO_TIMEOUT_MS', 'soon', 'HELLO_TIMEOUT_MS="soon" is not valid: use a whole number from 10 to 600000, e.g. 5000.'],
  ['LOG_LEVEL', 'verbose', 'LOG_LEVEL="verbose" is not valid: use one of fatal, error, warn, info, debug, trace, silent.'],
  ['SQLITE_SYNC', 'off', 'SQLITE_SYNC="off" is not valid: use full or normal.'],
])('%s=%s is refused with one line naming it and what would work', (name, raw, message) => {
  expect(() => readSettings({ [name]: raw })).toThrow(new SettingsError(message));
});

test('SLOW_CONSUMER_BYTES below twice MAX_BODY_BYTES is refused, naming both', () => {
  expect(() => readSettings({ MAX_BODY_BYTES: '1048576', SLOW_CONSUMER_BYTES: '1048576' })).toThrow(
    new SettingsError('SLOW_CONSUMER_BYTES=1048576 is not valid: use at least 2 × MAX_BODY_BYTES (2097152), so one full snapshot can wait in a socket\'s buffer.'),
  );
});

test.each([
  [{ HOST: '0.0.0.0' }, 'HOST=0.0.0.0 is not a loopback address'],
  [{ TRUSTED_PROXY: 'loopback' }, 'TRUSTED_PROXY=loopback (a proxy brings the internet)'],
])('%j without REGISTRATION_KEY or OPEN_REGISTRATION=yes is refused with one line naming both settings', (env, where) => {
  expect(() => readSettings(env)).toThrow(
    new SettingsError(
      `${where} and REGISTRATION_KEY is unset, so anyone who reaches the relay could register channels and store data: set REGISTRATION_KEY (and build the add-on with it), or OPEN_REGISTRATION=yes to allow that knowingly.`,
    ),
  );
  expect(readSettings({ ...env, REGISTRATION_KEY: 'k'.repeat(16) }).registrationKeys).toEqual(['k'.repeat(16)]);
  expect(readSettings({ ...env, OPEN_REGISTRATION: 'yes' }).openRegistration).toBe(true);
});

test('settings that must agree with each other are refused naming both', () => {
  expect(() => readSettings({ HEADERS_TIMEOUT_S: '20', REQUEST_TIMEOUT_S: '10' })).toThrow(
    new SettingsError('REQUEST_TIMEOUT_S=10 is not valid: use at least HEADERS_TIMEOUT_S (20), since the whole request includes its headers.'),
  );
  expect(() => readSettings({ MAX_BODY_BYTES: '2097152', MAX_INFLIGHT_BODY_BYTES: '1048576' })).toThrow(
    new SettingsError('MAX_INFLIGHT_BODY_BYTES=1048576 is not valid: use at least MAX_BODY_BYTES (2097152), so one largest request fits.'),
  );
  expect(() => readSettings({ PORT: '9000', METRICS_PORT: '9000' })).toThrow(
    new SettingsError('METRICS_PORT=9000 is not valid: use a port other than PORT, or leave it unset to serve /metrics on PORT.'),
  );
});

test('OUTGOING_BUFFER_BYTES below twice MAX_BODY_BYTES is refused, naming both', () => {
  expect(() => readSettings({ MAX_BODY_BYTES: '1048576', OUTGOING_BUFFER_BYTES: '1048576' })).toThrow(
    new SettingsError('OUTGOING_BUFFER_BYTES=1048576 is not valid: use at least 2 × MAX_BODY_BYTES (2097152), so a full snapshot can be on its way while another is built.'),
  );
});

test('REDIS_ALLOW_EVICTION takes true or false only', () => {
  expect(readSettings({ REDIS_ALLOW_EVICTION: 'true' }).redisAllowEviction).toBe(true);
  expect(() => readSettings({ REDIS_ALLOW_EVICTION: 'yes' })).toThrow(new SettingsError('REDIS_ALLOW_EVICTION="yes" is not valid: use true or false.'));
});

test('--help lists every setting once', () => {
  const text = helpText();
  for (const setting of SETTINGS) expect(text.split('\n').filter((line) => line.startsWith(`  ${setting.env} `))).toHaveLength(1);
});

test('docs/operations.md lists every setting with the same default and description as --help', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
  for (const setting of SETTINGS) {
    const row = `| \`${setting.env}\` | ${setting.fallback === '' ? '(unset)' : `\`${setting.fallback}\``} | ${setting.describe} |`;
    expect(doc).toContain(row);
  }
});
