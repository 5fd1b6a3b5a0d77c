// The relay's settings: environment variables → one validated Settings object, with defaults, a
// `--help` text listing every variable, and one clear line naming the variable when a value is bad.

import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { LIMITS } from '../shared/protocol/limits';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Settings {
  port: number;
  host: string;
  dataDir: string;
  redisUrl: string | undefined;
  redisPrefix: string;
  publicUrl: string | undefined;
  /** Origins allowed to open sockets besides `null` and none; `'*'` allows every origin. */
  allowedOrigins: readonly string[] | '*';
  /** Keys that may register channels (several while one is being replaced); empty: none needed. */
  registrationKeys: readonly string[];
  /** The operator allows registration without a key on a public address. */
  openRegistration: boolean;
  /** Proxies whose X-Forwarded-For is believed: addresses, CIDR ranges or `loopback`; empty: none. */
  trustedProxy: readonly string[];
  channelIdleSeconds: number;
  maxChannels: number;
  registrationsPerIpPerMinute: number;
  registrationsPerSecond: number;
  rotationsPerHour: number;
  maxBodyBytes: number;
  maxMessageBytes: number;
  historyLimit: number;
  historyMaxBytes: number;
  helloTimeoutMs: number;
  heartbeatMs: number;
  maxSocketsPerChannel: number;
  maxSocketsPerChannelPerIp: number;
  maxConnections: number;
  maxConnectionsPerIp: number;
  connectionsPerIpPerSecond: number;
  maxInflightBodyBytes: number;
  headersTimeoutS: number;
  requestTimeoutS: number;
  keepAliveTimeoutS: number;
  idleTimeoutS: number;
  requestRate: number;
  requestBurst: number;
  messageRate: number;
  messageBurst: number;
  slowConsumerBytes: number;
  shutdownTimeoutMs: number;
  /** A separate listener for /metrics (then the main port does not serve it). */
  metricsPort: number | undefined;
  metricsHost: string;
  /** When set, /metrics needs Authorization: Bearer <token>. */
  metricsToken: string | undefined;
  logLevel: LogLevel;
  sqliteSync: 'full' | 'normal';
  outgoingBufferBytes: number;
  resyncIntervalMs: number;
  headCacheBytes: number;
  ingestWorkers: number;
  ingestInlineBytes: number;
  ingestQueuePerChannel: number;
  ingestQueueBytes: number;
  redisAllowEviction: boolean;
  /** Largest offer (a Figma file's variables for the sheet), as JSON text. */
  maxOfferBytes: number;
  /** Offers one channel keeps (the newest). */
  offersPerChannel: number;
  /** How long an offer is kept. */
  offerTtlSeconds: number;
  /** Bytes of offers the store keeps in total. */
  offerStoreMaxBytes: number;
  /** Bytes of offers being received (slices not yet complete) on one process, all sockets together. */
  offerAssemblyMaxBytes: number;
  /** An offer whose next slice does not arrive within this is dropped. */
  offerAssemblyTimeoutMs: number;
  /** Offers one socket may send per minute (bursts of two). */
  offersPerMinute: number;
  /** Token polls (GET …/tokens) per channel per second, sustained, and in a burst; counted once the token is good. */
  tokensRate: number;
  tokensBurst: number;
  /** Token polls per client address per second (bursts of twice that), counted before anything is read. */
  tokensPerIpPerSecond: number;
  /** Bytes of token exports kept (per channel position and query). */
  tokensCacheBytes: number;
  /** Grids (snapshot bytes) up to this are mapped to tokens on the main thread; larger ones by the tokens worker. */
  tokensInlineBytes: number;
  /** Token exports waiting for or running on the tokens worker, on this process. */
  tokensQueue: number;
  /** Largest token export served (its files' bytes together). */
  tokensMaxBytes: number;
}

/** A value that cannot be used, with a phrase saying what would work. */
type Invalid = { invalid: string };

