// The grid cache: the channel's last applied grid with its position and hash, kept per file in
// figma.clientStorage on this person's machine, so a reopened plugin catches up by the missed patches
// instead of a snapshot. A few files at most, least recently used evicted first, well under Figma's 5 MB.

import type { PairingLink } from '../../shared/protocol/pairing-code';
import type { CachedGrid } from '../../shared/plan/plugin-messages';
import { utf8Length } from '../../shared/protocol/utf8';
import { gridProblem, hashProblem, isObject, isWholeNumber, positionProblem } from './grid-shape';
import type { PluginHost } from './host';
import { KEYS } from './plugin-data';

export interface GridCacheLimits {
  /** Files whose grids are kept at once. */
  maxFiles: number;
  /**
   * A grid whose stored entry would be bigger than this (bytes of its JSON, as Figma counts its quota)
   * is not cached at all: the file then resumes from its position as without a cache.
   */
  maxEntryBytes: number;
  /** All cached grids together; the rest of clientStorage's 5 MB stays free for settings and headroom. */
  totalBytes: number;
}

export const GRID_CACHE_LIMITS: GridCacheLimits = { maxFiles: 4, maxEntryBytes: 2_000_000, totalBytes: 4_000_000 };

/** What is cached for one file: the channel it belongs to and that channel's grid at a position. */
export interface GridCacheEntry extends CachedGrid {
  relayUrl: string;
  channelId: string;
}

/**
 * The stored value's format; `v` lets a later format tell an older entry from a damaged one. 2: the
 * hash is protocol v2's chunked hash, so an entry of format 1 (a v1 hash) is ignored, not mistaken.
 */
const FORMAT = 2;

/** The stored value. */
interface StoredEntry extends GridCacheEntry {
  v: typeof FORMAT;
}

/**
 * Kept beside each entry under its own key, written after the entry (so it says the entry is whole):
 * choosing what to evict, and knowing whether a grid is already cached, read no grid.
 */
interface Usage {
  bytes: number;
  /** Unix ms of the last write or read. */
  usedAt: number;
  /** Which grid the entry holds (see gridIdentity). */
  of: string;
}

export type CacheWriteResult = 'written' | 'unchanged' | 'too-large' | 'failed';

const entryKey = (fileId: string) => `${KEYS.gridCachePrefix}${fileId}`;
/** A channel's grid at a position is one grid: the same identity means the same grid. */
const gridIdentity = (e: Pick<GridCacheEntry, 'relayUrl' | 'channelId' | 'position'>) => JSON.stringify([e.relayUrl, e.channelId, e.position.epoch, e.position.seq]);
const usageKey = (fileId: string) => `${KEYS.gridCacheUsePrefix}${fileId}`;


/** What a key and value cost of the quota, as Figma approximates it: the key plus the value's JSON. */
export function storedBytes(key: string, value: unknown): number {
  return utf8Length(key) + utf8Length(JSON.stringify(value) ?? '');
}

/** The entry, or undefined when anything about it is off (it is then worth nothing). */
export function decodeEntry(value: unknown): GridCacheEntry | undefined {
  if (!isObject(value) || value.v !== FORMAT) return undefined;
  if (typeof value.relayUrl !== 'string' || typeof value.channelId !== 'string') return undefined;
  if (positionProblem(value.position) || hashProblem(value.hash) || gridProblem(value.grid)) return undefined;
  const position = value.position as CachedGrid['position'];
  return {
    relayUrl: value.relayUrl,
    channelId: value.channelId,
    position: { epoch: position.epoch, seq: position.seq },
    hash: value.hash as string,
    grid: value.grid as CachedGrid['grid'],
  };
}

function decodeUsage(value: unknown): Usage | undefined {
  if (!isObject(value) || !isWholeNumber(value.bytes) || typeof value.usedAt !== 'number' || !Number.isFinite(value.usedAt) || typeof value.of !== 'string') return undefined;
  return { bytes: value.bytes, usedAt: value.usedAt, of: value.of };
}

/**
 * The cache over clientStorage. clientStorage is shared by every file this person has the plugin open
 * in, so each file writes only its own two keys; another file's keys are touched only to evict them.
 * Two plugin windows racing can at worst lose an entry (a cache miss, then a snapshot), never mix one
 * up: an entry names its channel and the UI checks the grid against its hash before using it.
 */
export class GridCache {
  constructor(
    private readonly storage: PluginHost['clientStorage'],
    private readonly now: () => number,
    private readonly limits: GridCacheLimits = GRID_CACHE_LIMITS,
  ) {}

