// Offers in Redis (many relay processes): each offer's text and listing under keys that expire on their
// own (PX), a per-channel sorted set of ids by arrival, and one sorted set of every offer by expiry with
// their sizes, so a Lua script can keep the newest N per channel and all of them within a byte bound.

import Redis from 'ioredis';
import type { OfferListing } from '../shared/protocol/messages';
import type { Logger } from './logger';
import type { OfferBounds, OfferStore, StoredOffer } from './offer-store';

// KEYS: channel zset (id by arrival), all zset ("channel id" by expiry), sizes hash ("channel id" → bytes), text key, listing key.
// ARGV: channel, id, now, expiresAt, bytes, text, listing, perChannel, totalBytes, key prefix for text and listing of this channel.
const PUT_LUA = `
local now = tonumber(ARGV[3])
local function forget(member, channel, id)
  local size = tonumber(redis.call('HGET', KEYS[3], member) or '0')
  redis.call('HDEL', KEYS[3], member)
  redis.call('ZREM', KEYS[2], member)
  redis.call('HINCRBY', KEYS[3], '__total__', -size)
  if channel == ARGV[1] then
    redis.call('ZREM', KEYS[1], id)
    redis.call('DEL', ARGV[10] .. 'text:' .. id, ARGV[10] .. 'listing:' .. id)
  end
end
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  local sep = string.find(member, ' ', 1, true)
  forget(member, string.sub(member, 1, sep - 1), string.sub(member, sep + 1))
end
local me = ARGV[1] .. ' ' .. ARGV[2]
local replaced = tonumber(redis.call('HGET', KEYS[3], me) or '0')
local total = tonumber(redis.call('HGET', KEYS[3], '__total__') or '0')
if total - replaced + tonumber(ARGV[5]) > tonumber(ARGV[9]) then return 'full' end
if replaced > 0 then forget(me, ARGV[1], ARGV[2]) end
local ttl = tonumber(ARGV[4]) - now
redis.call('SET', KEYS[4], ARGV[6], 'PX', ttl)
redis.call('SET', KEYS[5], ARGV[7], 'PX', ttl)
local last = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local at = now
if last[2] and tonumber(last[2]) >= at then at = tonumber(last[2]) + 1 end
redis.call('ZADD', KEYS[1], at, ARGV[2])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', KEYS[2], ARGV[4], me)
redis.call('HSET', KEYS[3], me, ARGV[5])
redis.call('HINCRBY', KEYS[3], '__total__', tonumber(ARGV[5]))
local extra = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[8])
if extra > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, extra - 1)) do forget(ARGV[1] .. ' ' .. id, ARGV[1], id) end
end
return 'stored'
`;

// KEYS: all zset, sizes hash. ARGV: now, key prefix. Forgets expired offers; returns the bytes left.
const SWEEP_LUA = `
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])) do
  local sep = string.find(member, ' ', 1, true)
  local channel = string.sub(member, 1, sep - 1)
  local id = string.sub(member, sep + 1)
  local size = tonumber(redis.call('HGET', KEYS[2], member) or '0')
  redis.call('HDEL', KEYS[2], member)
  redis.call('ZREM', KEYS[1], member)
  redis.call('HINCRBY', KEYS[2], '__total__', -size)
  redis.call('ZREM', ARGV[2] .. '{' .. channel .. '}:offers', id)
end
return tonumber(redis.call('HGET', KEYS[2], '__total__') or '0')
`;


export class RedisOfferStore implements OfferStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private connected = false;

  constructor(
    url: string,
    private readonly prefix: string,
    logger: Logger,
  ) {
    const retryStrategy = (times: number): number | null => (this.connected ? Math.min(times * 100, 2000) : null);
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000, disconnectTimeout: 200, retryStrategy, connectionName: 'relay-offers' });
    this.redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis (offers) error'));
  }

  async connect(): Promise<void> {
    await this.redis.connect();
    this.connected = true;
  }

  // Every offer key of one channel shares its hash tag, so the script runs on one cluster slot per
  // channel; the two store-wide keys are named without a tag (this relay expects one Redis, not a cluster).
  private channelKey(channelId: string, part: string): string {
    return `${this.prefix}{${channelId}}:${part}`;
  }

  private get allKey(): string {
    return `${this.prefix}offers:all`;
  }

  private get sizesKey(): string {
    return `${this.prefix}offers:sizes`;
  }

  async put(channelId: string, offer: StoredOffer, bounds: OfferBounds, now: number): Promise<'stored' | 'full'> {
    const id = offer.listing.id;
    const keys = [this.channelKey(channelId, 'offers'), this.allKey, this.sizesKey, this.channelKey(channelId, `offer-text:${id}`), this.channelKey(channelId, `offer-listing:${id}`)];
    const argv = [channelId, id, String(now), String(offer.listing.expiresAt), String(offer.listing.bytes), offer.text, JSON.stringify(offer.listing), String(bounds.perChannel), String(bounds.totalBytes), this.channelKey(channelId, 'offer-')];
    const result = (await this.redis.eval(PUT_LUA, keys.length, ...keys, ...argv)) as string;
    return result === 'full' ? 'full' : 'stored';
  }

  async list(channelId: string, now: number): Promise<OfferListing[]> {
    const ids = await this.redis.zrevrange(this.channelKey(channelId, 'offers'), 0, -1);
    if (ids.length === 0) return [];
    const listings = await this.redis.mget(...ids.map((id) => this.channelKey(channelId, `offer-listing:${id}`)));
    return listings.filter((l): l is string => l !== null).map((l) => JSON.parse(l) as OfferListing).filter((l) => l.expiresAt > now);
  }

  async get(channelId: string, offerId: string, now: number): Promise<string | undefined> {
    // The keys expire on their own (PX); the listing's expiresAt decides at the edge of that.
    const [text, listing] = await this.redis.mget(this.channelKey(channelId, `offer-text:${offerId}`), this.channelKey(channelId, `offer-listing:${offerId}`));
    if (typeof text !== 'string' || typeof listing !== 'string' || (JSON.parse(listing) as OfferListing).expiresAt <= now) return undefined;
    return text;
  }

  async sweep(now: number): Promise<number> {
    return Number(await this.redis.eval(SWEEP_LUA, 2, this.allKey, this.sizesKey, String(now), this.prefix));
  }

  async close(): Promise<void> {
    this.connected = false;
    this.redis.disconnect();
  }
}
