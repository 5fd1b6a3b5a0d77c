// Fits the sheet into requests the relay accepts when one change would be over its body limit:
// a snapshot of the first rows, then patches appending the rest. Every piece's hash is the hash of
// the rows sent so far, which the add-on knows exactly, so the relay checks each piece.
// Used only when a change is too large; an ordinary change goes as it is.

import type { Rows } from '../../shared/protocol/grid';
import { PROTOCOL_VERSION } from '../../shared/protocol/limits';
import type { Change, ChangeTab } from '../../shared/protocol/messages';
import { utf8Length } from '../../shared/protocol/utf8';
import { type GridHasher, type TabValues } from './change-builder';

/** Room for the envelope (v, id, kind, hash, title, tab names) around the rows. */
const ENVELOPE_BYTES = 2_048;


/**
 * The pieces that carry `tabs` (every synced tab, normalized) to the relay in bodies of at most
 * about `maxBytes`: one snapshot, then patches, in order. One piece when the whole fits.
 */
export function splitSnapshot(tabs: readonly TabValues[], newId: () => string, maxBytes: number, title: string | undefined, at: number | undefined, hasher: GridHasher): Change[] {
  const budget = Math.max(1_024, maxBytes - ENVELOPE_BYTES - (title ? utf8Length(title) * 2 : 0));
  const sorted = [...tabs].sort((a, b) => a.tabId - b.tabId);
  // The prefix of each tab already sent, as rows.
  const sent = new Map<number, Rows>();
  const pieces: Change[] = [];
  let current: ChangeTab[] = [];
  let bytes = 0;

  const flush = () => {
    if (!current.length && pieces.length) return;
    const prefix = sorted.filter((t) => sent.has(t.tabId)).map((t) => ({ tabId: t.tabId, name: t.name, rows: sent.get(t.tabId)! }));
    const change: Change = { v: PROTOCOL_VERSION, id: newId(), kind: pieces.length ? 'patch' : 'snapshot', tabs: current, hash: hasher(prefix) };
    if (at !== undefined) change.at = at;
    if (title && !pieces.length) change.title = title;
    pieces.push(change);
    current = [];
    bytes = 0;
  };

  for (const tab of sorted) {
    const rows = tab.rows;
    const nameBytes = utf8Length(JSON.stringify(tab.name)) + 64;
    const rowBytes = (r: number) => utf8Length(JSON.stringify(rows[r])) + 1;
    let start = 0;
    let first = true;
    while (first || start < rows.length) {
      first = false;
      let next = start < rows.length ? rowBytes(start) : 0;
      if (current.length && bytes + nameBytes + next > budget) flush();
      bytes += nameBytes;
      let end = start;
      // At least one row per block: a row alone over the budget still goes, and the relay says why.
      while (end < rows.length && (end === start || bytes + next <= budget)) {
        bytes += next;
        end++;
        next = end < rows.length ? rowBytes(end) : 0;
      }
      const block = rows.slice(start, end);
      const before = sent.get(tab.tabId);
      if (before === undefined) {
        // The tab's first block sets its values (in the snapshot, or as a whole tab in a patch).
        current.push({ tabId: tab.tabId, name: tab.name, values: block });
        sent.set(tab.tabId, block);
      } else {
        current.push({ tabId: tab.tabId, name: tab.name, ranges: [{ row: start + 1, col: 1, values: block }] });
        sent.set(tab.tabId, before.concat(block));
      }
      start = end;
      if (start < rows.length) flush();
    }
  }
  flush();
  return pieces;
}
