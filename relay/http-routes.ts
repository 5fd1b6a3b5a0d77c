// The relay's HTTP endpoints: register/rotate, changes, status, offers, tokens, health, readiness and metrics.
// Each handler checks in a fixed order, cheapest and least trusting first: what the headers say
// (registration key, channel, timestamp, rates) before the body is read, the signature once it is, and
// the replay guard only after the rate limits; every refusal is a SyncError turned into the
// catalogue's status and a JSON ErrorBody.

import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERRORS, SyncError, type ErrorCode } from '../shared/protocol/errors';
import { emptyGrid } from '../shared/protocol/grid';
import { gridHash } from '../shared/protocol/canonical-hash';
import { PROTOCOL_VERSION } from '../shared/protocol/limits';
import { isChannelId, parseJson, parseRegister, type ChannelStatus, type ClientStatus, type HashMismatchBody, type Registered, type RegisterRequest } from '../shared/protocol/messages';
import { claimProves } from '../shared/protocol/channel-claim';
import { base64UrlDecode, subscribeToken, tokenFingerprint } from '../shared/protocol/signing';
import type { BodyBudget, BodyLease } from './body-budget';
import type { ChangeIngest } from './change-ingest';
import { addressKey, type ClientAddresses } from './client-ip';
import type { ConnectionGate } from './connection-gate';
import { newEpoch } from './epoch';
import type { Logger } from './logger';
import type { RelayMetrics } from './metrics';
import type { OfferIntake } from './offer-intake';
import { KeyedRateLimit, TokenBucket } from './rate-limit';
import { assertJsonRequest, discardRest, readBody, readBodyText } from './request-body';
import type { Settings } from './settings';
import { assertNotReplayed, assertSignature, assertSignatureHeaders, isSigned, signedParts } from './signed-request';
import type { ChannelRecord, Store } from './store';
import { tokenRefusal } from './subscribe-token';
import type { TokenExports } from './token-exports';
import { noneMatch, parseTokensQuery, tokensEtag, type TokensQuery } from './tokens-request';
import type { TokensOutcome } from './tokens-work';

export interface RouteContext {
  readonly settings: Settings;
  readonly store: Store;
  readonly ingest: ChangeIngest;
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  /** True once shutdown has begun: new requests get 503 SHUTTING_DOWN. */
  readonly shuttingDown: () => boolean;
  /** Who a request comes from (through TRUSTED_PROXY). */
  readonly addresses: ClientAddresses;
  /** Per-address rate of requests arriving through a trusted proxy. */
  readonly gate: ConnectionGate;
  /** Request body bytes all requests may hold together. */
  readonly bodyBudget: BodyBudget;
  /** Whether this listener serves /metrics (false when METRICS_PORT gives it a listener of its own). */
  readonly servesMetrics: boolean;
  /** The channel's offers (listed in /status, read by GET …/offers/:offerId). */
  readonly offers: OfferIntake;
  /** The channel's tokens for code (GET …/tokens), made once per position and query. */
  readonly tokens: TokenExports;
}

/** At most this many clients are listed in /status (each can carry an applied report of up to MAX_MESSAGE_BYTES). */
export const STATUS_CLIENTS_LISTED = 50;
/**
 * And at most this much JSON of them: Apps Script's UrlFetchApp refuses answers over 50 MB
 * (https://developers.google.com/apps-script/guides/services/quotas), and the sidebar needs far less.
 */
export const STATUS_MAX_CLIENT_BYTES = 4 * 1024 * 1024;

/** What a handler learned, for the request's log line. */
interface RequestNote {
  route: string;
  ip: string;
  /** The request's share of the in-flight body budget, given back when its answer is done. */
  lease: BodyLease;
  channel?: string;
  seq?: number;
  outcome?: string;
  code?: ErrorCode;
}

type Handler = (req: IncomingMessage, res: ServerResponse, note: RequestNote, match: RouteMatch) => Promise<void>;

interface RouteMatch {
  channelId: string;
  path: string;
}

