// A grid held as its canonical-hash chunks (texts, digests and per-chunk metadata), and a change applied
// to it at a cost that follows the change: only the chunks holding touched rows are read, rewritten and
// re-hashed, plus one pass over the touched tabs' chunk digests. Pure; shared by the relay (which keeps
// chunk texts in its store and loads the few a change needs) and by clients that check hashes per patch.

import { SyncError } from './errors';
import { CHUNK_ROWS, EMPTY_ROW_TEXT, chunkText, gridHashOf, rowText, sha256Hex, tabDigestOf, tabRowTexts, type DigestHex } from './canonical-hash';
import type { CellValue } from './grid';
import type { Change, ChangeTab, RangesTab } from './messages';
import { utf8Length } from './utf8';

/** One chunk: up to 256 consecutive rows of a tab. */
export interface ChunkState {
  readonly digest: string;
  /** Rows it holds: 256, except in a tab's last chunk. */
  readonly rows: number;
  /** Index (within the chunk) of its last row that is not `[]`, or -1 when every row is empty. */
  readonly lastNonEmpty: number;
  /** UTF-8 length of its text. */
  readonly bytes: number;
  /**
   * Each row's text followed by "\n" (what the digest hashes). Where texts live elsewhere (the relay's
   * store) it is absent until loaded; a text never changes for a given digest, so filling it in is safe.
   */
  text?: string;
}

export interface TabState {
  readonly tabId: number;
  readonly name: string;
  /** Normalized rows: up to and including the last row that is not empty. */
  readonly rowCount: number;
  readonly digest: string;
  /** Sum of its chunks' bytes. */
  readonly bytes: number;
  readonly chunks: readonly ChunkState[];
}

export interface GridState {
  /** Sorted by tabId ascending. */
  readonly tabs: readonly TabState[];
  /** The canonical hash. */
  readonly hash: string;
  /**
   * The grid's size: the UTF-8 bytes of every row text plus its newline, over every tab (the sum of its
   * chunk texts). The relay caps it (MAX_BODY_BYTES).
   */
  readonly bytes: number;
}

/** A chunk's place in a grid. */
export interface ChunkRef {
  tabId: number;
  index: number;
}

/** A chunk a change created or replaced (its text is present). */
export interface WrittenChunk extends ChunkRef {
  chunk: ChunkState;
}

export type ApplyOutcome =
  /** `written` lists the chunks whose digest differs from what the previous state held at that place. */
  | { ok: true; state: GridState; written: WrittenChunk[]; removedTabs: number[] }
  /** These chunks' texts are needed: fill them in (chunk.text) and apply again. */
  | { ok: false; missing: ChunkRef[] };

export interface ApplyOptions {
  digest?: DigestHex;
  /**
   * Most bytes (see GridState.bytes) the grid may hold after the change. A change that would need more
   * is refused with BODY_TOO_LARGE, from a lower bound computed before any row is built when it can be.
   */
  maxBytes?: number;
}

/** The empty grid. */
export function emptyGridState(digest: DigestHex = sha256Hex): GridState {
  return { tabs: [], hash: gridHashOf([], digest), bytes: 0 };
}

/** Every chunk of a full-text state: a grid's state built from its rows. */
export function gridStateOf(grid: { tabs: readonly { tabId: number; name: string; rows: readonly (readonly CellValue[])[] }[] }, digest: DigestHex = sha256Hex): GridState {
  const tabs = grid.tabs.map((t) => tabStateOf(t.tabId, t.name, t.rows, digest)).sort((a, b) => a.tabId - b.tabId);
  return withTabs(tabs, digest);
}

/** A tab's state from its rows (normalized here). */
export function tabStateOf(tabId: number, name: string, rows: readonly (readonly CellValue[])[], digest: DigestHex = sha256Hex): TabState {
  const texts = tabRowTexts(rows);
  const chunks: ChunkState[] = [];
  for (let start = 0; start < texts.length; start += CHUNK_ROWS) chunks.push(chunkOf(texts.slice(start, start + CHUNK_ROWS), digest));
  return tabOf(tabId, name, chunks, digest);
}

/**
 * The state after a change: a snapshot replaces every tab (tabs it does not list are gone), a patch
 * touches only the tabs it lists (`ranges` write cells, `values` replace the tab), as `applyChange` in
 * grid.ts does. Pure: the input state is not modified and shares untouched tabs and chunks with the result.
 */
