// The store for many relay processes: channels, history and client status in Redis. An append is
// one Lua script (duplicate check, compare-and-set on (epoch, seq), write, trim, PUBLISH), so seqs are
// gap-free across processes and pub/sub carries changes in seq order, each with its epoch. A grid is
// kept per chunk: a patch writes the chunks it changed and its tab records, never the whole grid.

import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { SyncError } from '../shared/protocol/errors';
import type { ChunkRef } from '../shared/protocol/grid-digest';
import type { ChangeAccepted, ClientStatus, Position } from '../shared/protocol/messages';
import { preciseNow } from './clock';
import type { Logger } from './logger';
import {
  activityInterval,
  patchesOrSnapshot,
  REVOCATION_MAX_AGE_MS,
  REVOCATIONS_KEPT,
  type AppendOutcome,
  type AppendRequest,
  type CatchUp,
  type ChannelHead,
  type ChannelListener,
  type ChannelQuota,
  type ChannelRecord,
  type HistoryEntry,
  type StoredSnapshot,
  type Store,
  type TabRecord,
} from './store';
import { asBuffer, messageKind, snapshotMessageBytes, type SnapshotTabBytes } from './wire-messages';

export interface RedisStoreOptions {
  url: string;
  prefix: string;
  historyLimit: number;
  historyMaxBytes: number;
  /** How long a client's status stays listed without a refresh from the process holding its socket. */
  clientTtlMs: number;
  /** Start even when Redis may evict keys (maxmemory-policy other than noeviction), with a warning. */
  allowEviction?: boolean;
  /** Channels in total and how long an idle one is kept (default: no cap, kept for ever). */
  quota?: ChannelQuota;
}

/**
 * Every key a channel owns besides its clients (which expire on their own): their TTLs are refreshed
 * together on activity, so an idle channel disappears whole, and a new channel clears leftovers.
 */
const CHANNEL_KEY_PARTS = ['channel', 'log', 'ids', 'idseq', 'tabs', 'chunks', 'revocations'] as const;
/** Keys of older versions that a new channel clears too. */
const LEGACY_KEY_PARTS = ['revoked'] as const;
/** "Kept for ever" as a TTL: Redis keeps keys with a TTL this long practically for ever (about 31 years). */
const FOREVER_MS = 1_000_000_000_000;

// KEYS: channel hash, log zset, ids hash, idseq zset, tabs hash, chunks hash.
// ARGV: changeId, baseEpoch, baseSeq, hash, title, hasTitle, at, message, historyLimit, historyMaxBytes,
// live channel, committedAt, bytes, kind, then counted lists: tabs (id, record), removed tab ids,
// chunk fields to delete, chunk fields with their texts.
const APPEND_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown-channel'} end
local epoch = redis.call('HGET', KEYS[1], 'epoch')
local prior = redis.call('HGET', KEYS[3], ARGV[1])
if prior then return {'duplicate', epoch, prior} end
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq'))
if epoch ~= ARGV[2] or seq ~= tonumber(ARGV[3]) then return {'conflict'} end
seq = seq + 1
redis.call('HSET', KEYS[1], 'seq', seq, 'hash', ARGV[4], 'at', ARGV[7], 'bytes', ARGV[13])
if ARGV[6] == '1' then redis.call('HSET', KEYS[1], 'title', ARGV[5]) end
local i = 15
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HSET', KEYS[5], ARGV[i], ARGV[i + 1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HDEL', KEYS[5], ARGV[i]); i = i + 1 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HDEL', KEYS[6], ARGV[i]); i = i + 1 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HSET', KEYS[6], ARGV[i], ARGV[i + 1]); i = i + 2 end
local historyBytes = redis.call('HINCRBY', KEYS[1], 'historyBytes', string.len(ARGV[8]))
redis.call('ZADD', KEYS[2], seq, ARGV[8])
redis.call('HSET', KEYS[3], ARGV[1], seq .. ' ' .. ARGV[4])
redis.call('ZADD', KEYS[4], seq, ARGV[1])
local function dropUpTo(upto)
  local freed = 0
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', upto)) do freed = freed + string.len(m) end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', upto)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', upto)) do redis.call('HDEL', KEYS[3], id) end
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', upto)
  return freed