const REGISTER_BODY_BYTES = 16 * 1024;
/** A refused body is read to its end (and thrown away) up to this much, or MAX_BODY_BYTES if larger, before the answer. */
const DISCARD_MIN_BYTES = 1024 * 1024;
/** Retry-After (seconds) for the answers that ask a client to come back later. */
const RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = { RATE_LIMITED: 1, SHUTTING_DOWN: 2, STORE_UNAVAILABLE: 5, OVERLOADED: 1, TOO_MANY_CONNECTIONS: 1, RELAY_FULL: 60, RELAY_BUSY: 2 };
/** Routes a load balancer or a scraper calls: never rate limited per address. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
const EMPTY_GRID_HASH = gridHash(emptyGrid());
const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,64}$/;
const OFFER_ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

export function createRequestHandler(ctx: RouteContext): (req: IncomingMessage, res: ServerResponse) => void {
  const { settings } = ctx;
  const rate = new KeyedRateLimit(settings.requestRate, settings.requestBurst);
  const rotations = new KeyedRateLimit(settings.rotationsPerHour / 3600, settings.rotationsPerHour);
  const registrationsPerIp = new KeyedRateLimit(settings.registrationsPerIpPerMinute / 60, settings.registrationsPerIpPerMinute);
  const registrations = new TokenBucket(settings.registrationsPerSecond, settings.registrationsPerSecond, Date.now());
  // Token polls have buckets of their own: a pairing code's holder polling hard never slows the sheet's changes.
  const tokensRate = new KeyedRateLimit(settings.tokensRate, settings.tokensBurst);
  const tokensPerIp = new KeyedRateLimit(settings.tokensPerIpPerSecond, settings.tokensPerIpPerSecond * 2);
  const idleMs = settings.idleTimeoutS * 1000;

  /** Writes a JSON answer; the connection's idle timer runs again while the client reads it. */
  function sendJson(res: ServerResponse, status: number, body: unknown): void {
    res.socket?.setTimeout(idleMs);
    writeJson(res, status, body);
  }

  const routes: { pattern: RegExp; route: string; methods: Partial<Record<string, Handler>> }[] = [
    { pattern: /^\/healthz$/, route: '/healthz', methods: { GET: healthz } },
    { pattern: /^\/readyz$/, route: '/readyz', methods: { GET: readyz } },
    { pattern: /^\/metrics$/, route: '/metrics', methods: { GET: metrics } },
    { pattern: /^\/v2\/channels\/([^/]+)$/, route: '/v2/channels/:id', methods: { PUT: register } },
    { pattern: /^\/v2\/channels\/([^/]+)\/changes$/, route: '/v2/channels/:id/changes', methods: { POST: postChange } },
    { pattern: /^\/v2\/channels\/([^/]+)\/status$/, route: '/v2/channels/:id/status', methods: { GET: status } },
    { pattern: /^\/v2\/channels\/([^/]+)\/offers\/[^/]+$/, route: '/v2/channels/:id/offers/:offerId', methods: { GET: offer } },
    { pattern: /^\/v2\/channels\/([^/]+)\/tokens$/, route: '/v2/channels/:id/tokens', methods: { GET: tokens } },
    { pattern: /^\/v2\/channels\/([^/]+)\/socket$/, route: '/v2/channels/:id/socket', methods: { GET: socketWithoutUpgrade } },
  ];

  async function healthz(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    sendJson(res, 200, { ok: true, ...(ctx.settings.publicUrl ? { publicUrl: ctx.settings.publicUrl } : {}) });
  }

  async function readyz(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (ctx.shuttingDown()) throw new SyncError('SHUTTING_DOWN');
    try {
      await withTimeout(ctx.store.ping(), 2000);
      // Reading is not enough: a full disk (or Redis out of memory) answers reads and refuses every change.
      await withTimeout(ctx.store.probeWrite(), 2000);
    } catch (err) {
      // The backend's words can name internal addresses: they go to the log, the answer is the catalogue's.
      ctx.logger.warn({ store: ctx.store.kind, err: (err as Error).message, detail: (err as SyncError).detail }, 'store not ready');
      throw new SyncError('STORE_UNAVAILABLE');
    }
    sendJson(res, 200, { ok: true, store: ctx.store.kind });
  }

  async function metrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!ctx.servesMetrics) throw new SyncError('NOT_FOUND', 'metrics are served on METRICS_PORT');
    assertMetricsToken(req, settings.metricsToken);
    const text = await ctx.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': ctx.metrics.registry.contentType }).end(text);
  }

  async function register(req: IncomingMessage, res: ServerResponse, note: RequestNote, match: RouteMatch): Promise<void> {
    assertJsonRequest(req);
    return isSigned(req) ? rotate(req, res, note, match) : claim(req, res, note, match);
  }

  /** An unsigned PUT: the first claim of a channel id, or a re-claim (its answer was lost, or the relay forgot it). */
  async function claim(req: IncomingMessage, res: ServerResponse, note: RequestNote, match: RouteMatch): Promise<void> {
    const { channelId } = match;
    assertRegistrationKey(req);
    assertRegistrationRate(note.ip);
    const body = await readBodyText(req, Math.min(REGISTER_BODY_BYTES, settings.maxBodyBytes), note.lease);
    const { secret, claim: proof } = parseRegisterBody(body);
    // Before anything is stored or even read: only whoever made the id may claim it.
    if (proof === undefined) throw new SyncError('BAD_CLAIM', 'an unsigned PUT must bring the claim the channel id is derived from');
    if (!claimProves(channelId, proof)) throw new SyncError('BAD_CLAIM', 'this claim does not derive this channel id');
    let channel = await ctx.metrics.timeStore('channel', () => ctx.store.getChannel(channelId));
    if (!channel) {
      const created = await ctx.metrics.timeStore('register', () => ctx.store.createChannel(channelId, secret, newEpoch(), EMPTY_GRID_HASH));
      if (created === 'full') {
        ctx.metrics.limit('channels');
        throw new SyncError('RELAY_FULL', `this relay holds ${settings.maxChannels} channels (MAX_CHANNELS)`);
      }
      if (created.created) {
        note.outcome = 'registered';
        ctx.metrics.storedChannels.inc();
        return sendJson(res, 201, registered(created.channel, false));
      }
      channel = created.channel;
    }
    // Retrying a claim whose answer was lost must not lock the sheet out: the claim and the secret are enough.
    if (!sameText(secret, channel.secret)) throw new SyncError('CHANNEL_TAKEN');
    note.outcome = 'already-registered';
    sendJson(res, 200, registered(channel, false));
  }

  /** A signed PUT: rotates the secret (or confirms it, bringing the same one). */
  async function rotate(req: IncomingMessage, res: ServerResponse, note: RequestNote, match: RouteMatch): Promise<void> {
    const { channelId } = match;
    const { channel, body, parts } = await signedRequest(req, match, () => readBodyText(req, Math.min(REGISTER_BODY_BYTES, settings.maxBodyBytes), note.lease));
    const { secret, claim: proof } = parseRegisterBody(body);
    if (proof !== undefined && !claimProves(channelId, proof)) throw new SyncError('BAD_CLAIM', 'this claim does not derive this channel id');
    if (sameText(secret, channel.secret)) {
      await assertNotReplayed(ctx.store, parts);
      note.outcome = 'unchanged';
      return sendJson(res, 200, registered(channel, false));
    }
    // Counted only once the signature is good, so a pairing code's holder cannot use up the owner's rotations.
    if (!rotations.take(channelId, Date.now())) {
      ctx.metrics.limit('rotations');
      throw new SyncError('RATE_LIMITED', `more than ${settings.rotationsPerHour} rotations per hour for this channel`);
    }
    await assertNotReplayed(ctx.store, parts);
    const revoked = tokenFingerprint(subscribeToken(channel.secret, channelId));
    const rotated = await ctx.metrics.timeStore('rotate', () => ctx.store.rotateSecret(channelId, channel.secret, secret, revoked));
    if (rotated === undefined) throw new SyncError('UNKNOWN_CHANNEL');
    if (rotated === 'conflict') throw new SyncError('BAD_SIGNATURE', 'the secret was rotated by another request meanwhile');
    note.outcome = 'rotated';
    ctx.logger.info({ channel: channelId, revoked }, 'secret rotated; sockets with the old token are closed');
    sendJson(res, 200, registered(rotated, true));
  }

  async function postChange(req: IncomingMessage, res: ServerResponse, note: RequestNote, match: RouteMatch): Promise<void> {
    const { channelId } = match;
    assertJsonRequest(req);
    // Bytes, not text: a large body is decoded and parsed by an ingest worker, not on this thread.
    const { body, parts, receivedAt } = await signedRequest(req, match, () => readBody(req, ctx.settings.maxBodyBytes, note.lease));
    await assertNotReplayed(ctx.store, parts);
    // Parsing, applying and hashing: on this thread for a small change, in an ingest worker for a large one.
    const result = await ctx.metrics.timeStore('append', () => ctx.ingest.submit(channelId, body, receivedAt));
    if (result.outcome === 'mismatch') {
      ctx.metrics.changes.labels('mismatch').inc();
      ctx.metrics.reject('HASH_MISMATCH');
      note.outcome = 'mismatch';
      note.code = 'HASH_MISMATCH';
      const answer: HashMismatchBody = {
        error: { code: 'HASH_MISMATCH', message: ERRORS.HASH_MISMATCH.message, detail: `change ${result.changeId}: send a snapshot` },
        expected: result.expected,
        actual: result.actual,
      };
      return sendJson(res, 409, answer);
    }
    ctx.metrics.changes.labels(result.outcome).inc();
    note.seq = result.accepted.seq;
    note.outcome = result.outcome === 'accepted' ? `accepted-${result.kind}` : 'duplicate';
    sendJson(res, 200, result.accepted);
  }

  async function status(req: IncomingMessage, res: ServerResponse, note: RequestNote, match: RouteMatch): Promise<void> {
    const { channelId } = match;
    const { channel, parts } = await signedRequest(req, match, () => readBodyText(req, REGISTER_BODY_BYTES, note.lease));
    await assertNotReplayed(ctx.store, parts);
    const listed = await ctx.metrics.timeStore('clients', () => ctx.store.listClients(channelId, STATUS_CLIENTS_LISTED));
    const offers = await ctx.offers.list(channelId, Date.now());
    const answer: ChannelStatus = {
      channelId,
      epoch: channel.epoch,
      seq: channel.seq,
      hash: channel.hash,
      ...(channel.title === undefined ? {} : { title: channel.title }),
      clients: withinBytes(listed.clients, STATUS_MAX_CLIENT_BYTES),
      clientCount: listed.total,
      // A few per channel (OFFERS_PER_CHANNEL), each a short listing: within the answer's bound by construction.
      ...(offers.length > 0 ? { offers } : {}),
    };
    sendJson(res, 200, answer);
  }

  /** One offer's JSON text, as the plugin sent it (signed like /status). */
  async function offer(req: IncomingMessage, res: ServerResponse, note: RequestNote, match: RouteMatch): Promise<void> {
    const { channelId } = match;
    const offerId = match.path.slice(match.path.lastIndexOf('/') + 1);
    if (!OFFER_ID_RE.test(offerId)) throw new SyncError('BAD_REQUEST', 'the offer id in the path must be 1-64 characters of A-Z a-z 0-9 _ . : -');
    const { parts } = await signedRequest(req, match, () => readBodyText(req, REGISTER_BODY_BYTES, note.lease));
    await assertNotReplayed(ctx.store, parts);
    const text = await ctx.offers.get(channelId, offerId, Date.now());
    if (text === undefined) throw new SyncError('OFFER_NOT_FOUND', `offer ${offerId}`);
    note.outcome = 'offer-read';
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' }).end(text);
  }

  /**
   * The channel's tokens for code, authorised with the subscribe token. Checked in this order: the
   * address's rate and the query (nothing read yet), the channel, the token (a wrong one costs a hash
   * and, for the revocation answer, one store read), the channel's rate (counted only for good tokens,
   * so a stranger cannot use up a team's polls), then If-None-Match against the ETag from the channel
   * record (304 without touching the grid), and only then the export, shared and kept per position.
   */
  async function tokens(req: IncomingMessage, res: ServerResponse, note: RequestNote, match: RouteMatch): Promise<void> {
    const { channelId } = match;
    if (!tokensPerIp.take(addressKey(note.ip), Date.now())) {
      ctx.metrics.limit('tokens_per_ip');
      throw new SyncError('RATE_LIMITED', `more than ${settings.tokensPerIpPerSecond} token requests per second from this address`);
    }
    const query = parseTokensQuery(req.url ?? '');
    const channel = await requireChannel(channelId);
    const token = bearer(req);
    if (token === '') throw new SyncError('BAD_TOKEN', 'send the subscribe token (the t of the pairing code) as Authorization: Bearer <token>');
    const refusal = await tokenRefusal(ctx.store, channel, token);
    if (refusal) throw new SyncError(refusal);
    if (!tokensRate.take(channelId, Date.now())) {
      ctx.metrics.limit('tokens_per_channel');
      throw new SyncError('RATE_LIMITED', `more than ${settings.tokensRate} token requests per second for this channel`);
    }
    const current = tokensEtag(channel.hash, query);
    if (noneMatch(req.headers['if-none-match'], current)) {
      ctx.tokens.metrics.requests.labels('not_modified').inc();
      note.outcome = 'tokens-not-modified';
      note.seq = channel.seq;
      res.socket?.setTimeout(idleMs);
      res.writeHead(304, { etag: current, 'cache-control': TOKENS_CACHE_CONTROL, ...(query.file === undefined ? { vary: 'accept-encoding' } : {}) }).end();
      return;
    }
    const { outcome, how } = await ctx.tokens.get(channelId, { epoch: channel.epoch, seq: channel.seq }, query);
    note.seq = outcome.seq;
    const ready = readyTokens(outcome, query, settings.tokensMaxBytes);
    ctx.tokens.metrics.requests.labels(how).inc();
    note.outcome = `tokens-${how}`;
    const headers: Record<string, string | number> = { etag: tokensEtag(ready.hash, query), 'cache-control': TOKENS_CACHE_CONTROL };
    res.socket?.setTimeout(idleMs);
    if (query.file === undefined) {
      const gzip = acceptsGzip(req.headers['accept-encoding']);
      const body = gzip ? ready.bundleGzip : ready.bundle;
      res
        .writeHead(200, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': body.byteLength, vary: 'accept-encoding', ...(gzip ? { 'content-encoding': 'gzip' } : {}) })
        .end(body);
      return;
    }
    const file = ready.files.find((f) => f.path === query.file);
    if (!file) throw new SyncError('UNKNOWN_TOKEN_FILE', `${JSON.stringify(query.file.slice(0, 200))}; the files are ${listed(ready.files.map((f) => f.path))}`);
    res
      .writeHead(200, { ...headers, 'content-type': `${file.mediaType}; charset=utf-8`, 'content-length': file.length, 'x-sheet-errors': ready.errorCount, 'x-sheet-warnings': ready.warningCount })
      .end(ready.fileBytes.subarray(file.offset, file.offset + file.length));
  }

  async function socketWithoutUpgrade(): Promise<void> {
    throw new SyncError('BAD_REQUEST', 'this path opens a WebSocket (send Upgrade: websocket)');
  }

  /**
   * A request signed with the channel's secret: the channel known, the signature's headers in time, the
   * channel's rate kept (all before the body is read), then the body read by `read` and the signature
   * checked over it. The replay guard is the caller's, after whatever it must know first.
   */
  async function signedRequest<B extends string | Buffer>(req: IncomingMessage, match: RouteMatch, read: () => Promise<B>): Promise<{ channel: ChannelRecord; body: B; parts: ReturnType<typeof signedParts>; receivedAt: number }> {
    const channel = await requireChannel(match.channelId);
    const receivedAt = Date.now();
    assertSignatureHeaders(req, receivedAt);
    assertRate(match.channelId);
    const body = await read();
    const parts = signedParts(req, match.path, body);
    assertSignature(channel.secret, parts, receivedAt);
    return { channel, body, parts, receivedAt };
  }

  async function requireChannel(channelId: string): Promise<ChannelRecord> {
    const channel = await ctx.metrics.timeStore('channel', () => ctx.store.getChannel(channelId));
    if (!channel) throw new SyncError('UNKNOWN_CHANNEL');
    return channel;
  }

  function assertRate(channelId: string): void {
    if (rate.take(channelId, Date.now())) return;
    ctx.metrics.limit('requests_per_channel');
    throw new SyncError('RATE_LIMITED', `more than ${settings.requestRate} requests per second for this channel`);
  }

  /** Unsigned PUTs per client address and in total: what bounds the registrations one client can make. */
  function assertRegistrationRate(ip: string): void {
    const now = Date.now();
    if (!registrationsPerIp.take(addressKey(ip), now)) {
      ctx.metrics.limit('registrations_per_ip');
      throw new SyncError('RATE_LIMITED', `more than ${settings.registrationsPerIpPerMinute} registrations per minute from this address`);
    }
    if (!registrations.take(now)) {
      ctx.metrics.limit('registrations');
      throw new SyncError('RATE_LIMITED', `more than ${settings.registrationsPerSecond} registrations per second on this relay`);
    }
  }

  function assertRegistrationKey(req: IncomingMessage): void {
    const keys = settings.registrationKeys;
    if (keys.length === 0) return;
    const given = bearer(req);
    // Every key is compared (in constant time), so the time taken does not say which one nearly matched.
    let ok = false;
    for (const key of keys) ok = sameText(given, key) || ok;
    if (!ok) throw new SyncError('REGISTRATION_KEY_REQUIRED');
  }

  return (req, res) => {
    const started = process.hrtime.bigint();
    const given = req.headers['x-request-id'];
    const reqId = typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', reqId);
    const path = (req.url ?? '/').split('?')[0]!;
    const viaProxy = ctx.addresses.isTrustedProxy(req.socket.remoteAddress);
    const note: RequestNote = { route: 'unknown', ip: ctx.addresses.of(req), lease: ctx.bodyBudget.lease() };
    ctx.logger.debug({ reqId, method: req.method, path, ip: note.ip }, 'request started');
    res.on('close', () => note.lease.release());
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.metrics.httpRequests.labels(note.route, String(res.statusCode)).inc();
      const entry = { reqId, method: req.method, route: note.route, channel: note.channel, ip: note.ip, status: res.statusCode, code: note.code, seq: note.seq, outcome: note.outcome, ms: Math.round(ms * 100) / 100 };
      if (note.route === '/healthz' || note.route === '/readyz' || note.route === '/metrics') ctx.logger.debug(entry, 'request');
      else ctx.logger.info(entry, 'request');
    });

    const handle = async (): Promise<void> => {
      if (ctx.shuttingDown() && !path.startsWith('/healthz')) {
        res.setHeader('connection', 'close');
        throw new SyncError('SHUTTING_DOWN');
      }
      if (!PROBES.has(path)) {
        const refused = ctx.gate.admitRequest(note.ip, viaProxy);
        if (refused) throw refused;
      }
      for (const r of routes) {
        const m = r.pattern.exec(path);
        if (!m) continue;
        note.route = r.route;
        // HEAD is GET without a body (load balancers probe with it); Node leaves the body out.
        const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
        const handler = r.methods[method];
        if (!handler) {
          res.setHeader('allow', Object.keys(r.methods).join(', '));
          throw new SyncError('METHOD_NOT_ALLOWED', `${r.route} takes ${Object.keys(r.methods).join(', ')}`);
        }
        // Channel ids are URL-safe by definition, so the raw path segment is the id (no decoding).
        const channelId = m[1] ?? '';
        if (m[1] !== undefined) {
          if (!isChannelId(channelId)) throw new SyncError('BAD_REQUEST', 'a channel id is 16-64 characters of A-Z a-z 0-9 _ -');
          note.channel = channelId;
        }
        return handler(req, res, note, { channelId, path });
      }
      // An older client (protocol v1 paths) learns which version this relay speaks, not "no such endpoint".
      if (/^\/v\d+\/channels\//.test(path)) {
        note.route = '/v*/channels';
        throw new SyncError('UNSUPPORTED_VERSION', `this relay speaks protocol v${PROTOCOL_VERSION} (paths /v${PROTOCOL_VERSION}/…); update the add-on`);
      }
      throw new SyncError('NOT_FOUND', `${req.method} ${path}`);
    };

    handle().catch(async (err: unknown) => {
      const error = err instanceof SyncError ? err : internal(err, ctx.logger, reqId);
      // The add-on's request is still arriving: read the rest (without keeping it) so the answer reaches it.
      if (error.code === 'BODY_TOO_LARGE') await discardRest(req, Math.max(DISCARD_MIN_BYTES, settings.maxBodyBytes));
      note.code = error.code;
      note.outcome ??= 'refused';
      ctx.metrics.reject(error.code);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error.code === 'BODY_TOO_LARGE') res.setHeader('connection', 'close');
      const retryAfter = RETRY_AFTER_SECONDS[error.code];
      if (retryAfter !== undefined) res.setHeader('retry-after', String(retryAfter));
      sendJson(res, error.status, error.toBody());
    });
  };
}