export function applyToState(state: GridState, change: Pick<Change, 'kind' | 'tabs'>, options: ApplyOptions = {}): ApplyOutcome {
  const digest = options.digest ?? sha256Hex;
  const byId = new Map<number, TabState>();
  for (const t of state.tabs) byId.set(t.tabId, t);
  const plans = change.tabs.map((tab) => planTab(byId.get(tab.tabId), tab));
  if (options.maxBytes !== undefined) assertLowerBound(state, change, plans, options.maxBytes);

  const missing: ChunkRef[] = [];
  for (const plan of plans) for (const c of plan.needs) if (plan.old!.chunks[c]!.text === undefined) missing.push({ tabId: plan.tab.tabId, index: c });
  if (missing.length > 0) return { ok: false, missing };

  const next = new Map<number, TabState>(change.kind === 'patch' ? byId : []);
  const written: WrittenChunk[] = [];
  for (const plan of plans) {
    const built = plan.kind === 'values' ? tabStateOf(plan.tab.tabId, plan.tab.name, plan.values, digest) : buildRanges(plan, digest);
    if ('missing' in built) {
      missing.push(built.missing);
      continue;
    }
    next.set(built.tabId, built);
    const before = byId.get(built.tabId)?.chunks ?? [];
    built.chunks.forEach((chunk, index) => {
      if (before[index]?.digest !== chunk.digest) written.push({ tabId: built.tabId, index, chunk });
    });
  }
  if (missing.length > 0) return { ok: false, missing };
  const removedTabs = change.kind === 'snapshot' ? state.tabs.filter((t) => !next.has(t.tabId)).map((t) => t.tabId) : [];
  const result = withTabs([...next.values()].sort((a, b) => a.tabId - b.tabId), digest);
  if (options.maxBytes !== undefined && result.bytes > options.maxBytes) {
    throw new SyncError('BODY_TOO_LARGE', `after this change the channel's grid would hold ${result.bytes} bytes of row text, more than the limit of ${options.maxBytes} bytes`);
  }
  return { ok: true, state: result, written, removedTabs };
}

/** The state's tabs as a snapshot's `tabs` JSON (`[{"tabId":…,"name":…,"values":[…]}, …]`); every chunk text must be present. */
export function snapshotTabsJson(state: GridState): string {
  const parts: string[] = [];
  for (const tab of state.tabs) {
    let rows = '';
    for (const chunk of tab.chunks) {
      if (chunk.text === undefined) throw new Error(`snapshotTabsJson: tab ${tab.tabId} lacks a chunk text`);
      rows += chunk.text;
    }
    // Rows end with "\n"; in JSON they are separated by ",".
    const values = rows.length === 0 ? '' : rows.slice(0, -1).split('\n').join(',');
    parts.push(`{"tabId":${tab.tabId},"name":${JSON.stringify(tab.name)},"values":[${values}]}`);
  }
  return `[${parts.join(',')}]`;
}

/**
 * A grid held with every chunk text, updated per change: what a client keeps to check each patch's
 * hash at the cost of the patch rather than of the grid.
 */
export class GridDigest {
  private constructor(
    readonly state: GridState,
    private readonly digest: DigestHex,
  ) {}

  static of(grid: { tabs: readonly { tabId: number; name: string; rows: readonly (readonly CellValue[])[] }[] }, digest: DigestHex = sha256Hex): GridDigest {
    return new GridDigest(gridStateOf(grid, digest), digest);
  }

  static empty(digest: DigestHex = sha256Hex): GridDigest {
    return new GridDigest(emptyGridState(digest), digest);
  }

  get hash(): string {
    return this.state.hash;
  }

  /** The digest after the change (this one is unchanged). Throws BODY_TOO_LARGE past `maxBytes`. */
  apply(change: Pick<Change, 'kind' | 'tabs'>, maxBytes?: number): GridDigest {
    const outcome = applyToState(this.state, change, { digest: this.digest, ...(maxBytes === undefined ? {} : { maxBytes }) });
    // Every text is held, so nothing can be missing.
    if (!outcome.ok) throw new Error('GridDigest.apply: a chunk text is missing from a full digest');
    return new GridDigest(outcome.state, this.digest);
  }
}

// ---------------------------------------------------------------------------------------------
// Planning: what a tab's change needs, found from the change and the chunk metadata alone

