// The grid as one JSON text, `[[tabId, name, rows], …]` sorted by tabId with rows normalized: how the
// plugin's window hands a grid to its main thread (one string crosses into the sandbox far cheaper than
// many small arrays). It is NOT what the canonical hash hashes: that is canonical-hash.ts.

import { normalizeRows, type Rows } from './grid';

/** The grid's transfer text (see above); figma-plugin/main/grid-shape.ts `gridFromText` reads it back. */
export function gridText(tabs: readonly { tabId: number; name: string; rows: Rows }[]): string {
  const sorted = [...tabs].sort((a, b) => a.tabId - b.tabId);
  return JSON.stringify(sorted.map((t) => [t.tabId, t.name, normalizeRows(t.rows)]));
}
