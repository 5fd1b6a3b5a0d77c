// The one catalogue of error codes: each has a message a person can act on, an HTTP status
// (for requests to the relay) and, where it can end a socket, a WebSocket close code.

export interface ErrorSpec {
  /** HTTP status the relay answers with. */
  readonly status: number;
  /** WebSocket close code (4400-4499) when the error ends a socket. */
  readonly closeCode?: number;
  /** What went wrong and what to do, for a person. */
  readonly message: string;
  /** Whether a client should retry (after backoff) or stop and ask a person. */
  readonly retry: boolean;
}

export const ERRORS = {
  BAD_JSON: { status: 400, message: 'The body is not valid JSON. Send UTF-8 JSON (optionally gzip with Content-Encoding: gzip).', retry: false },
  BAD_REQUEST: { status: 400, message: 'The request does not match the protocol; see the field named in the error.', retry: false },
  BAD_CHANGE: { status: 422, message: 'The change does not match the protocol; see the field named in the error.', retry: false },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send Content-Type: application/json (Content-Encoding: gzip is accepted).', retry: false },
  BAD_SIGNATURE: { status: 401, message: 'The X-Sync-Signature does not match the channel secret. Check the secret, or reconnect the sheet from the add-on.', retry: false },
  MISSING_SIGNATURE: { status: 401, message: 'Signed requests need X-Sync-Timestamp and X-Sync-Signature headers (v1=<hex>).', retry: false },
  CLOCK_SKEW: { status: 401, message: "X-Sync-Timestamp is more than 5 minutes from the relay's clock. Check the sender's clock.", retry: false },
  REPLAYED: { status: 401, message: 'This signed request was already received; sign every request anew.', retry: false },
  REGISTRATION_KEY_REQUIRED: { status: 401, message: 'This relay only registers channels for requests bearing its registration key (Authorization: Bearer <REGISTRATION_KEY>). Ask whoever runs the relay for it.', retry: false },
  CHANNEL_TAKEN: { status: 409, message: 'This channel id is already registered; rotating its secret needs a request signed with the current secret.', retry: false },
  WEAK_SECRET: { status: 422, message: 'The secret must be base64url text of at least 32 random bytes (43 characters or more).', retry: false },
  UNKNOWN_CHANNEL: { status: 404, closeCode: 4404, message: 'No channel with this id is registered on the relay. Connect the sheet again from the add-on.', retry: false },
  HASH_MISMATCH: { status: 409, message: "After applying this patch the relay's grid hashes differently from the sheet; send a snapshot.", retry: true },
  BODY_TOO_LARGE: { status: 413, message: "The body is larger than the relay's limit; split the change.", retry: false },
  RATE_LIMITED: { status: 429, closeCode: 4429, message: 'Too many requests or messages for this channel; slow down and retry after a moment.', retry: true },
  NOT_FOUND: { status: 404, message: 'No such endpoint. See docs/protocol.md for the endpoints.', retry: false },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This endpoint does not take that method. See docs/protocol.md.', retry: false },
  BAD_ORIGIN: { status: 403, message: 'This Origin is not allowed to open sockets on this relay (see ALLOWED_ORIGINS).', retry: false },
  SHUTTING_DOWN: { status: 503, closeCode: 1012, message: 'The relay is restarting; reconnect in a moment.', retry: true },
  STORE_UNAVAILABLE: { status: 503, message: "The relay's store is unreachable; retry later.", retry: true },
  BAD_CLAIM: { status: 403, message: 'The claim does not prove this channel id (an id is derived from its claim, see docs/protocol.md). Connect the sheet again from the add-on.', retry: false },
  RELAY_FULL: { status: 503, message: 'The relay holds as many channels as its operator allows; retry later, or ask whoever runs it to raise MAX_CHANNELS.', retry: true },
  OVERLOADED: { status: 503, message: 'The relay is at its limit of request bytes in flight, or of recent requests it remembers; retry in a moment.', retry: true },
  TOO_MANY_CONNECTIONS: { status: 429, message: 'Too many connections from this address; close some, or retry in a moment.', retry: true },
  RELAY_BUSY: { status: 503, message: 'The relay is busy with other changes (its queue is full); retry after the Retry-After seconds.', retry: true },
  INTERNAL: { status: 500, closeCode: 1011, message: 'The relay failed unexpectedly; retry later. The relay log has the request id.', retry: true },
  // Offers (a Figma file's variables sent to the sheet): refused with an answer on the socket, which stays open.
  BAD_OFFER: { status: 422, message: 'The offer does not match the protocol; see the field named in the error.', retry: false },
  OFFER_TOO_LARGE: { status: 413, message: 'The offer is larger than this relay keeps; send fewer collections at a time.', retry: false },
  OFFER_STORE_FULL: { status: 503, message: 'The relay holds as many offers as it can; try again in a few minutes.', retry: true },
  OFFER_NOT_FOUND: { status: 404, message: 'This channel has no offer with this id (it expired, or newer offers replaced it); send it again from the Figma plugin.', retry: false },
  // Tokens (GET /v2/channels/:id/tokens): what the query asked for is not in this sheet's tokens.
  UNKNOWN_MODE: { status: 404, message: 'No tab of this sheet has a mode of this name; the detail lists the modes there are.', retry: false },
  UNKNOWN_TOKEN_FILE: { status: 404, message: 'The tokens in this format have no file at this path; the detail lists the files there are.', retry: false },
  TOKENS_TOO_LARGE: { status: 413, message: "The sheet's tokens in this format are larger than this relay serves; ask for one mode, or the css or json format, or ask whoever runs the relay to raise TOKENS_MAX_BYTES.", retry: false },
  // Socket-only errors (status is the closest HTTP meaning, used in logs and metrics).
  BAD_MESSAGE: { status: 400, closeCode: 4400, message: 'The socket message does not match the protocol.', retry: false },
  BAD_TOKEN: { status: 401, closeCode: 4401, message: 'The pairing code is not valid for this channel. Paste the current pairing code from the sheet.', retry: false },
  TOKEN_REVOKED: { status: 401, closeCode: 4403, message: "The sheet's key was rotated, so this pairing code no longer works. Paste the new pairing code from the sheet's add-on.", retry: false },
  HELLO_TIMEOUT: { status: 408, closeCode: 4408, message: 'The first message must be hello, sent within a few seconds of connecting.', retry: true },
  MESSAGE_TOO_BIG: { status: 413, closeCode: 4413, message: 'The socket message is larger than the limit.', retry: false },
  UNSUPPORTED_VERSION: { status: 426, closeCode: 4426, message: 'The client and relay speak different protocol versions; update the older one.', retry: false },
  TOO_MANY_SOCKETS: { status: 429, closeCode: 4430, message: 'Too many sockets are open on this channel; close some plugin windows.', retry: true },
  SLOW_CONSUMER: { status: 429, closeCode: 4431, message: 'The client read too slowly and fell behind; reconnect with since to catch up.', retry: true },
  // Add-on-only errors: shown in the sheet's sidebar, never sent by the relay (status is the closest HTTP meaning).
  RELAY_URL_INVALID: { status: 400, message: 'The relay address must be a public https:// URL, such as https://relay.example.com.', retry: false },
  RELAY_UNREACHABLE: { status: 503, message: 'The relay could not be reached (no answer, a network error or a timeout). The change is kept in the sheet and sent when the relay answers.', retry: true },
  BAD_ANSWER: { status: 502, message: "The relay's answer does not follow the protocol (is the address a relay, or a proxy's error page?). The change is kept and sent again later.", retry: true },
  NOT_CONNECTED: { status: 409, message: 'This sheet is not connected to a relay. Open the add-on\'s sidebar and connect it.', retry: false },
  REAUTHORIZATION_REQUIRED: { status: 401, message: "The add-on needs your approval again (it was updated or its access was removed), so edits are not being sent. Open the add-on's sidebar and approve it.", retry: false },
  TRIGGER_LIMIT: { status: 429, message: "Apps Script allows an add-on one trigger of each kind per person per document, and creating one failed. Disconnect and connect again; if it keeps failing, remove this add-on's triggers at https://script.google.com/home/triggers.", retry: false },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** The JSON body of every error answer from the relay. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; detail?: string };
}