type TabPlan =
  | { kind: 'values'; tab: ChangeTab; old: TabState | undefined; values: readonly (readonly CellValue[])[]; needs: number[]; lowerBound: number }
  | {
      kind: 'ranges';
      tab: RangesTab;
      old: TabState | undefined;
      /** Rows before trimming: enough to hold every non-empty value written. */
      height: number;
      /** Old chunks whose text the change reads (rows written in them, or a partial last chunk that grows). */
      needs: number[];
      lowerBound: number;
    };

function planTab(old: TabState | undefined, tab: ChangeTab): TabPlan {
  if ('values' in tab) {
    let lowerBound = 0;
    let height = tab.values.length;
    while (height > 0 && lastValueIndex(tab.values[height - 1]!) < 0) height--;
    for (let r = 0; r < height; r++) lowerBound += rowLowerBound(lastValueIndex(tab.values[r]!));
    return { kind: 'values', tab, old, values: tab.values, needs: [], lowerBound };
  }
  const oldRows = old?.rowCount ?? 0;
  const oldChunks = old?.chunks ?? [];
  /** Row → the last column (0-based) holding a non-empty value written there, or -1. */
  const written = new Map<number, number>();
  const needs = new Set<number>();
  let height = oldRows;
  for (const range of tab.ranges) {
    for (let i = 0; i < range.values.length; i++) {
      const r = range.row - 1 + i;
      const last = lastValueIndex(range.values[i]!);
      const column = last < 0 ? -1 : range.col - 1 + last;
      if (r < oldRows) needs.add(Math.floor(r / CHUNK_ROWS));
      else if (column < 0) continue; // "" past the end changes nothing
      written.set(r, Math.max(written.get(r) ?? -1, column));
      if (column >= 0) height = Math.max(height, r + 1);
    }
  }
  // A partial last chunk grows when rows are added after it.
  if (height > oldRows && oldRows % CHUNK_ROWS !== 0) needs.add(oldChunks.length - 1);
  let untouchedBytes = 0;
  let untouchedRows = 0;
  oldChunks.forEach((chunk, c) => {
    if (needs.has(c)) return;
    untouchedBytes += chunk.bytes;
    untouchedRows += chunk.rows;
  });
  let lowerBound = untouchedBytes + rowLowerBound(-1) * (height - untouchedRows);
  for (const column of written.values()) if (column >= 0) lowerBound += rowLowerBound(column) - rowLowerBound(-1);
  return { kind: 'ranges', tab, old, height, needs: [...needs].sort((a, b) => a - b), lowerBound };
}

/**
 * The fewest bytes a row text (with its newline) can take when its last non-empty cell is at `column`
 * (-1: an empty row, `[]\n`): brackets, one character per cell, commas, the newline.
 */
function rowLowerBound(column: number): number {
  return column < 0 ? 3 : 2 * column + 4;
}

/** Refuses, before any row is built, a change whose grid could not fit in maxBytes. */
function assertLowerBound(state: GridState, change: Pick<Change, 'kind'>, plans: TabPlan[], maxBytes: number): void {
  const listed = new Set(plans.map((p) => p.tab.tabId));
  let total = 0;
  if (change.kind === 'patch') for (const t of state.tabs) if (!listed.has(t.tabId)) total += t.bytes;
  for (const plan of plans) total += plan.lowerBound;
  if (total > maxBytes) {
    throw new SyncError('BODY_TOO_LARGE', `after this change the channel's grid would hold at least ${total} bytes of row text, more than the limit of ${maxBytes} bytes`);
  }
}

// ---------------------------------------------------------------------------------------------
// Building

