// Turns one validated change into a committed seq: apply it to the channel's grid, check the hash,
// and commit with compare-and-set on (epoch, seq), recomputing when another process got there first.

import { createHash } from 'node:crypto';
import { SyncError } from '../shared/errors';
import { applyChange, type Grid } from '../shared/grid';
import { LIMITS } from '../shared/limits';
import { canonicalText } from '../shared/canonical-hash';
import type { Change, ChangeAccepted } from '../shared/protocol';
import type { Store } from './store';
import { gridToTabsJson, patchMessageText, snapshotMessageText } from './wire-messages';

export type IngestResult =
  | { outcome: 'accepted'; accepted: ChangeAccepted; kind: Change['kind'] }
  | { outcome: 'duplicate'; accepted: ChangeAccepted }
  | { outcome: 'mismatch'; expected: string; actual: string };

/** Compare-and-set attempts before giving up; each failure means another process committed meanwhile. */
const MAX_ATTEMPTS = 20;

/**
 * The canonical hash as shared/canonical-hash.ts defines it (same text), with Node's native SHA-256
 * because a grid can be megabytes and this runs on every change.
 */
export function canonicalHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * applyChange with its cell cap lowered to what can fit in maxGridBytes of canonical text (each cell
 * takes at least 3 bytes: `""` and a separator), so a tiny patch naming a far cell is refused before
 * the relay builds millions of padded cells.
 */
function applyWithinLimit(grid: Grid, change: Change, maxGridBytes: number): Grid {
  const cap = Math.min(LIMITS.maxGridCells, Math.floor(maxGridBytes / 3));
  try {
    return applyChange(grid, change, cap);
  } catch (err) {
    if (err instanceof SyncError && err.code === 'BAD_CHANGE' && cap < LIMITS.maxGridCells && /cells/.test(err.detail ?? '')) {
      throw new SyncError('BODY_TOO_LARGE', `after this change the channel's grid would have more than ${cap} cells, more than fit in ${maxGridBytes} bytes`);
    }
    throw err;
  }
}

export async function ingestChange(store: Store, channelId: string, change: Change, options: { maxGridBytes: number; receivedAt: number }): Promise<IngestResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const prior = await store.findAnswer(channelId, change.id);
    if (prior) return { outcome: 'duplicate', accepted: { ...prior, duplicate: true } };
    const head = await store.head(channelId);
    if (!head) throw new SyncError('UNKNOWN_CHANNEL');
    const grid = applyWithinLimit(head.grid, change, options.maxGridBytes);
    const text = canonicalText(grid.tabs);
    if (Buffer.byteLength(text) > options.maxGridBytes) {
      throw new SyncError('BODY_TOO_LARGE', `after this change the channel's grid would be larger than ${options.maxGridBytes} bytes`);
    }
    const hash = canonicalHash(text);
    if (hash !== change.hash) return { outcome: 'mismatch', expected: change.hash, actual: hash };
    const seq = head.seq + 1;
    const at = change.at ?? Math.floor(options.receivedAt);
    const tabsJson = gridToTabsJson(grid);
    const title = change.title ?? head.title;
    const message =
      change.kind === 'snapshot'
        ? snapshotMessageText({ epoch: head.epoch, seq, hash, title, at, tabsJson })
        : patchMessageText(change, head.epoch, seq, at);
    const outcome = await store.append({
      channelId,
      changeId: change.id,
      baseEpoch: head.epoch,
      baseSeq: head.seq,
      kind: change.kind,
      grid,
      tabsJson,
      hash,
      title: change.title,
      at,
      message,
    });
    switch (outcome.result) {
      case 'appended':
        return { outcome: 'accepted', accepted: outcome.accepted, kind: change.kind };
      case 'duplicate':
        return { outcome: 'duplicate', accepted: { ...outcome.accepted, duplicate: true } };
      case 'unknown-channel':
        throw new SyncError('UNKNOWN_CHANNEL');
      case 'conflict':
        continue;
    }
  }
  throw new SyncError('INTERNAL', `the channel changed under ${MAX_ATTEMPTS} attempts in a row to commit this change; retry it`);
}
