// Checks a signed request (X-Sync-Timestamp, X-Sync-Signature) against a channel secret with shared
// checkSignature (the one rule), and refuses a signature seen before (replay). The checks come in
// three steps so the relay can put its rate limit between them: the headers (before the body is read),
// the HMAC (which needs the body), then the replay guard (which stores the signature).

import { isUtf8 } from 'node:buffer';
import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SyncError } from '../shared/protocol/errors';
import { checkSignature, checkSignatureHeaders, type HmacSha256Hex } from '../shared/protocol/signing';
import { REPLAY_WINDOW_MS } from './replay-guard';
import type { Store } from './store';

export interface SignedParts {
  timestamp: string | undefined;
  signature: string | undefined;
  method: string;
  /** The request path as sent (no query string). */
  path: string;
  /** The uncompressed body ("" for GET): its text, or its UTF-8 bytes (a change body, hashed as bytes). */
  body: string | Uint8Array;
}

export function signedParts(req: IncomingMessage, path: string, body: string | Uint8Array): SignedParts {
  return {
    timestamp: header(req, 'x-sync-timestamp'),
    signature: header(req, 'x-sync-signature'),
    method: req.method ?? 'GET',
    path,
    body,
  };
}

/** Whether the request carries any signature header (an unsigned PUT is a first claim or a re-claim). */
export function isSigned(req: IncomingMessage): boolean {
  return header(req, 'x-sync-timestamp') !== undefined || header(req, 'x-sync-signature') !== undefined;
}

/** Node's HMAC-SHA256 (hex): the same arithmetic as shared's portable one, fast on megabyte bodies. */
const nodeHmacSha256Hex: HmacSha256Hex = (key, text) => createHmac('sha256', key).update(text, 'utf8').digest('hex');

/** Throws MISSING_SIGNATURE, CLOCK_SKEW or BAD_SIGNATURE exactly as shared checkSignature decides. */
export function assertSignature(secret: string, parts: SignedParts, now: number): void {
  const { body } = parts;
  // A body given as bytes is hashed as bytes (never turned into a string of megabytes here): the shared
  // rule signs "<signing text without the body>" and the MAC appends the body's bytes to it. Bytes
  // that are not UTF-8 are signed as the text they decode to (U+FFFD for each bad sequence), as ever.
  const bytes = typeof body === 'string' || isUtf8(body) ? body : Buffer.from(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'), 'utf8');
  const failure =
    typeof bytes === 'string'
      ? checkSignature(secret, { ...parts, body: bytes }, now, nodeHmacSha256Hex)
      : checkSignature(secret, { ...parts, body: '' }, now, (key, head) => createHmac('sha256', key).update(head, 'utf8').update(bytes).digest('hex'));
  if (failure) throw new SyncError(failure);
}

/** Throws MISSING_SIGNATURE or CLOCK_SKEW from the headers alone, before any body is read. */
export function assertSignatureHeaders(req: IncomingMessage, now: number): void {
  const failure = checkSignatureHeaders(header(req, 'x-sync-timestamp'), header(req, 'x-sync-signature'), now);
  if (failure) throw new SyncError(failure);
}

/** Records a verified signature so the same request cannot be accepted twice; REPLAYED when it was. */
export async function assertNotReplayed(store: Store, parts: SignedParts): Promise<void> {
  const fresh = await store.claimSignature(parts.signature!.slice(3).toLowerCase(), REPLAY_WINDOW_MS);
  if (!fresh) throw new SyncError('REPLAYED');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