end
local cutoff = seq - tonumber(ARGV[9])
if cutoff >= 1 then historyBytes = historyBytes - dropUpTo(cutoff) end
while historyBytes > tonumber(ARGV[10]) do
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if #first == 0 or tonumber(first[2]) >= seq then break end
  historyBytes = historyBytes - dropUpTo(tonumber(first[2]))
end
redis.call('HSET', KEYS[1], 'historyBytes', historyBytes)
redis.call('PUBLISH', ARGV[11], 'C ' .. seq .. ' ' .. ARGV[12] .. ' ' .. epoch .. ' ' .. ARGV[14] .. '\\n' .. ARGV[8])
return {'appended', epoch, tostring(seq)}
`;

// KEYS: channel hash, log zset. ARGV: since epoch ('' for none), since seq.
const CATCH_UP_LUA = `
local h = redis.call('HMGET', KEYS[1], 'epoch', 'seq', 'title')
if not h[1] then return false end
local seq = tonumber(h[2])
if ARGV[1] ~= '' and ARGV[1] == h[1] then
  local since = tonumber(ARGV[2])
  if since == seq then return {'current', h[1], h[2], h[3]} end
  if since < seq then
    local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    if #first > 0 and tonumber(first[2]) <= since + 1 then
      return {'patches', h[1], h[2], h[3], redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. since, seq, 'WITHSCORES')}
    end
  end
end
return {'snapshot', h[1], h[2], h[3]}
`;

// KEYS: channel hash, log zset. ARGV: epoch, after seq, up to seq. False when the channel is in another epoch.
const RANGE_LUA = `
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return false end
return redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[2], ARGV[3], 'WITHSCORES')
`;

// KEYS: channel hash, tabs hash. The head's fields and every tab record, read together.
const HEAD_LUA = `
local h = redis.call('HMGET', KEYS[1], 'epoch', 'seq', 'hash', 'title', 'at', 'bytes')
if not h[1] then return false end
return {h, redis.call('HGETALL', KEYS[2])}
`;

// KEYS: channel hash, chunks hash. ARGV: epoch, seq, fields. False when the channel is no longer there.
const CHUNKS_LUA = `
local h = redis.call('HMGET', KEYS[1], 'epoch', 'seq')
if h[1] ~= ARGV[1] or h[2] ~= ARGV[2] then return false end
if #ARGV == 2 then return {} end
return redis.call('HMGET', KEYS[2], unpack(ARGV, 3))
`;

// KEYS: channel hash, tabs hash, chunks hash. The whole grid at one position.
const SNAPSHOT_LUA = `
local h = redis.call('HMGET', KEYS[1], 'epoch', 'seq', 'hash', 'title', 'at')
if not h[1] then return false end
return {h, redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3])}
`;

// KEYS: channel hash, channel index (zset of ids by expiry), then the channel's other keys (leftovers of
// an earlier life to clear). ARGV: secret, epoch, hash, now, idle ms, max channels, channel id.
// The index is pruned of expired ids first, so it counts the channels Redis still holds.
const CREATE_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local now = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[6]) then return -1 end
for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
redis.call('HSET', KEYS[1], 'secret', ARGV[1], 'epoch', ARGV[2], 'seq', 0, 'hash', ARGV[3], 'bytes', 0, 'historyBytes', 0, 'createdAt', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[7])
return 1
`;