/** An error carrying a catalogue code, thrown by assertion functions and turned into answers at the edge. */
export class SyncError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  constructor(code: ErrorCode, detail?: string) {
    super(detail ? `${ERRORS[code].message} ${detail}` : ERRORS[code].message);
    this.name = 'SyncError';
    this.code = code;
    this.detail = detail;
  }
  get status(): number {
    return ERRORS[this.code].status;
  }
  toBody(): ErrorBody {
    return { error: { code: this.code, message: ERRORS[this.code].message, ...(this.detail ? { detail: this.detail } : {}) } };
  }
}

/** Looks up the catalogue entry for a socket close code, if it is one of ours. */
export function errorForCloseCode(closeCode: number): ErrorCode | undefined {
  for (const [code, spec] of Object.entries(ERRORS) as [ErrorCode, ErrorSpec][]) {
    if (spec.closeCode === closeCode) return code;
  }
  return undefined;
}

/**
 * Whether a client should reconnect after a socket closed with this code. Normal closes and
 * restarts (1000-1015) retry; our 44xx codes say per code; unknown application codes stop.
 */
export function shouldReconnect(closeCode: number): boolean {
  const code = errorForCloseCode(closeCode);
  if (code) return ERRORS[code].retry;
  return closeCode < 4000;
}
