// The canonical hash of a grid: lowercase hex SHA-256 of the UTF-8 text of
// JSON.stringify([[tabId, name, rows], ...]) sorted by tabId, rows normalized. Any client can
// compute it; docs/protocol.md has the definition and a test vector.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { normalizeRows, type Grid, type Rows } from './grid';
import { utf8Encode } from './utf8';

/** The exact text whose SHA-256 is the hash. */
export function canonicalText(tabs: readonly { tabId: number; name: string; rows: Rows }[]): string {
  const sorted = [...tabs].sort((a, b) => a.tabId - b.tabId);
  return JSON.stringify(sorted.map((t) => [t.tabId, t.name, normalizeRows(t.rows)]));
}

/** Lowercase hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8Encode(text)));
}

/** The canonical hash of a grid (or of any list of tabs, normalized here). */
export function gridHash(grid: Grid | { tabs: readonly { tabId: number; name: string; rows: Rows }[] }): string {
  return sha256Hex(canonicalText(grid.tabs));
}
