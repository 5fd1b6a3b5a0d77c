// The work of one change, the same on the main thread (small changes) and in an ingest worker (large
// ones): parse and validate the body, apply it to the head's chunks, check the hash, and build what the
// store commits (changed chunks, tab records, the history entry) and, for a snapshot, its message.

import { SyncError } from '../shared/protocol/errors';
import { applyToState, snapshotTabsJson, type ChunkRef, type GridState } from '../shared/protocol/grid-digest';
import { parseChange, parseJson, type Change } from '../shared/protocol/messages';
import { nodeDigest } from './node-digest';
import type { ChunkDrop, TabRecord } from './store';
import { patchMessageText, snapshotMessageText, snapshotStubText } from './wire-messages';

/** The head a change is applied to. */
export interface IngestHead {
  epoch: string;
  seq: number;
  title: string | undefined;
  state: GridState;
}

export interface IngestOptions {
  /** Most bytes the grid may hold after the change. */
  maxGridBytes: number;
  /** When the request arrived (unix ms): the change's `at` when it carries none. */
  receivedAt: number;
}

/** A change applied and checked, ready to commit. */
export interface ReadyChange {
  change: Pick<Change, 'id' | 'kind' | 'hash' | 'title'>;
  at: number;
  state: GridState;
  /** The touched tabs (all tabs of a snapshot), whose records the store rewrites. */
  tabs: TabRecord[];
  removedTabs: number[];
  /** Changed chunks with their texts. */
  chunks: { tabId: number; index: number; text: string }[];
  dropChunks: ChunkDrop[];
  /** The history entry (the patch message, or a snapshot stub). */
  message: string;
  /** The snapshot message, for a snapshot change (the fan-out and catch-ups share it). */
  snapshot: string | undefined;
}

export type Computed =
  | { outcome: 'ready'; ready: ReadyChange }
  | { outcome: 'missing'; missing: ChunkRef[] }
  | { outcome: 'mismatch'; changeId: string; expected: string; actual: string };

/** The change in a request body; throws BAD_JSON or BAD_CHANGE naming the field. */
export function parseChangeBody(body: string): Change {
  const json = parseJson(body);
  if (!json.ok) throw new SyncError('BAD_JSON', json.message);
  const parsed = parseChange(json.value);
  if (!parsed.ok) throw new SyncError('BAD_CHANGE', parsed.message);
  return parsed.value;
}

/**
 * Applies a change to the head. `missing` names chunk texts the head lacks (fill them in and call
 * again); `mismatch` means the sheet's hash differs. Throws BODY_TOO_LARGE past the grid limit.
 */
export function computeChange(head: IngestHead, change: Change, options: IngestOptions): Computed {
  const outcome = applyToState(head.state, change, { digest: nodeDigest, maxBytes: options.maxGridBytes });
  if (!outcome.ok) return { outcome: 'missing', missing: outcome.missing };
  const { state } = outcome;
  if (state.hash !== change.hash) return { outcome: 'mismatch', changeId: change.id, expected: change.hash, actual: state.hash };
  const seq = head.seq + 1;
  const at = change.at ?? Math.floor(options.receivedAt);
  const touched = new Set(change.tabs.map((t) => t.tabId));
  const before = new Map(head.state.tabs.map((t) => [t.tabId, t.chunks.length]));
  const tabs = state.tabs.filter((t) => touched.has(t.tabId));
  const dropChunks: ChunkDrop[] = [];
  for (const tab of tabs) {
    const old = before.get(tab.tabId) ?? 0;
    if (old > tab.chunks.length) dropChunks.push({ tabId: tab.tabId, from: tab.chunks.length, to: old });
  }
  for (const tabId of outcome.removedTabs) dropChunks.push({ tabId, from: 0, to: before.get(tabId) ?? 0 });
  const snapshot =
    change.kind === 'snapshot' ? snapshotMessageText({ epoch: head.epoch, seq, hash: state.hash, title: change.title ?? head.title, at, tabsJson: snapshotTabsJson(state) }) : undefined;
  return {
    outcome: 'ready',
    ready: {
      change: { id: change.id, kind: change.kind, hash: change.hash, title: change.title },
      at,
      state,
      tabs: tabs.map(withoutTexts),
      removedTabs: outcome.removedTabs,
      chunks: outcome.written.map((w) => ({ tabId: w.tabId, index: w.index, text: w.chunk.text! })),
      dropChunks,
      message: change.kind === 'snapshot' ? snapshotStubText(head.epoch, seq, state.hash) : patchMessageText(change, head.epoch, seq, at),
      snapshot,
    },
  };
}

/** A tab's record: its state without chunk texts (they are stored apart). */
export function withoutTexts(tab: GridState['tabs'][number]): TabRecord {
  return { tabId: tab.tabId, name: tab.name, rowCount: tab.rowCount, digest: tab.digest, bytes: tab.bytes, chunks: tab.chunks.map((c) => ({ digest: c.digest, rows: c.rows, lastNonEmpty: c.lastNonEmpty, bytes: c.bytes })) };
}

/**
 * About how many chunks applying the change builds or lists, from the change alone: a patch that
 * writes row R of a tab makes that tab at least R rows long. Large work goes to an ingest worker.
 */
export function estimatedChunks(head: GridState, change: Change): number {
  const rows = new Map(head.tabs.map((t) => [t.tabId, t.rowCount]));
  let chunks = 0;
  for (const tab of change.tabs) {
    let height = change.kind === 'patch' ? (rows.get(tab.tabId) ?? 0) : 0;
    if ('values' in tab) height = tab.values.length;
    else for (const range of tab.ranges) height = Math.max(height, range.row - 1 + range.values.length);
    chunks += Math.ceil(height / 256);
  }
  return chunks;
}
