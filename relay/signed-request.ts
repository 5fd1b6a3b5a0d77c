// Checks a signed request (X-Sync-Timestamp, X-Sync-Signature) against a channel secret with shared
// checkSignature (the one rule), and refuses a signature seen before (replay). The checks come in
// three steps so the relay can put its rate limit between them: the headers (before the body is read),
// the HMAC (which needs the body), then the replay guard (which stores the signature).

import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SyncError } from '../shared/errors';
import { checkSignature, checkSignatureHeaders, type HmacSha256Hex } from '../shared/signing';
import { REPLAY_WINDOW_MS } from './replay-guard';
import type { Store } from './store';

export interface SignedParts {
  timestamp: string | undefined;
  signature: string | undefined;
  method: string;
  /** The request path as sent (no query string). */
  path: string;
  /** The uncompressed body text ("" for GET). */
  body: string;
}

export function signedParts(req: IncomingMessage, path: string, body: string): SignedParts {
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
  const failure = checkSignature(secret, parts, now, nodeHmacSha256Hex);
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
