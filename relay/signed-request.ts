// Checks a signed request (X-Sync-Timestamp, X-Sync-Signature) against a channel secret, with the
// exact signing text of shared/signing.ts, and refuses a signature seen before (replay).

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SyncError } from '../shared/errors';
import { MAX_SKEW_MS, signingText } from '../shared/signing';
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

/** Whether the request carries any signature header (an unsigned request is treated as a first claim). */
export function isSigned(parts: SignedParts): boolean {
  return parts.timestamp !== undefined || parts.signature !== undefined;
}

/**
 * Throws MISSING_SIGNATURE, CLOCK_SKEW or BAD_SIGNATURE exactly as shared checkSignature decides,
 * using Node's HMAC (bodies can be megabytes) and a constant-time comparison.
 */
export function assertSignature(secret: string, parts: SignedParts, now: number): void {
  const { timestamp, signature } = parts;
  if (!timestamp || !signature || !/^\d{1,16}$/.test(timestamp) || !signature.startsWith('v1=')) throw new SyncError('MISSING_SIGNATURE');
  if (Math.abs(now - Number(timestamp)) > MAX_SKEW_MS) throw new SyncError('CLOCK_SKEW');
  if (!/^v1=[0-9a-fA-F]{64}$/.test(signature)) throw new SyncError('BAD_SIGNATURE');
  const expected = createHmac('sha256', secret).update(signingText(timestamp, parts.method, parts.path, parts.body), 'utf8').digest();
  const given = Buffer.from(signature.slice(3), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new SyncError('BAD_SIGNATURE');
}

/** Verifies the signature, then records it so the same request cannot be accepted twice. */
export async function assertFreshSignature(store: Store, secret: string, parts: SignedParts, now: number): Promise<void> {
  assertSignature(secret, parts, now);
  const fresh = await store.claimSignature(parts.signature!.slice(3).toLowerCase(), REPLAY_WINDOW_MS);
  if (!fresh) throw new SyncError('REPLAYED');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