/** One environment variable: its default as written in --help and the docs, what it means, how it is read. */
interface SettingSpec<K extends keyof Settings> {
  readonly env: string;
  readonly key: K;
  readonly fallback: string;
  readonly describe: string;
  /** Turns the raw text into the value, or returns a phrase saying what would work. */
  readonly read: (raw: string) => Settings[K] | Invalid;
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function wholeNumber(min: number, max: number, example: string) {
  return (raw: string): number | Invalid => {
    const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
    return { invalid: `use a whole number from ${min} to ${max}, e.g. ${example}` };
  };
}

/** Text (trimmed) that matches `pattern` in full. */
function matching(pattern: RegExp, invalid: string) {
  return (raw: string): string | Invalid => (pattern.test(raw.trim()) ? raw.trim() : { invalid });
}

/** One of a fixed list of words. */
function oneOf<T extends string>(words: readonly T[], invalid: string) {
  return (raw: string): T | Invalid => ((words as readonly string[]).includes(raw.trim()) ? (raw.trim() as T) : { invalid });
}

/** A setting that may be left empty (unset); anything else is read by `read`. */
function optional<T>(read: (text: string) => T | Invalid) {
  return (raw: string): T | undefined | Invalid => (raw.trim() === '' ? undefined : read(raw.trim()));
}

function spec<K extends keyof Settings>(s: SettingSpec<K>): SettingSpec<K> {
  return s;
}

/** Every setting, in the order --help and docs/operations.md list them. */
export const SETTINGS = [
  spec({ env: 'PORT', key: 'port', fallback: '8787', describe: 'TCP port to listen on; 0 picks a free one (logged on start).', read: wholeNumber(0, 65535, '8787') }),
  spec({
    env: 'HOST',
    key: 'host',
    fallback: '127.0.0.1',
    describe: 'Address to listen on; 0.0.0.0 for every interface (put HTTPS in front).',
    read: matching(/^[A-Za-z0-9.:_-]+$/, 'use a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0'),
  }),
  spec({
    env: 'DATA_DIR',
    key: 'dataDir',
    fallback: './data',
    describe: 'Folder of the SQLite database (relay.db), created if missing. Unused with REDIS_URL.',
    read: (raw) => (raw.trim() ? resolve(raw.trim()) : { invalid: 'use a folder path, e.g. ./data' }),
  }),
  spec({
    env: 'REDIS_URL',
    key: 'redisUrl',
    fallback: '',
    describe: 'redis:// or rediss:// URL; when set, channels live in Redis and several relays can share it.',
    read: optional(matching(/^rediss?:\/\/[^\s]+$/, 'use a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')),
  }),
  spec({
    env: 'REDIS_PREFIX',
    key: 'redisPrefix',
    fallback: 'sfs:',
    describe: 'Prefix of every Redis key and pub/sub channel the relay uses.',
    read: matching(/^[A-Za-z0-9:_.-]{1,32}$/, 'use 1-32 characters of A-Z a-z 0-9 : _ . -, e.g. sfs:'),
  }),
  spec({
    env: 'PUBLIC_URL',
    key: 'publicUrl',
    fallback: '',
    describe: 'The https:// address clients use (behind your proxy); logged on start and shown by /healthz.',
    read: optional((url) => (/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(url) ? url.replace(/\/+$/, '') : { invalid: 'use an http(s):// URL, e.g. https://relay.example.com' })),
  }),
  spec({
    env: 'ALLOWED_ORIGINS',
    key: 'allowedOrigins',
    fallback: '',
    describe: 'Comma list of browser origins allowed to open sockets, or *. Origin null (Figma) and no Origin are always allowed.',
    read: (raw) => {
      const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
      if (items.includes('*')) return '*';
      const bad = items.find((o) => !/^https?:\/\/[^\s/]+$/.test(o));
      return bad === undefined ? items.map((o) => o.toLowerCase()) : { invalid: `"${bad}" is not an origin; use scheme://host[:port] items separated by commas, e.g. https://www.figma.com, or *` };
    },
  }),
  spec({
    env: 'REGISTRATION_KEY',
    key: 'registrationKeys',
    fallback: '',
    describe: 'Comma list of keys; when set, registering a channel needs Authorization: Bearer <one of them> (build it into the add-on).',
    read: (raw) => {
      const keys = raw.split(',').map((k) => k.trim()).filter(Boolean);
      return keys.every((k) => /^[\x21-\x2b\x2d-\x7e]{16,}$/.test(k)) ? keys : { invalid: 'use keys of at least 16 printable characters without spaces or commas, separated by commas' };
    },
  }),
  spec({
    env: 'OPEN_REGISTRATION',
    key: 'openRegistration',
    fallback: 'no',
    describe: 'yes lets anyone register channels on a public HOST or behind TRUSTED_PROXY without REGISTRATION_KEY (refused at start otherwise).',
    read: (raw) => (raw.trim() === 'yes' ? true : raw.trim() === 'no' ? false : { invalid: 'use yes or no' }),
  }),
  spec({
    env: 'TRUSTED_PROXY',
    key: 'trustedProxy',
    fallback: '',
    describe: 'Comma list of proxy addresses or CIDR ranges (or loopback) whose X-Forwarded-For names the client; unset: the TCP peer is the client.',
    read: (raw) => {
      const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = items.find((item) => !isProxyItem(item));
      return bad === undefined ? items : { invalid: `"${bad}" is not an address or range; use e.g. loopback, 10.0.0.5 or 10.0.0.0/8, separated by commas` };
    },
  }),
  spec({ env: 'CHANNEL_IDLE_SECONDS', key: 'channelIdleSeconds', fallback: String(90 * 24 * 3600), describe: 'A channel with no accepted change, no hello and no socket for this long is forgotten (the add-on registers it again).', read: wholeNumber(1, 10 * 365 * 24 * 3600, '7776000') }),
  spec({ env: 'MAX_CHANNELS', key: 'maxChannels', fallback: '1000', describe: 'Channels the store may hold; registrations past it get 503 RELAY_FULL.', read: wholeNumber(1, 100_000_000, '1000') }),
  spec({ env: 'REGISTRATIONS_PER_IP_PER_MINUTE', key: 'registrationsPerIpPerMinute', fallback: '10', describe: 'Unsigned PUTs (first claims, re-claims) per client address per minute (429 above it).', read: wholeNumber(1, 1_000_000, '10') }),
  spec({ env: 'REGISTRATIONS_PER_SECOND', key: 'registrationsPerSecond', fallback: '5', describe: 'Unsigned PUTs per second from all clients together (429 above it).', read: wholeNumber(1, 1_000_000, '5') }),
  spec({ env: 'ROTATIONS_PER_HOUR', key: 'rotationsPerHour', fallback: '12', describe: 'Secret rotations per channel per hour, counted once the signature is good (429 above it).', read: wholeNumber(1, 1_000_000, '12') }),
  spec({ env: 'MAX_BODY_BYTES', key: 'maxBodyBytes', fallback: String(LIMITS.maxBodyBytes), describe: 'Largest request body (after gunzip) and largest channel grid, in bytes.', read: wholeNumber(1024, 256 * 1024 * 1024, '5242880') }),
  spec({ env: 'MAX_MESSAGE_BYTES', key: 'maxMessageBytes', fallback: String(LIMITS.maxClientMessageBytes), describe: 'Largest socket message a client may send, in bytes (4413 above it).', read: wholeNumber(1024, 16 * 1024 * 1024, '262144') }),
  spec({ env: 'HISTORY_LIMIT', key: 'historyLimit', fallback: '1000', describe: 'Changes kept per channel for catch-up; older clients get a snapshot.', read: wholeNumber(1, 1_000_000, '1000') }),
  spec({ env: 'HISTORY_MAX_BYTES', key: 'historyMaxBytes', fallback: String(16 * 1024 * 1024), describe: 'Bytes of history kept per channel (the newest change is always kept).', read: wholeNumber(1024, 4 * 1024 * 1024 * 1024, '16777216') }),
  spec({ env: 'HELLO_TIMEOUT_MS', key: 'helloTimeoutMs', fallback: '5000', describe: 'A socket must send hello within this many ms (4408 otherwise).', read: wholeNumber(10, 600_000, '5000') }),
  spec({ env: 'HEARTBEAT_MS', key: 'heartbeatMs', fallback: '30000', describe: 'Interval of server pings; a socket that misses one pong is dropped.', read: wholeNumber(50, 3_600_000, '30000') }),
  spec({ env: 'MAX_SOCKETS_PER_CHANNEL', key: 'maxSocketsPerChannel', fallback: '200', describe: 'Sockets one channel may hold on one relay process (4430 above it).', read: wholeNumber(1, 1_000_000, '200') }),
  spec({ env: 'MAX_SOCKETS_PER_CHANNEL_PER_IP', key: 'maxSocketsPerChannelPerIp', fallback: '20', describe: 'Sockets one channel may hold from one client address on one relay process (4430 above it).', read: wholeNumber(1, 1_000_000, '20') }),
  spec({ env: 'MAX_CONNECTIONS', key: 'maxConnections', fallback: '5000', describe: 'Open TCP connections (requests and sockets) on one relay process; new ones past it are closed as they are accepted.', read: wholeNumber(1, 10_000_000, '5000') }),
  spec({ env: 'MAX_CONNECTIONS_PER_IP', key: 'maxConnectionsPerIp', fallback: '100', describe: 'Open connections from one client address (behind TRUSTED_PROXY: its sockets); 429 TOO_MANY_CONNECTIONS above it.', read: wholeNumber(1, 10_000_000, '100') }),
  spec({ env: 'CONNECTIONS_PER_IP_PER_SECOND', key: 'connectionsPerIpPerSecond', fallback: '20', describe: 'New connections per client address per second (behind TRUSTED_PROXY: requests and sockets), bursts of twice that; 429 above it.', read: wholeNumber(1, 1_000_000, '20') }),
  spec({ env: 'MAX_INFLIGHT_BODY_BYTES', key: 'maxInflightBodyBytes', fallback: String(64 * 1024 * 1024), describe: 'Request body bytes held at once by all requests together; 503 OVERLOADED above it. At least MAX_BODY_BYTES.', read: wholeNumber(1024, 16 * 1024 * 1024 * 1024, '67108864') }),
  spec({ env: 'HEADERS_TIMEOUT_S', key: 'headersTimeoutS', fallback: '10', describe: 'Seconds a client has to send a request line and headers.', read: wholeNumber(1, 3600, '10') }),
  spec({ env: 'REQUEST_TIMEOUT_S', key: 'requestTimeoutS', fallback: '30', describe: 'Seconds a client has to send a whole request, body included; at least HEADERS_TIMEOUT_S.', read: wholeNumber(1, 3600, '30') }),
  spec({ env: 'KEEP_ALIVE_TIMEOUT_S', key: 'keepAliveTimeoutS', fallback: '5', describe: 'Seconds an idle keep-alive connection stays open between requests.', read: wholeNumber(1, 3600, '5') }),
  spec({ env: 'IDLE_TIMEOUT_S', key: 'idleTimeoutS', fallback: '10', describe: 'Seconds an HTTP connection may go without a byte either way (a stalled reader or sender); sockets use HEARTBEAT_MS.', read: wholeNumber(1, 3600, '10') }),
  spec({ env: 'REQUEST_RATE', key: 'requestRate', fallback: '20', describe: 'Signed requests per second per channel, sustained (429 above it).', read: wholeNumber(1, 1_000_000, '20') }),
  spec({ env: 'REQUEST_BURST', key: 'requestBurst', fallback: '100', describe: 'Signed requests per channel allowed in a burst.', read: wholeNumber(1, 1_000_000, '100') }),
  spec({ env: 'MESSAGE_RATE', key: 'messageRate', fallback: '20', describe: 'Messages per second one socket may send, sustained (4429 above it).', read: wholeNumber(1, 1_000_000, '20') }),
  spec({ env: 'MESSAGE_BURST', key: 'messageBurst', fallback: '60', describe: 'Messages one socket may send in a burst.', read: wholeNumber(1, 1_000_000, '60') }),
  spec({ env: 'SLOW_CONSUMER_BYTES', key: 'slowConsumerBytes', fallback: String(16 * 1024 * 1024), describe: 'Bytes waiting to be sent to one socket before it is closed as slow (4431); at least 2 × MAX_BODY_BYTES.', read: wholeNumber(2048, 1024 * 1024 * 1024, '16777216') }),
  spec({ env: 'SHUTDOWN_TIMEOUT_MS', key: 'shutdownTimeoutMs', fallback: '5000', describe: 'On SIGTERM/SIGINT, how long in-flight requests may take before sockets are cut.', read: wholeNumber(0, 120_000, '5000') }),
  spec({ env: 'METRICS_PORT', key: 'metricsPort', fallback: '', describe: 'When set, /metrics is served on this port of METRICS_HOST only, not on PORT (0 picks a free one, logged).', read: optional(wholeNumber(0, 65535, '9464')) }),
  spec({
    env: 'METRICS_HOST',
    key: 'metricsHost',
    fallback: '127.0.0.1',
    describe: 'Address of the METRICS_PORT listener.',
    read: matching(/^[A-Za-z0-9.:_-]+$/, 'use a host name or IP address, e.g. 127.0.0.1'),
  }),
  spec({
    env: 'METRICS_TOKEN',
    key: 'metricsToken',
    fallback: '',
    describe: 'When set, /metrics needs Authorization: Bearer <token>.',
    read: optional(matching(/^[\x21-\x7e]{16,}$/, 'use at least 16 printable characters without spaces')),
  }),
  spec({
    env: 'LOG_LEVEL',
    key: 'logLevel',
    fallback: 'info',
    describe: `Least severe log level written: ${LOG_LEVELS.join(', ')}.`,
    read: oneOf(LOG_LEVELS, `use one of ${LOG_LEVELS.join(', ')}`),
  }),
  spec({ env: 'MAX_OFFER_BYTES', key: 'maxOfferBytes', fallback: String(4 * 1024 * 1024), describe: 'Largest offer a plugin may send (a Figma file\'s variables for the sheet, as JSON text); offer-refused OFFER_TOO_LARGE above it.', read: wholeNumber(1024, 64 * 1024 * 1024, '4194304') }),
  spec({ env: 'OFFERS_PER_CHANNEL', key: 'offersPerChannel', fallback: '3', describe: 'Offers one channel keeps (the newest; an older one is forgotten when a new one arrives).', read: wholeNumber(1, 100, '3') }),
  spec({ env: 'OFFER_TTL_SECONDS', key: 'offerTtlSeconds', fallback: String(24 * 3600), describe: 'How long an offer is kept for the sheet to import.', read: wholeNumber(10, 30 * 24 * 3600, '86400') }),
  spec({ env: 'OFFER_STORE_MAX_BYTES', key: 'offerStoreMaxBytes', fallback: String(256 * 1024 * 1024), describe: 'Bytes of offers the store keeps in total; offer-refused OFFER_STORE_FULL above it. At least MAX_OFFER_BYTES.', read: wholeNumber(1024, 64 * 1024 * 1024 * 1024, '268435456') }),
  spec({ env: 'OFFER_ASSEMBLY_MAX_BYTES', key: 'offerAssemblyMaxBytes', fallback: String(32 * 1024 * 1024), describe: 'Bytes of offers being received on one relay process (all sockets); offer-refused OFFER_STORE_FULL above it. At least MAX_OFFER_BYTES.', read: wholeNumber(1024, 16 * 1024 * 1024 * 1024, '33554432') }),
  spec({ env: 'OFFER_ASSEMBLY_TIMEOUT_MS', key: 'offerAssemblyTimeoutMs', fallback: '60000', describe: 'An offer whose next slice does not arrive within this many ms is dropped (BAD_OFFER).', read: wholeNumber(100, 3_600_000, '60000') }),
  spec({ env: 'OFFERS_PER_MINUTE', key: 'offersPerMinute', fallback: '2', describe: 'Offers one socket may send per minute, at once or spread (offer-refused RATE_LIMITED above it).', read: wholeNumber(1, 10_000, '2') }),
  spec({
    env: 'SQLITE_SYNC',
    key: 'sqliteSync',
    fallback: 'normal',
    describe: 'normal: acknowledged changes survive a crash of the relay (kill -9); full: also a power loss, at one fsync per change.',
    read: oneOf(['full', 'normal'] as const, 'use full or normal'),
  }),
  spec({
    env: 'OUTGOING_BUFFER_BYTES',
    key: 'outgoingBufferBytes',
    fallback: String(128 * 1024 * 1024),
    describe: 'Bytes waiting to be sent across all sockets (a buffer shared by many counted once); above it the slowest sockets are closed first (4431); at least 2 × MAX_BODY_BYTES.',
    read: wholeNumber(1024 * 1024, 64 * 1024 * 1024 * 1024, '134217728'),
  }),
  spec({
    env: 'RESYNC_INTERVAL_MS',
    key: 'resyncIntervalMs',
    fallback: '2000',
    describe: 'A socket gets at most one snapshot per this many ms in answer to resync; resyncs meanwhile wait and are answered once.',
    read: wholeNumber(0, 600_000, '2000'),
  }),
  spec({
    env: 'HEAD_CACHE_BYTES',
    key: 'headCacheBytes',
    fallback: String(64 * 1024 * 1024),
    describe: "Memory for channels' heads kept between changes (chunk metadata and texts, snapshot messages), counted in bytes held.",
    read: wholeNumber(0, 64 * 1024 * 1024 * 1024, '67108864'),
  }),
  spec({ env: 'INGEST_WORKERS', key: 'ingestWorkers', fallback: '1', describe: 'Threads that parse, apply and hash large changes off the thread serving sockets.', read: wholeNumber(1, 64, '1') }),
  spec({
    env: 'INGEST_INLINE_BYTES',
    key: 'ingestInlineBytes',
    fallback: '65536',
    describe: 'Changes with a body up to this many bytes are applied on the main thread (no thread hop); larger ones by an ingest worker.',
    read: wholeNumber(0, 256 * 1024 * 1024, '65536'),
  }),
  spec({
    env: 'INGEST_QUEUE_PER_CHANNEL',
    key: 'ingestQueuePerChannel',
    fallback: '4',
    describe: 'Changes of one channel waiting or in progress on this process (503 RELAY_BUSY with Retry-After above it).',
    read: wholeNumber(1, 10_000, '4'),
  }),
  spec({
    env: 'INGEST_QUEUE_BYTES',
    key: 'ingestQueueBytes',
    fallback: String(64 * 1024 * 1024),
    describe: 'Body bytes of all changes waiting or in progress on this process (503 RELAY_BUSY above it; a lone change is always taken).',
    read: wholeNumber(1024, 64 * 1024 * 1024 * 1024, '67108864'),
  }),
  spec({
    env: 'REDIS_ALLOW_EVICTION',
    key: 'redisAllowEviction',
    fallback: 'false',
    describe: "true: start even when Redis's maxmemory-policy is not noeviction (a loud warning; an evicted key loses changes).",
    read: (raw) => (raw.trim() === 'true' ? true : raw.trim() === 'false' ? false : { invalid: 'use true or false' }),
  }),
  spec({
    env: 'TOKENS_RATE',
    key: 'tokensRate',
    fallback: '2',
    describe: 'Token polls (GET …/tokens) per second per channel, sustained, counted once the token is good (429 above it); apart from REQUEST_RATE, so polls never slow the sheet.',
    read: wholeNumber(1, 1_000_000, '2'),
  }),
  spec({ env: 'TOKENS_BURST', key: 'tokensBurst', fallback: '20', describe: 'Token polls per channel allowed in a burst (CI jobs starting together).', read: wholeNumber(1, 1_000_000, '20') }),
  spec({
    env: 'TOKENS_PER_IP_PER_SECOND',
    key: 'tokensPerIpPerSecond',
    fallback: '5',
    describe: 'Token polls per client address per second, bursts of twice that, counted before the channel is read (429 above it).',
    read: wholeNumber(1, 1_000_000, '5'),
  }),
  spec({
    env: 'TOKENS_CACHE_BYTES',
    key: 'tokensCacheBytes',
    fallback: String(64 * 1024 * 1024),
    describe: 'Memory for token exports kept per channel position and query (a burst of polls maps once), counted in bytes held.',
    read: wholeNumber(0, 64 * 1024 * 1024 * 1024, '67108864'),
  }),
  spec({
    env: 'TOKENS_INLINE_BYTES',
    key: 'tokensInlineBytes',
    fallback: '8192',
    describe: 'Grids (snapshot bytes) up to this many are mapped to tokens on the main thread; larger ones by the tokens worker thread.',
    read: wholeNumber(0, 256 * 1024 * 1024, '8192'),
  }),
  spec({
    env: 'TOKENS_QUEUE',
    key: 'tokensQueue',
    fallback: '4',
    describe: 'Token exports waiting for or running on the tokens worker on this process (503 RELAY_BUSY with Retry-After above it).',
    read: wholeNumber(1, 10_000, '4'),
  }),
  spec({
    env: 'TOKENS_MAX_BYTES',
    key: 'tokensMaxBytes',
    fallback: String(16 * 1024 * 1024),
    describe: 'Largest token export served, its files together, in bytes (413 TOKENS_TOO_LARGE above it).',
    read: wholeNumber(1024, 1024 * 1024 * 1024, '16777216'),
  }),
] as const;

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Reads and validates every setting from the environment; throws SettingsError naming the first bad variable. */
export function readSettings(env: Record<string, string | undefined>): Settings {
  const out: Partial<Record<keyof Settings, unknown>> = {};
  for (const s of SETTINGS) {
    const given = env[s.env];
    const raw = given === undefined ? s.fallback : given;
    const value = (s.read as (raw: string) => unknown)(raw);
    if (value !== null && typeof value === 'object' && 'invalid' in value) {
      throw new SettingsError(`${s.env}=${JSON.stringify(given ?? '')} is not valid: ${(value as { invalid: string }).invalid}.`);
    }
    out[s.key] = value;
  }
  const settings = out as unknown as Settings;
  if (!isLoopbackHost(settings.host) || settings.trustedProxy.length > 0) {
    if (settings.registrationKeys.length === 0 && !settings.openRegistration) {
      const where = isLoopbackHost(settings.host) ? `TRUSTED_PROXY=${settings.trustedProxy.join(',')} (a proxy brings the internet)` : `HOST=${settings.host} is not a loopback address`;
      throw new SettingsError(
        `${where} and REGISTRATION_KEY is unset, so anyone who reaches the relay could register channels and store data: set REGISTRATION_KEY (and build the add-on with it), or OPEN_REGISTRATION=yes to allow that knowingly.`,
      );
    }
  }
  if (settings.requestTimeoutS < settings.headersTimeoutS) {
    throw new SettingsError(`REQUEST_TIMEOUT_S=${settings.requestTimeoutS} is not valid: use at least HEADERS_TIMEOUT_S (${settings.headersTimeoutS}), since the whole request includes its headers.`);
  }
  if (settings.maxInflightBodyBytes < settings.maxBodyBytes) {
    throw new SettingsError(`MAX_INFLIGHT_BODY_BYTES=${settings.maxInflightBodyBytes} is not valid: use at least MAX_BODY_BYTES (${settings.maxBodyBytes}), so one largest request fits.`);
  }
  if (settings.metricsPort !== undefined && settings.metricsPort !== 0 && settings.metricsPort === settings.port) {
    throw new SettingsError(`METRICS_PORT=${settings.metricsPort} is not valid: use a port other than PORT, or leave it unset to serve /metrics on PORT.`);
  }
  for (const [env, value] of [['OFFER_STORE_MAX_BYTES', settings.offerStoreMaxBytes], ['OFFER_ASSEMBLY_MAX_BYTES', settings.offerAssemblyMaxBytes]] as const) {
    if (value < settings.maxOfferBytes) {
      throw new SettingsError(`${env}=${value} is not valid: use at least MAX_OFFER_BYTES (${settings.maxOfferBytes}), so one largest offer fits.`);
    }
  }
  if (settings.slowConsumerBytes < 2 * settings.maxBodyBytes) {
    throw new SettingsError(
      `SLOW_CONSUMER_BYTES=${settings.slowConsumerBytes} is not valid: use at least 2 × MAX_BODY_BYTES (${2 * settings.maxBodyBytes}), so one full snapshot can wait in a socket's buffer.`,
    );
  }
  if (settings.outgoingBufferBytes < 2 * settings.maxBodyBytes) {
    throw new SettingsError(
      `OUTGOING_BUFFER_BYTES=${settings.outgoingBufferBytes} is not valid: use at least 2 × MAX_BODY_BYTES (${2 * settings.maxBodyBytes}), so a full snapshot can be on its way while another is built.`,
    );
  }
  return settings;
}

/** Whether a HOST value only listens on this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** `loopback`, an IP address, or an IP range in CIDR notation. */
function isProxyItem(item: string): boolean {
  if (item === 'loopback') return true;
  const [address, prefix, extra] = item.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** The `--help` text: every variable with its default and meaning. */
export function helpText(): string {
  const width = Math.max(...SETTINGS.map((s) => s.env.length));
  const lines = [
    'Sheets → Figma sync relay. Settings are environment variables:',
    '',
    ...SETTINGS.map((s) => `  ${s.env.padEnd(width)}  ${(s.fallback === '' ? '(unset)' : s.fallback).padEnd(12)}  ${s.describe}`),
    '',
    'Signals: SIGTERM or SIGINT shuts down gracefully (sockets close with 1012). See docs/operations.md.',
  ];
  return lines.join('\n');
}