// KEYS: channel hash, revocations zset (fingerprint by revocation time). ARGV: current secret, new secret,
// fingerprint, live channel, now, oldest revocation kept (ms), revocations kept, idle ms.
const ROTATE_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'unknown' end
if redis.call('HGET', KEYS[1], 'secret') ~= ARGV[1] then return 'conflict' end
redis.call('HSET', KEYS[1], 'secret', ARGV[2])
-- Revocation times are kept distinct (a later one at least 1 ms after the last), so "the newest N" is exact.
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
local at = tonumber(ARGV[5])
if #last > 0 and tonumber(last[2]) >= at then at = tonumber(last[2]) + 1 end
redis.call('ZADD', KEYS[2], at, ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[6])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -tonumber(ARGV[7]) - 1)
redis.call('PEXPIRE', KEYS[2], ARGV[8])
redis.call('PUBLISH', ARGV[4], 'R ' .. ARGV[3])
return 'ok'
`;

// KEYS: clients zset (score = expiry), client data hash. ARGV: now, limit. Drops expired clients and
// returns how many remain, then the data of at most `limit` of them.
const LIST_CLIENTS_LUA = `
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])) do redis.call('HDEL', KEYS[2], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local total = redis.call('ZCARD', KEYS[1])
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)
if #ids == 0 then return {total} end
local rows = redis.call('HMGET', KEYS[2], unpack(ids))
table.insert(rows, 1, total)
return rows
`;

interface Script {
  lua: string;
  sha: string;
}

function script(lua: string): Script {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

const SCRIPTS = {
  append: script(APPEND_LUA),
  catchUp: script(CATCH_UP_LUA),
  range: script(RANGE_LUA),
  head: script(HEAD_LUA),
  chunks: script(CHUNKS_LUA),
  snapshot: script(SNAPSHOT_LUA),
  create: script(CREATE_LUA),
  rotate: script(ROTATE_LUA),
  listClients: script(LIST_CLIENTS_LUA),
};

export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  /** Pub/sub needs a connection of its own. */
  private readonly subscriber: Redis;
  private readonly followed = new Set<string>();
  private connected = false;
  private readonly quota: ChannelQuota;
  /** When each channel's TTLs were last refreshed for a hello, to refresh at most once per interval. */
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly options: RedisStoreOptions,
    private readonly listener: ChannelListener,
    private readonly logger: Logger,
  ) {
    this.quota = options.quota ?? { maxChannels: Number.MAX_SAFE_INTEGER, idleMs: FOREVER_MS };
    // Reconnect with backoff once running; at start-up or after close, give up at once (fail fast, leave no timers).
    const retryStrategy = (times: number): number | null => (this.connected ? Math.min(times * 100, 2000) : null);
    // disconnectTimeout: ioredis keeps a timer that long after disconnecting a socket that never opened.
    const common = { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000, disconnectTimeout: 200, retryStrategy } as const;
    this.redis = new Redis(options.url, { ...common, connectionName: 'relay' });
    this.subscriber = new Redis(options.url, { ...common, connectionName: 'relay-subscriber' });
    this.redis.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'redis error'));
    this.subscriber.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'redis subscriber error'));
    // Buffers, not strings: a change's message is fanned out as bytes, never decoded here.
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.onMessage(channel.toString(), message));
    // After a reconnect, changes published meanwhile were missed: tell the hub where each head is now.
    this.subscriber.on('ready', () => {
      if (this.connected) void this.refollowAll();
    });
  }

  async connect(): Promise<void> {
    try {
      await Promise.all([this.redis.connect(), this.subscriber.connect()]);
    } catch (err) {
      this.redis.disconnect();
      this.subscriber.disconnect();
      throw new Error(`Redis at ${withoutPassword(this.options.url)} did not answer: ${(err as Error).message}`);
    }
    try {
      await this.checkEvictionPolicy();
    } catch (err) {
      this.redis.disconnect();
      this.subscriber.disconnect();
      throw err;
    }
    this.connected = true;
  }

  /**
   * Redis is the durable store: an evicted key would silently lose acknowledged changes, a channel or
   * its history. So maxmemory-policy must be noeviction (read from INFO, which managed Redis services
   * allow where CONFIG is often renamed); another policy stops the start unless the operator allows it.
   */
  private async checkEvictionPolicy(): Promise<void> {
    const info = await this.redis.info('memory');
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
    if (policy === 'noeviction') return;
    const why = `Redis maxmemory-policy is ${policy ?? 'unknown'}: under memory pressure Redis may evict a channel, its grid or its history, losing acknowledged changes without a trace. Set maxmemory-policy noeviction (redis.conf, or CONFIG SET maxmemory-policy noeviction)`;
    if (!this.options.allowEviction) throw new Error(`${why}, or start with REDIS_ALLOW_EVICTION=true to run anyway.`);
    this.logger.warn({ policy }, `${why}. REDIS_ALLOW_EVICTION=true: running anyway.`);
  }

  async ping(): Promise<void> {
    await this.guard(() => this.redis.ping());
  }

  async getChannel(channelId: string): Promise<ChannelRecord | undefined> {
    return this.guard(async () => {
      const [secret, epoch, seq, hash, title] = await this.redis.hmget(this.key(channelId, 'channel'), 'secret', 'epoch', 'seq', 'hash', 'title');
      if (!secret || !epoch || seq === null || seq === undefined || !hash) return undefined;
      return { channelId, secret, epoch, seq: Number(seq), hash, title: title ?? undefined };
    });
  }

  async createChannel(channelId: string, secret: string, epoch: string, emptyHash: string): Promise<{ created: boolean; channel: ChannelRecord } | 'full'> {
    const others = [...CHANNEL_KEY_PARTS.filter((part) => part !== 'channel'), ...LEGACY_KEY_PARTS].map((part) => this.key(channelId, part));
    const created = await this.guard(() =>
      this.run(
        SCRIPTS.create,
        [this.key(channelId, 'channel'), this.indexKey(), ...others],
        [secret, epoch, emptyHash, String(Date.now()), String(this.quota.idleMs), String(this.quota.maxChannels), channelId],
      ),
    );
    if (created === -1) return 'full';
    const channel = await this.getChannel(channelId);
    if (!channel) throw new SyncError('STORE_UNAVAILABLE', `channel ${channelId} vanished right after it was created`);
    return { created: created === 1, channel };
  }

  async isRevoked(channelId: string, fingerprint: string): Promise<boolean> {
    const at = await this.guard(() => this.redis.zscore(this.key(channelId, 'revocations'), fingerprint));
    return at !== null && Number(at) > Date.now() - REVOCATION_MAX_AGE_MS;
  }

  async touchChannel(channelId: string): Promise<void> {
    const now = Date.now();
    const last = this.touched.get(channelId);
    if (last !== undefined && now - last < activityInterval(this.quota.idleMs)) return;
    if (this.touched.size >= 10_000) this.touched.clear();
    this.touched.set(channelId, now);
    await this.refreshTtl(channelId);
  }

  async sweepExpired(): Promise<number> {
    // Redis forgets the keys itself (TTLs); the index of channels drops the expired ids here.
    return Number(await this.guard(() => this.redis.zremrangebyscore(this.indexKey(), '-inf', Date.now())));
  }

  async countChannels(): Promise<number> {
    return Number(await this.guard(() => this.redis.zcount(this.indexKey(), `(${Date.now()}`, '+inf')));
  }

  async probeWrite(): Promise<void> {
    // Under maxmemory with noeviction, a write is refused ("OOM command not allowed") while reads work.
    await this.redis.set(`${this.options.prefix}ready-probe`, String(Date.now()), 'PX', 60_000);
  }

  async rotateSecret(channelId: string, currentSecret: string, newSecret: string, revokedFingerprint: string): Promise<ChannelRecord | 'conflict' | undefined> {
    const now = Date.now();
    const result = await this.guard(() =>
      this.run(
        SCRIPTS.rotate,
        [this.key(channelId, 'channel'), this.key(channelId, 'revocations')],
        [currentSecret, newSecret, revokedFingerprint, this.liveChannel(channelId), String(now), String(now - REVOCATION_MAX_AGE_MS), String(REVOCATIONS_KEPT), String(this.quota.idleMs)],
      ),
    );
    if (result === 'unknown') return undefined;
    if (result === 'conflict') return 'conflict';
    return this.getChannel(channelId);
  }

  async findAnswer(channelId: string, changeId: string): Promise<ChangeAccepted | undefined> {
    return this.guard(async () => {
      const [epoch, prior] = await Promise.all([this.redis.hget(this.key(channelId, 'channel'), 'epoch'), this.redis.hget(this.key(channelId, 'ids'), changeId)]);
      return epoch && prior ? parseAnswer(epoch, prior) : undefined;
    });
  }

  async head(channelId: string): Promise<ChannelHead | undefined> {
    const reply = (await this.guard(() => this.run(SCRIPTS.head, [this.key(channelId, 'channel'), this.key(channelId, 'tabs')], []))) as [(string | null)[], string[]] | null;
    if (!reply) return undefined;
    const [[epoch, seq, hash, title, at, bytes], flat] = reply;
    const tabs: TabRecord[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) tabs.push(decodeTabRecord(Number(flat[i]), flat[i + 1]!));
    tabs.sort((x, y) => x.tabId - y.tabId);
    return { epoch: epoch!, seq: Number(seq), hash: hash!, title: title ?? undefined, at: at ? Number(at) : undefined, bytes: Number(bytes ?? 0), tabs };
  }

  async readChunks(channelId: string, at: Position, refs: readonly ChunkRef[]): Promise<string[] | undefined> {
    const fields = refs.map(chunkField);
    const reply = (await this.guard(() => this.run(SCRIPTS.chunks, [this.key(channelId, 'channel'), this.key(channelId, 'chunks')], [at.epoch, String(at.seq), ...fields]))) as (string | null)[] | null;
    if (!reply || reply.some((text) => text === null)) return undefined;
    return reply as string[];
  }

  async snapshot(channelId: string): Promise<StoredSnapshot | undefined> {
    const keys = ['channel', 'tabs', 'chunks'].map((part) => this.key(channelId, part));
    const reply = (await this.guard(() => this.runBuffer(SCRIPTS.snapshot, keys, []))) as [(Buffer | null)[], Buffer[], Buffer[]] | null;
    if (!reply) return undefined;
    const [[epoch, seq, hash, title, at], tabFields, chunkFields] = reply;
    const tabs = new Map<number, SnapshotTabBytes & { chunks: Buffer[] }>();
    const records: TabRecord[] = [];
    for (let i = 0; i + 1 < tabFields.length; i += 2) records.push(decodeTabRecord(Number(tabFields[i]!.toString()), tabFields[i + 1]!.toString()));
    records.sort((x, y) => x.tabId - y.tabId);
    for (const r of records) tabs.set(r.tabId, { tabId: r.tabId, name: r.name, chunks: new Array<Buffer>(r.chunks.length) });
    for (let i = 0; i + 1 < chunkFields.length; i += 2) {
      const [tabId, index] = chunkFields[i]!.toString().split(':').map(Number) as [number, number];
      const tab = tabs.get(tabId);
      if (tab && index < tab.chunks.length) tab.chunks[index] = chunkFields[i + 1]!;
    }
    const head = { epoch: epoch!.toString(), seq: Number(seq!.toString()), hash: hash!.toString(), title: title?.toString(), at: at ? Number(at.toString()) : undefined };
    return { epoch: head.epoch, seq: head.seq, title: head.title, message: snapshotMessageBytes(head, [...tabs.values()]) };
  }

  async append(request: AppendRequest): Promise<AppendOutcome> {
    const { channelId } = request;
    const args: (string | Buffer)[] = [
      request.changeId,
      request.baseEpoch,
      String(request.baseSeq),
      request.hash,
      request.title ?? '',
      request.title === undefined ? '0' : '1',
      String(request.at),
      asBuffer(request.message),
      String(this.options.historyLimit),
      String(this.options.historyMaxBytes),
      this.liveChannel(channelId),
      String(preciseNow()),
      String(request.bytes),
      request.kind,
      String(request.tabs.length),
    ];
    for (const tab of request.tabs) args.push(String(tab.tabId), encodeTabRecord(tab));
    args.push(String(request.removedTabs.length), ...request.removedTabs.map(String));
    const dropped: string[] = [];
    for (const drop of request.dropChunks) for (let index = drop.from; index < drop.to; index++) dropped.push(chunkField({ tabId: drop.tabId, index }));
    args.push(String(dropped.length), ...dropped);
    args.push(String(request.chunks.length));
    for (const chunk of request.chunks) args.push(chunkField(chunk), asBuffer(chunk.text));
    const keys = ['channel', 'log', 'ids', 'idseq', 'tabs', 'chunks'].map((part) => this.key(channelId, part));
    const reply = (await this.guard(() => this.run(SCRIPTS.append, keys, args))) as string[];
    switch (reply[0]) {
      case 'unknown-channel':
        return { result: 'unknown-channel' };
      case 'conflict':
        return { result: 'conflict' };
      case 'duplicate':
        return { result: 'duplicate', accepted: parseAnswer(reply[1]!, reply[2]!) };
      case 'appended':
        // An accepted change is activity: every key of the channel lives another CHANNEL_IDLE_SECONDS.
        await this.refreshTtl(channelId);
        return { result: 'appended', accepted: { epoch: reply[1]!, seq: Number(reply[2]), hash: request.hash } };
      default:
        throw new SyncError('STORE_UNAVAILABLE', `unexpected append reply ${String(reply[0])}`);
    }
  }

  async catchUp(channelId: string, since: Position | undefined): Promise<CatchUp | undefined> {
    const reply = (await this.guard(() =>
      this.run(SCRIPTS.catchUp, [this.key(channelId, 'channel'), this.key(channelId, 'log')], [since?.epoch ?? '', String(since?.seq ?? 0)]),
    )) as (string | null | string[])[] | null;
    if (!reply) return undefined;
    const [recovery, epoch, seqText, title] = reply as [string, string, string, string | null];
    const base = { epoch, seq: Number(seqText), title: title ?? undefined };
    if (recovery === 'current') return { recovery: 'current', ...base };
    if (recovery === 'patches') {
      const entries = toEntries(reply[4] as string[]);
      if (patchesOrSnapshot(entries) === 'patches') return { recovery: 'patches', ...base, entries };
    }
    return { recovery: 'snapshot', ...base };
  }

  async readRange(channelId: string, epoch: string, afterSeq: number, uptoSeq: number): Promise<HistoryEntry[] | undefined> {
    const flat = (await this.guard(() => this.run(SCRIPTS.range, [this.key(channelId, 'channel'), this.key(channelId, 'log')], [epoch, String(afterSeq), String(uptoSeq)]))) as string[] | null;
    if (!flat) return undefined;
    const entries = toEntries(flat);
    return entries.length === uptoSeq - afterSeq ? entries : undefined;
  }

  async follow(channelId: string): Promise<void> {
    this.followed.add(channelId);
    await this.guard(() => this.subscriber.subscribe(this.liveChannel(channelId)));
  }

  async unfollow(channelId: string): Promise<void> {
    this.followed.delete(channelId);
    await this.guard(() => this.subscriber.unsubscribe(this.liveChannel(channelId)));
  }

  async claimSignature(signature: string, ttlMs: number): Promise<boolean> {
    const set = await this.guard(() => this.redis.set(`${this.options.prefix}sig:${signature}`, '1', 'PX', ttlMs, 'NX'));
    return set === 'OK';
  }

  async putClient(channelId: string, status: ClientStatus): Promise<void> {
    const ttl = this.options.clientTtlMs;
    const [clients, data] = [this.key(channelId, 'clients'), this.key(channelId, 'clientdata')];
    await this.guard(() =>
      this.redis
        .multi()
        .zadd(clients, Date.now() + ttl, status.id)
        .hset(data, status.id, JSON.stringify(status))
        .pexpire(clients, ttl)
        .pexpire(data, ttl)
        .exec(),
    );
  }

  async removeClient(channelId: string, clientId: string): Promise<void> {
    await this.guard(() => this.redis.multi().zrem(this.key(channelId, 'clients'), clientId).hdel(this.key(channelId, 'clientdata'), clientId).exec());
  }

  async touchClients(clients: readonly { channelId: string; clientId: string }[]): Promise<void> {
    const ttl = this.options.clientTtlMs;
    const expires = Date.now() + ttl;
    const pipeline = this.redis.pipeline();
    const channels = new Set<string>();
    for (const { channelId, clientId } of clients) {
      pipeline.zadd(this.key(channelId, 'clients'), 'XX', expires, clientId);
      channels.add(channelId);
    }
    for (const channelId of channels) pipeline.pexpire(this.key(channelId, 'clients'), ttl).pexpire(this.key(channelId, 'clientdata'), ttl);
    await this.guard(() => pipeline.exec());
  }

  async listClients(channelId: string, limit: number): Promise<{ clients: ClientStatus[]; total: number }> {
    const [total, ...rows] = (await this.guard(() =>
      this.run(SCRIPTS.listClients, [this.key(channelId, 'clients'), this.key(channelId, 'clientdata')], [String(Date.now()), String(limit)]),
    )) as [number, ...(string | null)[]];
    const clients = rows.filter((row): row is string => typeof row === 'string').map((row) => JSON.parse(row) as ClientStatus);
    clients.sort((a, b) => a.connectedAt - b.connectedAt || a.id.localeCompare(b.id));
    return { clients, total: Number(total) };
  }

  async close(): Promise<void> {
    this.connected = false;
    // QUIT only over a live connection: queued on a dead one it would wait for a reconnect that never comes.
    await Promise.allSettled([this.subscriber, this.redis].map((client) => (client.status === 'ready' ? client.quit() : undefined)));
    this.subscriber.disconnect();
    this.redis.disconnect();
  }

  private onMessage(channel: string, message: Buffer): void {
    const channelId = channel.slice(this.options.prefix.length + 1, channel.indexOf('}'));
    if (message[0] === 0x52 /* R */) {
      this.listener(channelId, { type: 'revoked', fingerprint: message.subarray(2).toString() });
      return;
    }
    const newline = message.indexOf(0x0a);
    const [, seq, committedAt, epoch, kind] = message.subarray(0, newline).toString().split(' ');
    this.listener(channelId, {
      type: 'change',
      epoch: epoch!,
      seq: Number(seq),
      kind: kind === 'snapshot' ? 'snapshot' : 'patch',
      committedAt: Number(committedAt),
      message: message.subarray(newline + 1),
    });
  }

  /**
   * Subscribes again to every followed channel and, once Redis has confirmed, reads each head. ioredis
   * emits 'ready' before its own re-SUBSCRIBE is even sent (autoResubscribe sends it right after, unawaited),
   * so a head read at 'ready' could miss a change published before the subscription took hold, until the
   * next one. Our SUBSCRIBE is sent first and its reply comes once every channel is subscribed; a repeated
   * SUBSCRIBE of a channel is harmless. Not covered by a test: the window is a race between two
   * connections that a test cannot open deterministically without a proxy delaying Redis's replies.
   */
  private async refollowAll(): Promise<void> {
    const channelIds = [...this.followed];
    if (channelIds.length === 0) return;
    try {
      await this.subscriber.subscribe(...channelIds.map((id) => this.liveChannel(id)));
    } catch (err) {
      // The connection dropped again: the next 'ready' tries again.
      this.logger.warn({ err: (err as Error).message }, 'subscribing again after a reconnect failed');
      return;
    }
    for (const channelId of channelIds) void this.announceHead(channelId);
  }

  private async announceHead(channelId: string): Promise<void> {
    try {
      const [epoch, seq] = await this.redis.hmget(this.key(channelId, 'channel'), 'epoch', 'seq');
      if (epoch && seq !== null && seq !== undefined) this.listener(channelId, { type: 'head', epoch, seq: Number(seq) });
    } catch (err) {
      this.logger.warn({ channel: channelId, err }, 'reading the head after a reconnect failed');
    }
  }

  /** Keys of one channel share a hash tag, so a script's keys stay on one Redis Cluster slot. */
  private key(channelId: string, part: string): string {
    return `${this.options.prefix}{${channelId}}:${part}`;
  }

  /** Refreshes the TTL of every key of the channel and its place in the index of channels. */
  private async refreshTtl(channelId: string): Promise<void> {
    const ttl = this.quota.idleMs;
    const pipeline = this.redis.pipeline();
    for (const part of CHANNEL_KEY_PARTS) pipeline.pexpire(this.key(channelId, part), ttl);
    pipeline.zadd(this.indexKey(), 'XX', Date.now() + ttl, channelId);
    await this.guard(() => pipeline.exec());
  }

  /** The index of channels (a sorted set of ids scored by when they expire), to count and cap them. */
  private indexKey(): string {
    return `${this.options.prefix}channels`;
  }
  private liveChannel(channelId: string): string {
    return this.key(channelId, 'live');
  }

  private async run(s: Script, keys: string[], args: (string | Buffer)[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(s.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.redis.eval(s.lua, keys.length, ...keys, ...args);
    }
  }

  /** As run, with bulk replies as Buffers (a grid's chunk texts are copied, never decoded). */
  private async runBuffer(s: Script, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.redis.callBuffer('EVALSHA', [s.sha, keys.length, ...keys, ...args]);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.redis.callBuffer('EVAL', [s.lua, keys.length, ...keys, ...args]);
    }
  }

  /** Redis failures become STORE_UNAVAILABLE (503, retry, no detail), never an unexplained 500. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof SyncError) throw err;
      // Redis's words can name internal addresses: they go to the log, the answer is the catalogue's.
      this.logger.warn({ err: (err as Error).message }, 'redis call failed');
      throw new SyncError('STORE_UNAVAILABLE');
    }
  }
}

function parseAnswer(epoch: string, prior: string): ChangeAccepted {
  const [seq, hash] = prior.split(' ');
  return { epoch, seq: Number(seq), hash: hash! };
}

/** A chunk's field in the chunks hash. */
function chunkField(ref: ChunkRef): string {
  return `${ref.tabId}:${ref.index}`;
}

function encodeTabRecord(tab: TabRecord): string {
  return JSON.stringify([tab.name, tab.rowCount, tab.digest, tab.bytes, tab.chunks.map((c) => [c.digest, c.rows, c.lastNonEmpty, c.bytes])]);
}

function decodeTabRecord(tabId: number, text: string): TabRecord {
  const [name, rowCount, digest, bytes, chunks] = JSON.parse(text) as [string, number, string, number, [string, number, number, number][]];
  return { tabId, name, rowCount, digest, bytes, chunks: chunks.map(([d, rows, lastNonEmpty, b]) => ({ digest: d, rows, lastNonEmpty, bytes: b })) };
}

/** ZRANGE … WITHSCORES gives [member, score, member, score, …]. */
function toEntries(flat: string[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ seq: Number(flat[i + 1]), kind: messageKind(flat[i]!), message: flat[i]! });
  return entries;
}

/** A Redis URL fit for a log line: the password (if any) replaced. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}
