// One GET of a channel's tokens from its relay (docs/protocol.md "Tokens"), with the pairing code's
// subscribe token and the ETag of the files already held, and what came of it in words a person can
// act on: the tokens, "unchanged", a refusal with the relay's code, or why the relay could not be asked.
// A refusal the relay says to retry (429, 503) is retried after its Retry-After, a few times.

import { ERRORS, type ErrorCode } from '../shared/protocol/errors';
import type { PairingLink } from '../shared/protocol/pairing-code';
import { parseJson, parseTokensAnswer, paths, type TokensAnswer } from '../shared/protocol/messages';
import type { TokenExportOptions } from '../shared/tokens/export-tokens';

export type TokensFetch =
  | { kind: 'tokens'; answer: TokensAnswer; etag: string | undefined }
  | { kind: 'unchanged'; etag: string }
  /** The relay refused (its code and message), or could not be reached, or answered something else. */
  | { kind: 'failed'; message: string };

export interface FetchOptions {
  /** How long one request may take, in ms. */
  timeoutMs?: number;
  /** Tries for an answer the relay says to retry (429, 503), each after its Retry-After. */
  attempts?: number;
  /** Longest Retry-After honoured, in seconds (a longer one ends the tries). */
  maxRetryAfterS?: number;
  /** Waits (tests may pass their own). */
  sleep?: (ms: number) => Promise<void>;
}

/** The endpoint's URL for these options (format and layout as checked, so the answer says what it holds). */
export function tokensUrl(link: PairingLink, options: TokenExportOptions): string {
  const query = new URLSearchParams({ format: options.format });
  if (options.layout !== undefined) query.set('layout', options.layout);
  if (options.mode !== undefined) query.set('mode', options.mode);
  return `${link.relayUrl}${paths.tokens(link.channelId)}?${query.toString()}`;
}

export async function fetchTokens(link: PairingLink, options: TokenExportOptions, etag: string | undefined, fetchOptions: FetchOptions = {}): Promise<TokensFetch> {
  const url = tokensUrl(link, options);
  const attempts = fetchOptions.attempts ?? 3;
  const sleep = fetchOptions.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const headers: Record<string, string> = { authorization: `Bearer ${link.token}`, accept: 'application/json', 'user-agent': 'sheets-figma-sync pull' };
  if (etag !== undefined) headers['if-none-match'] = etag;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(fetchOptions.timeoutMs ?? 60_000) });
      text = await response.text();
    } catch (err) {
      return { kind: 'failed', message: `the relay at ${link.relayUrl} could not be reached (${networkCause(err)}); check the address in the pairing code and that the relay is running` };
    }
    if (response.status === 304) return { kind: 'unchanged', etag: response.headers.get('etag') ?? etag ?? '' };
    const json = parseJson(text);
    if (response.status === 200) {
      const parsed = json.ok ? parseTokensAnswer(json.value) : { ok: false as const, message: 'it is not JSON' };
      if (!parsed.ok) return { kind: 'failed', message: `the answer from ${link.relayUrl} is not a relay's tokens (${parsed.message}); is the pairing code's address a relay of this version?` };
      if (parsed.value.channelId !== link.channelId) return { kind: 'failed', message: `the relay answered with the tokens of another channel (${parsed.value.channelId})` };
      return { kind: 'tokens', answer: parsed.value, etag: response.headers.get('etag') ?? undefined };
    }
    const refusal = json.ok ? errorOf(json.value) : undefined;
    if (!refusal) return { kind: 'failed', message: `the relay at ${link.relayUrl} answered ${response.status} with something that is not a relay's answer (a proxy's error page?)` };
    const retryAfter = Number(response.headers.get('retry-after') ?? '1');
    const retry = ERRORS[refusal.code].retry && (response.status === 429 || response.status === 503);
    if (retry && attempt < attempts && Number.isFinite(retryAfter) && retryAfter <= (fetchOptions.maxRetryAfterS ?? 30)) {
      await sleep(Math.max(0, retryAfter) * 1000);
      continue;
    }
    return { kind: 'failed', message: refusalMessage(refusal, response.status) };
  }
}

function errorOf(body: unknown): { code: ErrorCode; detail: string | undefined } | undefined {
  const error = (body as { error?: { code?: unknown; detail?: unknown } } | null)?.error;
  if (!error || typeof error.code !== 'string' || !(error.code in ERRORS)) return undefined;
  return { code: error.code as ErrorCode, detail: typeof error.detail === 'string' ? error.detail : undefined };
}

/** What the relay said, led by what it means for whoever runs `pull`. */
function refusalMessage(refusal: { code: ErrorCode; detail: string | undefined }, status: number): string {
  const lead: Partial<Record<ErrorCode, string>> = {
    BAD_TOKEN: 'the relay does not accept this pairing code',
    TOKEN_REVOKED: 'this pairing code was revoked',
    UNKNOWN_CHANNEL: 'the relay does not hold this channel',
    UNKNOWN_MODE: 'no tab has this mode',
    RATE_LIMITED: 'the relay is refusing polls this fast',
  };
  const said = `${refusal.code}: ${ERRORS[refusal.code].message}${refusal.detail ? ` (${refusal.detail})` : ''}`;
  return `${lead[refusal.code] ?? `the relay refused the request (${status})`}: ${said}`;
}

/** The low-level reason of a failed fetch: ECONNREFUSED, ENOTFOUND, a timeout. */
function networkCause(err: unknown): string {
  if ((err as Error)?.name === 'TimeoutError') return 'no answer in time';
  const cause = (err as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}