/** Token answers may be kept by the client, never by a shared cache, and must be checked again (ETag) before use. */
const TOKENS_CACHE_CONTROL = 'private, no-cache';

/** The export, or the refusal its outcome calls for. */
function readyTokens(outcome: TokensOutcome, query: TokensQuery, maxBytes: number): Extract<TokensOutcome, { outcome: 'ready' }> {
  if (outcome.outcome === 'ready') return outcome;
  if (outcome.outcome === 'unknown-mode') {
    throw new SyncError('UNKNOWN_MODE', `${JSON.stringify((query.options.mode ?? '').slice(0, 200))}; the modes are ${listed(outcome.modes)}`);
  }
  const size = outcome.bytes === undefined ? 'far more than that' : `${outcome.bytes} bytes`;
  throw new SyncError('TOKENS_TOO_LARGE', `${query.options.format}${query.options.layout ? ` (${query.options.layout} layout)` : ''} comes to ${size}; this relay serves at most ${maxBytes} (TOKENS_MAX_BYTES)`);
}

/** Whether an Accept-Encoding header takes gzip (by name or `*`, with a q-value above 0; RFC 9110 §12.5.3). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.toLowerCase().split(',')) {
    const [coding, ...params] = part.split(';').map((p) => p.trim());
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/** Names for a detail: quoted, comma-separated, the first 20 and how many more. */
function listed(names: readonly string[]): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, 20).map((n) => JSON.stringify(n.slice(0, 100)));
  return names.length > 20 ? `${shown.join(', ')} and ${names.length - 20} more` : shown.join(', ');
}

