// The relay's HTTP endpoints: register/rotate, changes, status, health, readiness and metrics.
// Each handler checks in a fixed order (shape, channel, body, signature, rate, content) and every
// refusal is a SyncError turned into the catalogue's status and a JSON ErrorBody.

import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERRORS, SyncError, type ErrorCode } from '../shared/errors';
import { emptyGrid } from '../shared/grid';
import { gridHash } from '../shared/canonical-hash';
import { PROTOCOL_VERSION } from '../shared/limits';
import { isChannelId, parseJson, parseRegister, type ChannelStatus, type HashMismatchBody, type Registered } from '../shared/protocol';
import { base64UrlDecode, subscribeToken, tokenFingerprint } from '../shared/signing';
import type { ChangeIngest } from './change-ingest';
import { newEpoch } from './epoch';
import type { Logger } from './logger';
import type { RelayMetrics } from './metrics';
import { KeyedRateLimit } from './rate-limit';
import { assertJsonRequest, readBody, readBodyText } from './request-body';
import type { Settings } from './settings';
import { assertFreshSignature, isSigned, signedParts } from './signed-request';
import type { ChannelRecord, Store } from './store';

export interface RouteContext {
  readonly settings: Settings;
  readonly store: Store;
  readonly ingest: ChangeIngest;
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  /** True once shutdown has begun: new requests get 503 SHUTTING_DOWN. */
  readonly shuttingDown: () => boolean;
}

/** What a handler learned, for the request's log line. */
interface RequestNote {
  route: string;
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
/** Retry-After (seconds) for the answers that ask a client to come back later. */
const RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = { RATE_LIMITED: 1, SHUTTING_DOWN: 2, STORE_UNAVAILABLE: 5, RELAY_BUSY: 2 };
const EMPTY_GRID_HASH = gridHash(emptyGrid());
const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,64}$/;

