// Test-side client of the relay's HTTP API: a channel with its secret, signed requests built with
// the shared signing code, and a model sheet that produces patches and snapshots with correct hashes.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { applyChange, emptyGrid, gridToTabs, type Grid, type Rows } from '../../../shared/protocol/grid';
import { channelIdForClaim } from '../../../shared/protocol/channel-claim';
import { GridDigest } from '../../../shared/protocol/grid-digest';
import { paths, type Change, type ChangeTab } from '../../../shared/protocol/messages';
import { signRequestWith, subscribeToken, type HmacSha256Hex } from '../../../shared/protocol/signing';

export interface TestChannel {
  channelId: string;
  secret: string;
  token: string;
  /** The claim the id is derived from (shared/protocol/channel-claim.ts), brought by every unsigned PUT. */
  claim: string;
}

export function newChannel(): TestChannel {
  const claim = randomBytes(32).toString('base64url');
  const channelId = channelIdForClaim(claim);
  const secret = randomBytes(32).toString('base64url');
  return { channelId, secret, token: subscribeToken(secret, channelId), claim };
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

async function answer<T>(response: Response): Promise<Answer<T>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep text (e.g. /metrics)
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

export interface SignOptions {
  /** Sign with this secret instead of the channel's (e.g. a wrong one). */
  secret?: string;
  /** Unix ms to put in X-Sync-Timestamp (default: now). */
  timestamp?: number;
  /** Send these headers instead of computed ones (undefined removes a header). */
  headers?: Record<string, string | undefined>;
}

/**
 * Node's native HMAC: the same arithmetic as shared's (test/shared/protocol/signing.test.ts proves it), but it
 * does not hold this process's event loop for a 5 MB body, so a hostile test's attacker signing large
 * bodies does not disturb the bystander measuring its latency in the same process.
 */
const nodeHmac: HmacSha256Hex = (key, text) => createHmac('sha256', key).update(text, 'utf8').digest('hex');

export function signedHeaders(secret: string, method: string, path: string, body: string, timestamp = Date.now()): Record<string, string> {
  return { 'x-sync-timestamp': String(timestamp), 'x-sync-signature': signRequestWith(nodeHmac, secret, timestamp, method, path, body) };
}

function mergeHeaders(base: Record<string, string>, extra: Record<string, string | undefined> | undefined): Record<string, string> {
  const out = { ...base };
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * PUT /v2/channels/:id. Unsigned unless `signWith` is given (rotation). An unsigned PUT brings the
 * channel's claim (`claim: null` leaves it out, a string sends that one instead); a rotation brings none.
 */
export async function register(
  relayUrl: string,
  channel: Pick<TestChannel, 'channelId'> & { claim?: string },
  secret: string,
  options: { signWith?: string; registrationKey?: string; timestamp?: number; headers?: Record<string, string | undefined>; rawBody?: string; claim?: string | null } = {},
): Promise<Answer> {
  const path = paths.channel(channel.channelId);
  const claim = options.claim === null ? undefined : (options.claim ?? (options.signWith ? undefined : channel.claim));
  const body = options.rawBody ?? JSON.stringify(claim === undefined ? { secret } : { secret, claim });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.signWith) Object.assign(headers, signedHeaders(options.signWith, 'PUT', path, body, options.timestamp));
  if (options.registrationKey) headers.authorization = `Bearer ${options.registrationKey}`;
  return answer(await fetch(relayUrl + path, { method: 'PUT', headers: mergeHeaders(headers, options.headers), body }));
}

/** POST /v2/channels/:id/changes, signed over the uncompressed text; gzip on request. */
export async function postChange(
  relayUrl: string,
  channel: TestChannel,
  change: Change | string,
  options: SignOptions & { gzip?: boolean } = {},
): Promise<Answer> {
  const path = paths.changes(channel.channelId);
  const text = typeof change === 'string' ? change : JSON.stringify(change);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...signedHeaders(options.secret ?? channel.secret, 'POST', path, text, options.timestamp),
  };
  if (options.gzip) headers['content-encoding'] = 'gzip';
  const body = options.gzip ? gzipSync(Buffer.from(text)) : text;
  return answer(await fetch(relayUrl + path, { method: 'POST', headers: mergeHeaders(headers, options.headers), body }));
}

/** GET /v2/channels/:id/status, signed over the empty body. */
export async function getStatus(relayUrl: string, channel: TestChannel, options: SignOptions = {}): Promise<Answer> {
  const path = paths.status(channel.channelId);
  const headers = signedHeaders(options.secret ?? channel.secret, 'GET', path, '', options.timestamp);
  return answer(await fetch(relayUrl + path, { headers: mergeHeaders(headers, options.headers) }));
}

/** An answer with its raw text too (a tokens file is answered as it is, maybe not JSON). */
export interface TextAnswer<T = unknown> extends Answer<T> {
  text: string;
}

/**
 * GET /v2/channels/:id/tokens with the channel's subscribe token as a bearer token (`token` another
 * one, `null` none) and the query given; extra headers such as If-None-Match.
 */
export async function getTokens(
  relayUrl: string,
  channel: Pick<TestChannel, 'channelId' | 'token'>,
  query: Record<string, string> = {},
  options: { token?: string | null; headers?: Record<string, string>; method?: string } = {},
): Promise<TextAnswer> {
  const search = new URLSearchParams(query).toString();
  const token = options.token === null ? undefined : (options.token ?? channel.token);
  const headers: Record<string, string> = { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...options.headers };
  const response = await fetch(`${relayUrl}${paths.tokens(channel.channelId)}${search ? `?${search}` : ''}`, { method: options.method ?? 'GET', headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a CSS file, or the empty body of a 304
  }
  return { status: response.status, body, text, headers: response.headers };
}

export async function getJson(url: string, init?: RequestInit): Promise<Answer> {
  return answer(await fetch(url, init));
}

let changeCounter = 0;

const nodeSha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A sheet kept in step with what it sent, so every change carries the hash the relay will compute. The
 * hash is kept incrementally (as the add-on could), so a patch on a 5 MB model costs the test little.
 */
export class ModelSheet {
  grid: Grid = emptyGrid();
  title: string | undefined;
  private digest = GridDigest.empty(nodeSha256);
  /** The grid `digest` describes (a test may set `grid` itself: then it is hashed afresh). */
  private digested: Grid = this.grid;

  /** A patch writing `values` at (row, col) of one tab. */
  patch(tabId: number, name: string, row: number, col: number, values: Rows, extra: Partial<Change> = {}): Change {
    return this.change('patch', [{ tabId, name, ranges: [{ row, col, values }] }], extra);
  }

  /** A snapshot of the given tabs (replacing everything). */
  snapshot(tabs: { tabId: number; name: string; values: Rows }[], extra: Partial<Change> = {}): Change {
    return this.change('snapshot', tabs, extra);
  }

  /** A snapshot of the sheet as it stands. */
  fullSnapshot(extra: Partial<Change> = {}): Change {
    return this.change('snapshot', gridToTabs(this.grid), extra);
  }

  private change(kind: Change['kind'], tabs: ChangeTab[], extra: Partial<Change>): Change {
    const before = this.grid;
    this.grid = applyChange(before, { kind, tabs });
    this.digest = this.digested === before ? this.digest.apply({ kind, tabs }) : GridDigest.of(this.grid, nodeSha256);
    this.digested = this.grid;
    changeCounter += 1;
    return { v: 2, id: `change-${process.pid}-${changeCounter}-${randomBytes(3).toString('hex')}`, kind, tabs, hash: this.digest.hash, ...extra };
  }
}