function internal(err: unknown, logger: Logger, reqId: string): SyncError {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/.test(code)) {
    // The disk is full or failing: a client should retry later (and /readyz says not ready), not see a bug.
    logger.error({ reqId, err: (err as Error).message, sqlite: code }, 'the store could not write');
    return new SyncError('STORE_UNAVAILABLE');
  }
  logger.error({ reqId, err }, 'request failed unexpectedly');
  return new SyncError('INTERNAL');
}

/** The secret and claim of a PUT's body, or the refusal naming what is wrong. */
function parseRegisterBody(body: string): RegisterRequest {
  const json = parseJson(body);
  if (!json.ok) throw new SyncError('BAD_JSON', json.message);
  const parsed = parseRegister(json.value);
  if (!parsed.ok) {
    const code = parsed.message.startsWith('secret') ? 'WEAK_SECRET' : parsed.message.startsWith('claim') ? 'BAD_CLAIM' : 'BAD_REQUEST';
    throw new SyncError(code, parsed.message);
  }
  if ((base64UrlDecode(parsed.value.secret)?.length ?? 0) < 32) throw new SyncError('WEAK_SECRET', 'secret decodes to fewer than 32 bytes');
  return parsed.value;
}

/** The clients that fit in `maxBytes` of JSON, in order (the first always). */
function withinBytes(clients: ClientStatus[], maxBytes: number): ClientStatus[] {
  const kept: ClientStatus[] = [];
  let bytes = 0;
  for (const client of clients) {
    bytes += Buffer.byteLength(JSON.stringify(client)) + 1;
    if (kept.length > 0 && bytes > maxBytes) break;
    kept.push(client);
  }
  return kept;
}

function bearer(req: IncomingMessage): string {
  return /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '';
}

/** /metrics with METRICS_TOKEN set needs it as a bearer token (NOT_FOUND otherwise: nothing to learn there). */
export function assertMetricsToken(req: IncomingMessage, token: string | undefined): void {
  if (token !== undefined && !sameText(bearer(req), token)) throw new SyncError('NOT_FOUND', 'GET /metrics');
}

function registered(channel: ChannelRecord, rotated: boolean): Registered {
  return { channelId: channel.channelId, epoch: channel.epoch, seq: channel.seq, rotated };
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' }).end(text);
}

/** Constant-time equality of two secrets (hashed first, so their lengths do not leak either). */
function sameText(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
