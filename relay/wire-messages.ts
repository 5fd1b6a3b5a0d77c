// The relay's outgoing socket messages, built once per change (or once per head for a snapshot) and
// sent to every subscriber as is. A snapshot is assembled from the stored chunk texts: their rows are
// the snapshot's rows, so it costs one copy of the bytes, never a re-serialisation of the grid.

import { PROTOCOL_VERSION } from '../shared/protocol/limits';
import type { Change, PatchMessage, WelcomeMessage } from '../shared/protocol/messages';

/** What a snapshot message says besides its tabs. */
export interface SnapshotHeader {
  epoch: string;
  seq: number;
  hash: string;
  title: string | undefined;
  at: number | undefined;
}

function snapshotParts(head: SnapshotHeader): [string, string] {
  const at = head.at === undefined ? '' : `,"at":${head.at}`;
  const title = head.title === undefined ? '' : `,"title":${JSON.stringify(head.title)}`;
  return [`{"type":"snapshot","epoch":${JSON.stringify(head.epoch)},"seq":${head.seq},"tabs":`, `,"hash":"${head.hash}"${at}${title}}`];
}

/** A snapshot message with its `tabs` given as JSON text. */
export function snapshotMessageText(head: SnapshotHeader & { tabsJson: string }): string {
  const [before, after] = snapshotParts(head);
  return `${before}${head.tabsJson}${after}`;
}

/** One tab of a snapshot built from its chunk texts (UTF-8, each row followed by "\n"). */
export interface SnapshotTabBytes {
  tabId: number;
  name: string;
  chunks: readonly Uint8Array[];
}

const NEWLINE = 0x0a;
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;

/**
 * A snapshot message as bytes, from each tab's chunk texts: the rows are copied once and the newline
 * after each row becomes the comma (or, after the last row, the closing bracket) of the JSON array.
 */
export function snapshotMessageBytes(head: SnapshotHeader, tabs: readonly SnapshotTabBytes[]): Buffer {
  const [before, after] = snapshotParts(head).map((s) => Buffer.from(s)) as [Buffer, Buffer];
  const heads = tabs.map((t, i) => Buffer.from(`${i === 0 ? '' : ','}{"tabId":${t.tabId},"name":${JSON.stringify(t.name)},"values":[`));
  let size = before.length + 2 + after.length;
  tabs.forEach((t, i) => {
    let rows = 0;
    for (const c of t.chunks) rows += c.byteLength;
    // Rows end with "\n", turned into "," or "]"; no rows: "]". Then "}".
    size += heads[i]!.length + (rows === 0 ? 1 : rows) + 1;
  });
  // Never from the shared pool: the buffer may move to another thread.
  const out = Buffer.allocUnsafeSlow(size);
  let at = before.copy(out, 0);
  out[at++] = 0x5b; // [
  tabs.forEach((t, i) => {
    at += heads[i]!.copy(out, at);
    const start = at;
    for (const c of t.chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    if (at === start) out[at++] = CLOSE_BRACKET;
    else {
      // A row text never holds a raw newline (JSON escapes it), so each one ends a row.
      for (let n = out.indexOf(NEWLINE, start); n >= 0 && n < at; n = out.indexOf(NEWLINE, n + 1)) out[n] = COMMA;
      out[at - 1] = CLOSE_BRACKET;
    }
    out[at++] = 0x7d; // }
  });
  out[at++] = CLOSE_BRACKET;
  at += after.copy(out, at);
  return out;
}

/**
 * The history entry of a snapshot change: it names the change, but the snapshot itself is built from
 * the chunks when a client needs one (never a second stored copy of the grid). Never sent.
 */
export function snapshotStubText(epoch: string, seq: number, hash: string): string {
  return `{"type":"snapshot","epoch":${JSON.stringify(epoch)},"seq":${seq},"hash":"${hash}"}`;
}

/** A patch message carrying a change's tabs as the sheet sent them. */
export function patchMessageText(change: Pick<Change, 'id' | 'tabs' | 'hash'>, epoch: string, seq: number, at: number): string {
  const message: PatchMessage = { type: 'patch', epoch, seq, id: change.id, tabs: change.tabs, hash: change.hash, at };
  return JSON.stringify(message);
}

export function welcomeMessageText(channelId: string, epoch: string, seq: number, title: string | undefined, recovery: WelcomeMessage['recovery']): string {
  const message: WelcomeMessage = { type: 'welcome', v: PROTOCOL_VERSION, channelId, epoch, seq, recovery, ...(title === undefined ? {} : { title }) };
  return JSON.stringify(message);
}

export const PONG_TEXT = '{"type":"pong"}';

/** The kind of a stored wire message, read from its first field (every message is built with `type` first). */
export function messageKind(message: string): 'patch' | 'snapshot' {
  return message.startsWith('{"type":"snapshot"') ? 'snapshot' : 'patch';
}

/** A Buffer over the same bytes (no copy), whatever Uint8Array a worker or a store handed over. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The text's UTF-8 bytes in an ArrayBuffer of their own (no pool), so they can cross threads alone. */
export function utf8Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(Buffer.byteLength(text, 'utf8'));
  Buffer.from(bytes.buffer).write(text, 0, 'utf8');
  return bytes;
}
