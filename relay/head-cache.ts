// The heads of recently used channels, kept in memory on the thread that serves sockets: each head's
// chunk metadata, the chunk texts read so far, and its snapshot message once built (one buffer shared
// by every socket that needs it). The budget is in bytes actually held, counted as entries change;
// past it the least recently used heads go.

import type { ChunkState, GridState } from '../shared/protocol/grid-digest';

export interface CachedHead {
  readonly epoch: string;
  readonly seq: number;
  readonly hash: string;
  readonly title: string | undefined;
  readonly at: number | undefined;
  /** The grid's chunks (texts present only where read or written here); absent when only the snapshot is kept. */
  readonly state: GridState | undefined;
  /** The snapshot message at this position, built once and shared. */
  snapshot: Buffer | undefined;
}

/**
 * What V8 holds for the metadata: an entry, a tab and a chunk object (with its 64-character digest
 * string and its array slot). Upper bounds, checked by test/relay/head-cache.test.ts against
 * the process's measured memory.
 */
export const ENTRY_BYTES = 512;
export const TAB_BYTES = 320;
export const CHUNK_BYTES = 224;
/** A string's header. */
const STRING_BYTES = 24;

/**
 * Bytes a chunk text takes in V8: one byte per character when it is ASCII (its UTF-8 length equals its
 * length), else counted as two (V8 keeps text with a character above U+00FF in two-byte form; Latin-1
 * text is counted twice though it takes one: an overcount, never an undercount).
 */
export function textBytes(chunk: ChunkState): number {
  if (chunk.text === undefined) return 0;
  return STRING_BYTES + (chunk.bytes === chunk.text.length ? chunk.text.length : 2 * chunk.text.length);
}

/** Bytes an entry holds: metadata, texts read, the snapshot buffer. */
export function entryBytes(head: CachedHead): number {
  let bytes = ENTRY_BYTES + (head.snapshot?.byteLength ?? 0);
  for (const tab of head.state?.tabs ?? []) {
    bytes += TAB_BYTES + CHUNK_BYTES * tab.chunks.length;
    for (const chunk of tab.chunks) bytes += textBytes(chunk);
  }
  return bytes;
}

export class HeadCache {
  private readonly heads = new Map<string, { head: CachedHead; bytes: number }>();
  private total = 0;

  constructor(private readonly budget: number) {}

  /** Bytes held by every kept head. */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.heads.size;
  }

  /** The kept head of the channel (any position); a hit counts as a use. */
  get(channelId: string): CachedHead | undefined {
    const kept = this.heads.get(channelId);
    if (!kept) return undefined;
    this.heads.delete(channelId);
    this.heads.set(channelId, kept);
    return kept.head;
  }

  /** Keeps this head for the channel (replacing any other), as the most recently used. */
  put(channelId: string, head: CachedHead): CachedHead {
    this.forget(channelId);
    const kept = { head, bytes: entryBytes(head) };
    this.heads.set(channelId, kept);
    this.total += kept.bytes;
    this.shrink();
    return head;
  }

  /** Fills in chunk texts read for the kept head (ignored if the channel's head changed meanwhile). */
  addTexts(channelId: string, head: CachedHead, chunks: readonly ChunkState[], texts: readonly string[]): void {
    const kept = this.heads.get(channelId);
    chunks.forEach((chunk, i) => {
      if (chunk.text !== undefined) return;
      chunk.text = texts[i]!;
      if (kept?.head === head) this.grow(kept, textBytes(chunk));
    });
    this.shrink();
  }

  /** Keeps a snapshot message at (epoch, seq) with the channel's head when it is at that position. */
  setSnapshot(channelId: string, snapshot: { epoch: string; seq: number; title: string | undefined; message: Buffer; hash?: string }): void {
    const kept = this.heads.get(channelId);
    if (kept && kept.head.epoch === snapshot.epoch && kept.head.seq === snapshot.seq) {
      if (kept.head.snapshot) return;
      kept.head.snapshot = snapshot.message;
      this.grow(kept, snapshot.message.byteLength);
      this.shrink();
      return;
    }
    // A head known only by its snapshot (a process that serves sockets but took no change of it).
    if (kept && kept.head.epoch === snapshot.epoch && kept.head.seq > snapshot.seq) return;
    this.put(channelId, { epoch: snapshot.epoch, seq: snapshot.seq, hash: snapshot.hash ?? '', title: snapshot.title, at: undefined, state: undefined, snapshot: snapshot.message });
  }

  forget(channelId: string): void {
    const kept = this.heads.get(channelId);
    if (!kept) return;
    this.heads.delete(channelId);
    this.total -= kept.bytes;
  }

  private grow(kept: { bytes: number }, bytes: number): void {
    kept.bytes += bytes;
    this.total += bytes;
  }

  /**
   * Drops the least recently used heads past the budget. The newest stays (the change in progress
   * needs it) but gives up its snapshot and then its texts if it alone is over the budget.
   */
  private shrink(): void {
    while (this.total > this.budget && this.heads.size > 1) this.forget(this.heads.keys().next().value!);
    if (this.total <= this.budget || this.heads.size === 0) return;
    const [channelId, kept] = [...this.heads][0]!;
    const { head } = kept;
    const lean: CachedHead = {
      ...head,
      snapshot: undefined,
      state: head.state && { ...head.state, tabs: head.state.tabs.map((t) => ({ ...t, chunks: t.chunks.map(({ text: _text, ...meta }) => meta) })) },
    };
    this.heads.set(channelId, { head: lean, bytes: entryBytes(lean) });
    this.total = this.heads.get(channelId)!.bytes;
  }
}
