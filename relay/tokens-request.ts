// What a `GET /v2/channels/:id/tokens` asks for: its query read once and checked (format, layout, mode,
// file; anything else is refused naming the parameter), and the ETag rule: an answer's ETag derives
// from the grid's canonical hash and the query alone, so a poll of an unchanged channel is answered
// 304 from the channel record, without reading or mapping the grid.

import { createHash } from 'node:crypto';
import { SyncError } from '../shared/protocol/errors';
import { TOKENS_QUERY_PARAMETERS } from '../shared/protocol/messages';
import { checkTokenOptions, TOKEN_EXPORT_VERSION, TokenOptionError, type DtcgLayout, type TokenExportOptions, type TokenFormat } from '../shared/tokens/export-tokens';

export interface TokensQuery {
  /** Checked, with defaults filled in (a DTCG layout). */
  options: TokenExportOptions;
  /** One file's path, to answer with that file alone. */
  file: string | undefined;
  /** What the export depends on (format, layout, mode): the key of the export cache. */
  exportKey: string;
}

/** Longest mode name or file path a query may carry (a sheet's header cell is longer, but no mode name is). */
const MAX_PARAMETER_CHARS = 1000;

/** Reads the query of a request URL; throws BAD_REQUEST naming the parameter at fault. */
export function parseTokensQuery(url: string): TokensQuery {
  const at = url.indexOf('?');
  const params = new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
  const given = new Map<string, string>();
  for (const [name, value] of params) {
    if (!(TOKENS_QUERY_PARAMETERS as readonly string[]).includes(name)) {
      throw new SyncError('BAD_REQUEST', `${JSON.stringify(name.slice(0, 40))} is not a parameter of /tokens; use ${TOKENS_QUERY_PARAMETERS.join(', ')}`);
    }
    if (given.has(name)) throw new SyncError('BAD_REQUEST', `${name} is given twice`);
    if (value === '') throw new SyncError('BAD_REQUEST', `${name} is empty`);
    if (value.length > MAX_PARAMETER_CHARS) throw new SyncError('BAD_REQUEST', `${name} must be at most ${MAX_PARAMETER_CHARS} characters`);
    given.set(name, value);
  }
  let options: TokenExportOptions;
  try {
    options = checkTokenOptions({ format: (given.get('format') ?? 'dtcg') as TokenFormat, layout: given.get('layout') as DtcgLayout | undefined, mode: given.get('mode') });
  } catch (err) {
    if (err instanceof TokenOptionError) throw new SyncError('BAD_REQUEST', err.message);
    throw err;
  }
  return { options, file: given.get('file'), exportKey: [options.format, options.layout ?? '', options.mode ?? ''].join('\u0000') };
}

/**
 * The ETag of an answer: the grid's canonical hash, the export's version and the query. Weak for the
 * JSON bundle (it also names the position, which moves without the tokens changing); strong for one
 * file, whose bytes the hash and the query decide.
 */
export function tokensEtag(hash: string, query: TokensQuery): string {
  const text = [TOKEN_EXPORT_VERSION, hash, query.exportKey, query.file ?? ''].join('\u0000');
  const tag = `"${createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 27)}"`;
  return query.file === undefined ? `W/${tag}` : tag;
}

/** Whether an If-None-Match header names this ETag (weak comparison, RFC 9110 §13.1.2), or is `*`. */
export function noneMatch(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  for (const m of text.matchAll(/(?:W\/)?("[^"]*")/g)) if (m[1] === opaque) return true;
  return false;
}
