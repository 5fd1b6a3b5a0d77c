// Requests to the relay: signed (X-Sync-Timestamp, X-Sync-Signature over the body) or, to claim a
// channel, unsigned with its claim and the registration key built into the add-on. Bodies go as plain
// JSON: nothing documents that UrlFetchApp passes a hand-set Content-Encoding header on, and the
// relay's body limit counts the uncompressed text anyway, so gzip only ever saved bandwidth. A change
// the relay answers UNKNOWN_CHANNEL (it forgot an idle channel, or lost its store) re-claims the
// channel with the same id, secret and claim, so every pairing code keeps working, and is resent.

import { paths } from '../../shared/protocol/messages';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signRequestWith } from '../../shared/protocol/signing';
import { builtRegistrationKey } from '../core/build-settings';
import type { HttpRequest } from '../core/ports';
import { classifyPlainAnswer, failureOf, type HttpResult } from '../core/relay-answer';
import { isRegistered } from './pending-secret';
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
    // The rule is shared/protocol/signing.ts's; the HMAC itself is Apps Script's native one.
    [SIGNATURE_HEADER]: signRequestWith(session.ports.env.hmacSha256Hex, secret, timestamp, method, path, body ?? ''),
  };
  return session.ports.http.fetch(request(method, relayUrl + path, headers, body));
}

/**
 * `PUT /v2/channels/:id` unsigned, bringing the secret and the claim the id is derived from: the first
 * claim of a channel id, or a re-claim. The key is the one given, else the one built into the add-on.
 */
export function claimChannel(session: Session, relayUrl: string, channelId: string, secret: string, claim: string, registrationKey?: string): HttpResult {
  const headers: Record<string, string> = {};
  const key = registrationKey ?? builtRegistrationKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  return session.ports.http.fetch(request('put', relayUrl + paths.channel(channelId), headers, JSON.stringify({ secret, claim })));
}

/**
 * `POST /v2/channels/:id/changes`, signed. When the relay no longer knows the channel, it is claimed
 * again (same id, secret and claim) and the change is sent once more: on the relay's fresh, empty
 * channel a patch then answers 409 and the caller sends a snapshot, as after any mismatch. A sheet
 * paired before claims existed cannot prove its id: the 404 stands, and Connect makes a new channel.
 * A re-claim the relay refuses is what the caller sees (a 503 or 429 is retried later; a missing key stops).
 */
export function sendChange(session: Session, json: string): HttpResult {
  const { channel, secret, claim } = session.state;
  if (!channel || !secret) return { failure: 'not connected' };
  const path = paths.changes(channel.channelId);
  const result = sendSigned(session, 'post', path, json);
  if (!claim || 'failure' in result || result.status !== 404 || failureOf(result, 'BAD_ANSWER').code !== 'UNKNOWN_CHANNEL') return result;
  const reclaimed = claimChannel(session, channel.relayUrl, channel.channelId, secret, claim);
  if (!classifyPlainAnswer(reclaimed, isRegistered).ok) return reclaimed;
  return sendSigned(session, 'post', path, json);
}

function request(method: Method, url: string, headers: Record<string, string>, body?: string): HttpRequest {
  const req: HttpRequest = { method, url, headers };
  if (body !== undefined) req.body = body;
  return req;
}
