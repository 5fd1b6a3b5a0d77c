// Reads a request body with a size cap, before and after gunzip, and checks its media type, so an
// oversized or compressed-bomb body is refused without being held in memory.

import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';
import { SyncError } from '../shared/protocol/errors';
import type { BodyLease } from './body-budget';

/** Refuses anything but JSON (charset parameters aside) and an encoding other than gzip. */
export function assertJsonRequest(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new SyncError('UNSUPPORTED_MEDIA_TYPE', `Content-Type was "${type || 'missing'}"`);
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') throw new SyncError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding "${encoding}" is not accepted`);
}

/** The body as UTF-8 text, gunzipped when Content-Encoding says gzip; at most maxBytes either way. */
export async function readBodyText(req: IncomingMessage, maxBytes: number, lease?: BodyLease): Promise<string> {
  return (await readBody(req, maxBytes, lease)).toString('utf8');
}

/**
 * The body's bytes, gunzipped when Content-Encoding says gzip; at most maxBytes either way. A large
 * change body stays bytes on this thread: an ingest worker decodes and parses it.
 */
export async function readBody(req: IncomingMessage, maxBytes: number, lease?: BodyLease): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) throw new SyncError('BODY_TOO_LARGE', `Content-Length ${declared} is over the limit of ${maxBytes} bytes`);
  const raw = await readRaw(req, maxBytes, lease);
  const gzipped = (req.headers['content-encoding'] ?? '').trim().toLowerCase() === 'gzip';
  const bytes = gzipped ? await gunzipCapped(raw, maxBytes) : raw;
  if (gzipped && lease && !lease.take(bytes.length)) throw overloaded();
  // The whole request is in: the relay works on it now, so the connection's idle timer rests until the answer.
  req.socket.setTimeout(0);
  return bytes;
}

/**
 * Reads and throws away the rest of a refused request's body, up to `maxBytes` more, before its answer
 * is sent. A client that is still sending when the relay answers and closes gets a TCP reset instead of
 * the answer (the unread bytes make the kernel reset the connection), and a proxy in between (Google's
 * UrlFetchApp among them) then reports a network error, not BODY_TOO_LARGE. Nothing is kept; the
 * request timeout still ends a body that never comes; past `maxBytes` the answer goes out anyway.
 */
export function discardRest(req: IncomingMessage, maxBytes: number): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let size = 0;
    const done = (): void => {
      req.off('data', onData);
      req.off('end', done);
      req.off('close', done);
      req.off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) done();
    };
    req.on('data', onData);
    req.on('end', done);
    req.on('close', done);
    req.on('error', done);
    req.resume();
  });
}

function overloaded(): SyncError {
  return new SyncError('OVERLOADED', 'too many request bytes are in flight on this relay (MAX_INFLIGHT_BODY_BYTES)');
}

function readRaw(req: IncomingMessage, maxBytes: number, lease: BodyLease | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      const over = size > maxBytes ? new SyncError('BODY_TOO_LARGE', `the body is over the limit of ${maxBytes} bytes`) : lease && !lease.take(chunk.length) ? overloaded() : undefined;
      if (over) {
        cleanup();
        // Keep draining (without keeping) so the client can read the answer instead of a reset.
        req.resume();
        reject(over);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function gunzipCapped(raw: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(raw, { maxOutputLength: maxBytes }, (err, out) => {
      if (!err) return resolve(out);
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        reject(new SyncError('BODY_TOO_LARGE', `the body is over the limit of ${maxBytes} bytes once uncompressed`));
      } else {
        reject(new SyncError('BAD_JSON', 'the body is not valid gzip although Content-Encoding says gzip'));
      }
    });
  });
}
