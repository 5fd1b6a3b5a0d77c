// What an HTTP answer from the relay means for the add-on: taken, send a snapshot, split the
// change, try again later, or stop and tell a person. Pure: the adapter hands over status and text.

import { ERRORS, type ErrorCode } from '../../shared/protocol/errors';
import type { ChangeAccepted } from '../../shared/protocol/messages';

/** What UrlFetchApp gave: an answer, or an exception (no connection, DNS, timeout, not whitelisted). */
export type HttpResult = { status: number; text: string } | { failure: string };

/** A failure as the sidebar shows it: a catalogue code and the words to act on. */
export interface Failure {
  code: ErrorCode;
  message: string;
}

export type ChangeOutcome =
  | { kind: 'accepted'; accepted: ChangeAccepted }
  /** 409 HASH_MISMATCH: the relay's grid differs from the sheet's; a snapshot heals it. */
  | { kind: 'mismatch' }
  /** 413: the body is over the relay's limit; split it. */
  | { kind: 'too-large'; failure: Failure }
  /** The same signature was seen: sign again and resend at once. */
  | { kind: 'replayed'; failure: Failure }
  /** The relay is down, slow, overloaded or restarting: keep the change and retry with backoff. */
  | { kind: 'retry'; failure: Failure }
  /** A person must act (secret wrong, channel forgotten, a bug): do not retry blindly. */
  | { kind: 'stop'; failure: Failure };

function errorBody(text: string): { code?: string; message?: string; detail?: string } | undefined {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; detail?: unknown } };
    const e = body?.error;
    if (!e || typeof e !== 'object') return undefined;
    return {
      code: typeof e.code === 'string' ? e.code : undefined,
      message: typeof e.message === 'string' ? e.message : undefined,
      detail: typeof e.detail === 'string' ? e.detail : undefined,
    };
  } catch {
    return undefined;
  }
}

const isCode = (code: string | undefined): code is ErrorCode => code !== undefined && Object.prototype.hasOwnProperty.call(ERRORS, code);

/** The relay's own words when it sent a catalogue error, else the catalogue's words for `fallback`. */
export function failureOf(result: HttpResult, fallback: ErrorCode): Failure {
  if ('failure' in result) return { code: 'RELAY_UNREACHABLE', message: `${ERRORS.RELAY_UNREACHABLE.message} (${result.failure})` };
  const body = errorBody(result.text);
  if (body && isCode(body.code)) {
    const message = body.message ?? ERRORS[body.code].message;
    return { code: body.code, message: body.detail ? `${message} ${body.detail}` : message };
  }
  return { code: fallback, message: `${ERRORS[fallback].message} (HTTP ${result.status})` };
}

function isAccepted(value: unknown): value is ChangeAccepted {
  const v = value as ChangeAccepted | null;
  return !!v && typeof v === 'object' && typeof v.epoch === 'string' && Number.isSafeInteger(v.seq) && typeof v.hash === 'string';
}

/** Classifies the answer to `POST /v2/channels/:id/changes`. */
export function classifyChangeAnswer(result: HttpResult): ChangeOutcome {
  if ('failure' in result) return { kind: 'retry', failure: failureOf(result, 'RELAY_UNREACHABLE') };
  const { status } = result;
  if (status === 200 || status === 201) {
    let body: unknown;
    try {
      body = JSON.parse(result.text);
    } catch {
      body = undefined;
    }
    return isAccepted(body) ? { kind: 'accepted', accepted: body } : { kind: 'retry', failure: failureOf(result, 'BAD_ANSWER') };
  }
  const failure = failureOf(result, status >= 500 || status === 429 || status === 408 ? 'RELAY_UNREACHABLE' : 'BAD_ANSWER');
  if (status === 409 && failure.code === 'HASH_MISMATCH') return { kind: 'mismatch' };
  if (status === 413) return { kind: 'too-large', failure };
  if (failure.code === 'REPLAYED') return { kind: 'replayed', failure };
  if (status >= 500 || status === 429 || status === 408 || failure.code === 'BAD_ANSWER') return { kind: 'retry', failure };
  return { kind: 'stop', failure };
}

/** Classifies the answer to a request that is not a change (register, rotate, status). */
export function classifyPlainAnswer<T>(result: HttpResult, isBody: (v: unknown) => v is T): { ok: true; body: T } | { ok: false; retry: boolean; failure: Failure } {
  if ('failure' in result) return { ok: false, retry: true, failure: failureOf(result, 'RELAY_UNREACHABLE') };
  if (result.status >= 200 && result.status < 300) {
    let body: unknown;
    try {
      body = JSON.parse(result.text);
    } catch {
      body = undefined;
    }
    if (isBody(body)) return { ok: true, body };
    return { ok: false, retry: true, failure: failureOf(result, 'BAD_ANSWER') };
  }
  const transient = result.status >= 500 || result.status === 429 || result.status === 408;
  const failure = failureOf(result, transient ? 'RELAY_UNREACHABLE' : 'BAD_ANSWER');
  return { ok: false, retry: transient || failure.code === 'REPLAYED', failure };
}
