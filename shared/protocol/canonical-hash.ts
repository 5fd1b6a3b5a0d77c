// The canonical hash of a grid (protocol v2): row texts hashed in chunks of 256 rows, chunk digests
// hashed per tab, tab digests hashed for the grid, so a change re-hashes only the chunks it touches.
// docs/protocol.md "The canonical hash" has the definition and test vectors. Any client can compute it.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { CellValue } from './grid';
import { utf8Encode } from './utf8';

/**
 * Lowercase hex SHA-256 of a string's UTF-8 bytes. Every function here takes one, so each runtime can
 * pass its native digest (Apps Script's Utilities.computeDigest, Node's crypto); the default is pure
 * TypeScript (@noble/hashes), which runs anywhere.
 */
export type DigestHex = (text: string) => string;

/** Rows per chunk: a change re-hashes the chunks holding the rows it touches, ~256 rows each. */
export const CHUNK_ROWS = 256;

/** The text of a row once every trailing "" cell is removed: the empty row. */
export const EMPTY_ROW_TEXT = '[]';

/** Lowercase hex SHA-256 of a string's UTF-8 bytes, in pure TypeScript. */
export const sha256Hex: DigestHex = (text) => bytesToHex(sha256(utf8Encode(text)));

/** JSON.stringify of the row without its trailing "" cells: `["Name","Light"]`, `["spacing/4",16]`, `[]`. */
export function rowText(row: readonly CellValue[]): string {
  let end = row.length;
  while (end > 0 && row[end - 1] === '') end--;
  return JSON.stringify(end === row.length ? row : row.slice(0, end));
}

/** The row texts of a tab's normalized rows: every row's text, trailing empty rows removed. */
export function tabRowTexts(rows: readonly (readonly CellValue[])[]): string[] {
  const texts = rows.map(rowText);
  let height = texts.length;
  while (height > 0 && texts[height - 1] === EMPTY_ROW_TEXT) height--;
  texts.length = height;
  return texts;
}

/** The text a chunk digest hashes: each row text followed by "\n". */
export function chunkText(rowTexts: readonly string[], start = 0, end = rowTexts.length): string {
  let text = '';
  for (let i = start; i < end; i++) text += `${rowTexts[i]!}\n`;
  return text;
}

/** The first line of a tab digest's text: `[tabId,name,rowCount]` as JSON. */
export function tabHeader(tabId: number, name: string, rowCount: number): string {
  return JSON.stringify([tabId, name, rowCount]);
}

/** A tab's digest from its header fields and its chunks' digests, in order. */
export function tabDigestOf(tabId: number, name: string, rowCount: number, chunkDigests: readonly string[], digest: DigestHex): string {
  let text = `${tabHeader(tabId, name, rowCount)}\n`;
  for (const d of chunkDigests) text += `${d}\n`;
  return digest(text);
}

/**
 * The digest of one tab (rows as given: they are normalized here). The `…With` forms take the digest
 * and nothing else, so a bundle that always passes its own (the add-on's native one) carries no
 * JavaScript SHA-256: the defaults below are the only references to @noble/hashes.
 */
export function tabDigestWith(tab: { tabId: number; name: string; rows: readonly (readonly CellValue[])[] }, digest: DigestHex): string {
  const texts = tabRowTexts(tab.rows);
  const chunkDigests: string[] = [];
  for (let start = 0; start < texts.length; start += CHUNK_ROWS) chunkDigests.push(digest(chunkText(texts, start, Math.min(texts.length, start + CHUNK_ROWS))));
  return tabDigestOf(tab.tabId, tab.name, texts.length, chunkDigests, digest);
}

/** tabDigestWith, with the pure TypeScript SHA-256 unless another digest is given. */
export function tabDigest(tab: { tabId: number; name: string; rows: readonly (readonly CellValue[])[] }, digest: DigestHex = sha256Hex): string {
  return tabDigestWith(tab, digest);
}

/** The grid hash from its tabs' digests, already sorted by tabId ascending. The empty grid: SHA-256 of "". */
export function gridHashOf(sortedTabDigests: readonly string[], digest: DigestHex): string {
  let text = '';
  for (const d of sortedTabDigests) text += `${d}\n`;
  return digest(text);
}

type HashedTab = { tabId: number; name: string; rows: readonly (readonly CellValue[])[] };

/**
 * The canonical hash of a grid (or of any list of tabs, in any order, rows normalized here).
 * `tabDigestFor` may answer from a cache of tab digests (the add-on stores them as fingerprints too).
 */
export function gridHashWith<T extends HashedTab>(grid: { tabs: readonly T[] }, digest: DigestHex, tabDigestFor: (tab: T) => string = (t) => tabDigestWith(t, digest)): string {
  const sorted = [...grid.tabs].sort((a, b) => a.tabId - b.tabId);
  return gridHashOf(sorted.map(tabDigestFor), digest);
}

/** gridHashWith, with the pure TypeScript SHA-256 unless another digest is given. */
export function gridHash(grid: { tabs: readonly HashedTab[] }, digest: DigestHex = sha256Hex): string {
  return gridHashWith(grid, digest);
}