function buildRanges(plan: Extract<TabPlan, { kind: 'ranges' }>, digest: DigestHex): TabState | { missing: ChunkRef } {
  const { tab, old, height } = plan;
  const oldChunks = old?.chunks ?? [];
  const chunkCount = Math.ceil(height / CHUNK_ROWS);
  const chunks: (ChunkState | undefined)[] = oldChunks.slice(0, chunkCount);
  chunks.length = chunkCount;
  /** Editable row texts of the chunks this change rewrites. */
  const lines = new Map<number, string[]>();
  const linesOf = (c: number): string[] => {
    let rows = lines.get(c);
    if (rows) return rows;
    const size = Math.min(CHUNK_ROWS, height - c * CHUNK_ROWS);
    rows = c < oldChunks.length ? splitRows(oldChunks[c]!.text!) : [];
    while (rows.length < size) rows.push(EMPTY_ROW_TEXT);
    lines.set(c, rows);
    return rows;
  };
  for (const c of plan.needs) linesOf(c);

  const parsed = new Map<number, CellValue[]>();
  for (const range of tab.ranges) {
    const left = range.col - 1;
    for (let i = 0; i < range.values.length; i++) {
      const r = range.row - 1 + i;
      if (r >= height) continue; // only "" written past the end
      const src = range.values[i]!;
      let cells = parsed.get(r);
      if (!cells) {
        cells = JSON.parse(linesOf(Math.floor(r / CHUNK_ROWS))[r % CHUNK_ROWS]!) as CellValue[];
        parsed.set(r, cells);
      }
      // A "" past the end of the row changes nothing (rows are trimmed), so it never grows it.
      let end = src.length;
      while (end > 0 && left + end > cells.length && src[end - 1] === '') end--;
      while (cells.length < left && end > 0) cells.push('');
      for (let j = 0; j < end; j++) cells[left + j] = src[j]!;
    }
  }
  for (const [r, cells] of parsed) linesOf(Math.floor(r / CHUNK_ROWS))[r % CHUNK_ROWS] = rowText(cells);

  for (let c = 0; c < chunkCount; c++) {
    const rows = lines.get(c);
    if (rows) chunks[c] = chunkOf(rows, digest);
    else if (chunks[c] === undefined) chunks[c] = emptyChunk(digest); // rows added between the old end and a new value
  }

  // Trailing empty rows go: whole empty chunks first, then the last chunk's empty tail.
  let last = chunkCount - 1;
  while (last >= 0 && chunks[last]!.lastNonEmpty < 0) last--;
  chunks.length = last + 1;
  if (last >= 0) {
    const chunk = chunks[last]!;
    const keep = chunk.lastNonEmpty + 1;
    if (chunk.rows > keep) {
      const rows = lines.get(last);
      if (rows) chunks[last] = chunkOf(rows.slice(0, keep), digest);
      else if (chunk.text !== undefined) chunks[last] = chunkOf(splitRows(chunk.text).slice(0, keep), digest);
      else return { missing: { tabId: tab.tabId, index: last } };
    }
  }
  return tabOf(tab.tabId, tab.name, chunks as ChunkState[], digest);
}

/** A chunk's row texts from its text (each row is followed by "\n"; JSON text never holds a raw newline). */
function splitRows(text: string): string[] {
  const rows = text.split('\n');
  rows.pop();
  return rows;
}

function chunkOf(rowTexts: readonly string[], digest: DigestHex): ChunkState {
  const text = chunkText(rowTexts);
  let lastNonEmpty = rowTexts.length - 1;
  while (lastNonEmpty >= 0 && rowTexts[lastNonEmpty] === EMPTY_ROW_TEXT) lastNonEmpty--;
  return { digest: digest(text), rows: rowTexts.length, lastNonEmpty, bytes: utf8Length(text), text };
}

const emptyChunks = new WeakMap<DigestHex, ChunkState>();

/** A full chunk of empty rows: the same text and digest wherever it appears, so it is made once. */
function emptyChunk(digest: DigestHex): ChunkState {
  let chunk = emptyChunks.get(digest);
  if (!chunk) {
    chunk = chunkOf(new Array<string>(CHUNK_ROWS).fill(EMPTY_ROW_TEXT), digest);
    emptyChunks.set(digest, chunk);
  }
  return chunk;
}

function tabOf(tabId: number, name: string, chunks: ChunkState[], digest: DigestHex): TabState {
  const rowCount = chunks.length === 0 ? 0 : (chunks.length - 1) * CHUNK_ROWS + chunks[chunks.length - 1]!.rows;
  let bytes = 0;
  for (const c of chunks) bytes += c.bytes;
  return {
    tabId,
    name,
    rowCount,
    digest: tabDigestOf(
      tabId,
      name,
      rowCount,
      chunks.map((c) => c.digest),
      digest,
    ),
    bytes,
    chunks,
  };
}

function withTabs(tabs: TabState[], digest: DigestHex): GridState {
  let bytes = 0;
  for (const t of tabs) bytes += t.bytes;
  return {
    tabs,
    hash: gridHashOf(
      tabs.map((t) => t.digest),
      digest,
    ),
    bytes,
  };
}

/** Index of the last cell that is not "", or -1 when the row is empty. */
function lastValueIndex(row: readonly CellValue[]): number {
  let c = row.length - 1;
  while (c >= 0 && row[c] === '') c--;
  return c;
}