  /**
   * The cached grid of this file when it belongs to the linked channel; marks it used. A damaged entry,
   * or one for another channel (the link changed since), is removed and reads as none.
   */
  async read(fileId: string, link: PairingLink): Promise<CachedGrid | undefined> {
    try {
      const stored: unknown = await this.storage.getAsync(entryKey(fileId));
      if (stored === undefined) return undefined;
      const entry = decodeEntry(stored);
      if (!entry || entry.relayUrl !== link.relayUrl || entry.channelId !== link.channelId) {
        await this.remove(fileId);
        return undefined;
      }
      const usage = decodeUsage(await this.storage.getAsync(usageKey(fileId)));
      const touched: Usage = { bytes: usage?.bytes ?? storedBytes(entryKey(fileId), stored), usedAt: this.now(), of: gridIdentity(entry) };
      await this.storage.setAsync(usageKey(fileId), touched);
      return { position: entry.position, hash: entry.hash, grid: entry.grid };
    } catch {
      // Storage that cannot be read is no cache: the file resumes from its position, as without one.
      return undefined;
    }
  }

  /**
   * Stores this file's entry, evicting the least recently used other files until it fits both the count
   * and the byte budget; 'unchanged' when it holds this very grid already (a re-apply, or a reopen).
   * Never throws: a cache that cannot be written only costs a snapshot later.
   */
  async write(fileId: string, entry: GridCacheEntry): Promise<CacheWriteResult> {
    try {
      const key = entryKey(fileId);
      const of = gridIdentity(entry);
      if (decodeUsage(await this.storage.getAsync(usageKey(fileId)))?.of === of) return 'unchanged';
      const value: StoredEntry = {
        v: FORMAT,
        relayUrl: entry.relayUrl,
        channelId: entry.channelId,
        position: { epoch: entry.position.epoch, seq: entry.position.seq },
        hash: entry.hash,
        grid: entry.grid,
      };
      // Measuring means serializing the grid once (a few ms for a large sheet); it runs only after a
      // quiet spell or a snapshot, and Figma serializes the value on setAsync anyway.
      const bytes = storedBytes(key, value);
      if (bytes > this.limits.maxEntryBytes) {
        // Too large to cache: a grid this size would crowd out every other file's. Its older entry, if
        // any, goes too: it would only grow staler.
        await this.remove(fileId);
        return 'too-large';
      }
      await this.evictFor(fileId, bytes);
      // The entry first: its usage record, written last, says it is whole.
      await this.storage.setAsync(key, value);
      const usage: Usage = { bytes, usedAt: this.now(), of };
      await this.storage.setAsync(usageKey(fileId), usage);
      return 'written';
    } catch {
      // Most likely clientStorage's quota (other data of this plugin): keep nothing half-written.
      await this.remove(fileId).catch(() => undefined);
      return 'failed';
    }
  }

  /** Forgets this file's entry (unlink, another channel, or damage); the usage record goes first. */
  async remove(fileId: string): Promise<void> {
    await this.storage.deleteAsync(usageKey(fileId));
    await this.storage.deleteAsync(entryKey(fileId));
  }

  /** Makes room for `bytes` of this file: evicts the least recently used others, and what an interrupted write left. */
  private async evictFor(fileId: string, bytes: number): Promise<void> {
    const keys = await this.storage.keysAsync();
    const entries = new Set<string>();
    const used = new Set<string>();
    for (const key of keys) {
      if (key.startsWith(KEYS.gridCachePrefix)) entries.add(key.slice(KEYS.gridCachePrefix.length));
      else if (key.startsWith(KEYS.gridCacheUsePrefix)) used.add(key.slice(KEYS.gridCacheUsePrefix.length));
    }
    const others: (Usage & { fileId: string })[] = [];
    for (const other of used) {
      if (other === fileId) continue;
      const usage = entries.has(other) ? decodeUsage(await this.storage.getAsync(usageKey(other))) : undefined;
      // A damaged usage record cannot be weighed, and one without its entry weighs nothing: both go.
      if (usage) others.push({ fileId: other, ...usage });
      else await this.remove(other);
    }
    // An entry without a usage record (left by an interrupted write) takes space nobody counts.
    for (const other of entries) if (other !== fileId && !used.has(other)) await this.storage.deleteAsync(entryKey(other));
    others.sort((a, b) => b.usedAt - a.usedAt);
    let files = 1;
    let total = bytes;
    let keep = 0;
    // Most recently used first; the first that does not fit goes, with everything used before it.
    for (const other of others) {
      if (files + 1 > this.limits.maxFiles || total + other.bytes > this.limits.totalBytes) break;
      files++;
      total += other.bytes;
      keep++;
    }
    for (const other of others.slice(keep)) await this.remove(other.fileId);
  }
}
