// Requests to the relay: signed (X-Sync-Timestamp, X-Sync-Signature over the body) or, for the
// first claim of a channel, unsigned with an optional registration key. Bodies go as plain JSON:
// nothing documents that UrlFetchApp passes a hand-set Content-Encoding header on, and the relay's
// body limit counts the uncompressed text anyway, so gzip only ever saved bandwidth.

import { paths } from '../../shared/protocol';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signRequestWith } from '../../shared/signing';
import type { HttpRequest } from '../core/ports';
import type { HttpResult } from '../core/relay-answer';
import type { Session } from './session';

type Method = HttpRequest['method'];

/** Sends a request signed with the channel's secret. The path signed is the protocol path. */
export function sendSigned(session: Session, method: Method, path: string, body?: string): HttpResult {
  const { channel, secret } = session.state;
  if (!channel || !secret) return { failure: 'not connected' };
  return sendSignedWith(session, channel.relayUrl, secret, method, path, body);
}

export function sendSignedWith(session: Session, relayUrl: string, secret: string, method: Method, path: string, body?: string): HttpResult {
  const timestamp = session.timestamp();
  const headers: Record<string, string> = {
    [TIMESTAMP_HEADER]: String(timestamp),
    // The rule is shared/signing.ts's; the HMAC itself is Apps Script's native one.
    [SIGNATURE_HEADER]: signRequestWith(session.ports.env.hmacSha256Hex, secret, timestamp, method, path, body ?? ''),
  };
  return session.ports.http.fetch(request(method, relayUrl + path, headers, body));
}

/** `PUT /v2/channels/:id` unsigned: the first claim of a channel id. */
export function claimChannel(session: Session, relayUrl: string, channelId: string, secret: string, registrationKey?: string): HttpResult {
  const headers: Record<string, string> = {};
  if (registrationKey) headers.Authorization = `Bearer ${registrationKey}`;
  return session.ports.http.fetch(request('put', relayUrl + paths.channel(channelId), headers, JSON.stringify({ secret })));
}

function request(method: Method, url: string, headers: Record<string, string>, body?: string): HttpRequest {
  const req: HttpRequest = { method, url, headers };
  if (body !== undefined) req.body = body;
  return req;
}