export function createRequestHandler(ctx: RouteContext): (req: IncomingMessage, res: ServerResponse) => void {
  const rate = new KeyedRateLimit(ctx.settings.requestRate, ctx.settings.requestBurst);

  const routes: { pattern: RegExp; route: string; methods: Partial<Record<string, Handler>> }[] = [
    { pattern: /^\/healthz$/, route: '/healthz', methods: { GET: healthz } },
    { pattern: /^\/readyz$/, route: '/readyz', methods: { GET: readyz } },
    { pattern: /^\/metrics$/, route: '/metrics', methods: { GET: metrics } },
    { pattern: /^\/v2\/channels\/([^/]+)$/, route: '/v2/channels/:id', methods: { PUT: register } },
    { pattern: /^\/v2\/channels\/([^/]+)\/changes$/, route: '/v2/channels/:id/changes', methods: { POST: postChange } },
    { pattern: /^\/v2\/channels\/([^/]+)\/status$/, route: '/v2/channels/:id/status', methods: { GET: status } },
    { pattern: /^\/v2\/channels\/([^/]+)\/socket$/, route: '/v2/channels/:id/socket', methods: { GET: socketWithoutUpgrade } },
  ];

  async function healthz(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    sendJson(res, 200, { ok: true, ...(ctx.settings.publicUrl ? { publicUrl: ctx.settings.publicUrl } : {}) });
  }

  async function readyz(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (ctx.shuttingDown()) throw new SyncError('SHUTTING_DOWN');
    try {
      await withTimeout(ctx.store.ping(), 2000);
    } catch (err) {
      // The backend's words can name internal addresses: they go to the log, the answer is the catalogue's.
      ctx.logger.warn({ store: ctx.store.kind, err: (err as Error).message, detail: (err as SyncError).detail }, 'store not ready');
      throw new SyncError('STORE_UNAVAILABLE');
    }
    sendJson(res, 200, { ok: true, store: ctx.store.kind });
  }

  async function metrics(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await ctx.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': ctx.metrics.registry.contentType }).end(text);
  }

  async function register(req: IncomingMessage, res: ServerResponse, note: RequestNote, match: RouteMatch): Promise<void> {
    const { channelId } = match;
    assertJsonRequest(req);
    const body = await readBodyText(req, Math.min(REGISTER_BODY_BYTES, ctx.settings.maxBodyBytes));
    const json = parseJson(body);
    if (!json.ok) throw new SyncError('BAD_JSON', json.message);
    const parsed = parseRegister(json.value);
    if (!parsed.ok) throw new SyncError(parsed.message.startsWith('secret') ? 'WEAK_SECRET' : 'BAD_REQUEST', parsed.message);
    const secret = parsed.value.secret;
    if ((base64UrlDecode(secret)?.length ?? 0) < 32) throw new SyncError('WEAK_SECRET', 'secret decodes to fewer than 32 bytes');
    const parts = signedParts(req, match.path, body);
    const existing = await ctx.metrics.timeStore('channel', () => ctx.store.getChannel(channelId));

    let channel: ChannelRecord;
    if (!existing) {
      assertRegistrationKey(req);
      // A signed first claim is checked against the secret it brings.
      if (isSigned(parts)) await assertFreshSignature(ctx.store, secret, parts, Date.now());
      const epoch = newEpoch();
      const created = await ctx.metrics.timeStore('register', () => ctx.store.createChannel(channelId, secret, epoch, EMPTY_GRID_HASH));
      if (created.created) {
        note.outcome = 'registered';
        return sendJson(res, 201, registered(created.channel, false));
      }
      channel = created.channel;
    } else {
      channel = existing;
    }

    if (!isSigned(parts)) {
      // Retrying a first claim whose answer was lost must not lock the sheet out: knowing the secret is enough.
      if (!sameText(secret, channel.secret)) throw new SyncError('CHANNEL_TAKEN');
      note.outcome = 'already-registered';
      return sendJson(res, 200, registered(channel, false));
    }
    await assertFreshSignature(ctx.store, channel.secret, parts, Date.now());
    assertRate(channelId);
    if (sameText(secret, channel.secret)) {
      note.outcome = 'unchanged';
      return sendJson(res, 200, registered(channel, false));
    }
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
    const channel = await requireChannel(channelId);
    const receivedAt = Date.now();
    // Bytes, not text: a large body is decoded and parsed by an ingest worker, not on this thread.
    const body = await readBody(req, ctx.settings.maxBodyBytes);
    await assertFreshSignature(ctx.store, channel.secret, signedParts(req, match.path, body), receivedAt);
    assertRate(channelId);
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

  async function status(req: IncomingMessage, res: ServerResponse, _note: RequestNote, match: RouteMatch): Promise<void> {
    const { channelId } = match;
    const channel = await requireChannel(channelId);
    const body = await readBodyText(req, REGISTER_BODY_BYTES);
    await assertFreshSignature(ctx.store, channel.secret, signedParts(req, match.path, body), Date.now());
    assertRate(channelId);
    const clients = await ctx.metrics.timeStore('clients', () => ctx.store.listClients(channelId));
    const answer: ChannelStatus = {
      channelId,
      epoch: channel.epoch,
      seq: channel.seq,
      hash: channel.hash,
      ...(channel.title === undefined ? {} : { title: channel.title }),
      clients: clients.sort((a, b) => a.connectedAt - b.connectedAt || a.id.localeCompare(b.id)),
    };
    sendJson(res, 200, answer);
  }

  async function socketWithoutUpgrade(): Promise<void> {
    throw new SyncError('BAD_REQUEST', 'this path opens a WebSocket (send Upgrade: websocket)');
  }

  async function requireChannel(channelId: string): Promise<ChannelRecord> {
    const channel = await ctx.metrics.timeStore('channel', () => ctx.store.getChannel(channelId));
    if (!channel) throw new SyncError('UNKNOWN_CHANNEL');
    return channel;
  }

  function assertRate(channelId: string): void {
    if (!rate.take(channelId, Date.now())) throw new SyncError('RATE_LIMITED', `more than ${ctx.settings.requestRate} requests per second for this channel`);
  }

  function assertRegistrationKey(req: IncomingMessage): void {
    const key = ctx.settings.registrationKey;
    if (key === undefined) return;
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '';
    if (!sameText(given, key)) throw new SyncError('REGISTRATION_KEY_REQUIRED');
  }

  return (req, res) => {
    const started = process.hrtime.bigint();
    const given = req.headers['x-request-id'];
    const reqId = typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', reqId);
    const path = (req.url ?? '/').split('?')[0]!;
    const note: RequestNote = { route: 'unknown' };
    ctx.logger.debug({ reqId, method: req.method, path }, 'request started');
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.metrics.httpRequests.labels(note.route, String(res.statusCode)).inc();
      const entry = { reqId, method: req.method, route: note.route, channel: note.channel, status: res.statusCode, code: note.code, seq: note.seq, outcome: note.outcome, ms: Math.round(ms * 100) / 100 };
      if (note.route === '/healthz' || note.route === '/readyz' || note.route === '/metrics') ctx.logger.debug(entry, 'request');
      else ctx.logger.info(entry, 'request');
    });

    const handle = async (): Promise<void> => {
      if (ctx.shuttingDown() && !path.startsWith('/healthz')) {
        res.setHeader('connection', 'close');
        throw new SyncError('SHUTTING_DOWN');
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

    handle().catch((err: unknown) => {
      const error = err instanceof SyncError ? err : internal(err, ctx.logger, reqId);
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

function internal(err: unknown, logger: Logger, reqId: string): SyncError {
  logger.error({ reqId, err }, 'request failed unexpectedly');
  return new SyncError('INTERNAL');
}

function registered(channel: ChannelRecord, rotated: boolean): Registered {
  return { channelId: channel.channelId, epoch: channel.epoch, seq: channel.seq, rotated };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
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
