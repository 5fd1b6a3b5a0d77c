// Wires the relay together: store, hub, HTTP routes, WebSocket upgrades, heartbeat and the ordered
// shutdown. createRelay(settings) → { listen, close }; holds no protocol logic of its own.

import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DestinationStream } from 'pino';
import { WebSocketServer } from 'ws';
import { SyncError } from '../shared/protocol/errors';
import { BodyBudget } from './body-budget';
import { ChangeIngest } from './change-ingest';
import { ChannelHub } from './channel-hub';
import { ClientAddresses } from './client-ip';
import { answerClientError, type ClientError } from './client-error';
import { ConnectionGate } from './connection-gate';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { assertMetricsToken, createRequestHandler } from './http-routes';
import { HeadCache } from './head-cache';
import { IngestPool } from './ingest-pool';
import { createLogger, type Logger } from './logger';
import { RelayMetrics } from './metrics';
import { OutgoingBudget } from './outgoing-budget';
import { OfferIntake, OfferMetrics } from './offer-intake';
import type { OfferStore } from './offer-store';
import { RedisOfferStore } from './redis-offer-store';
import { SqliteOfferStore } from './sqlite-offer-store';
import { RedisStore } from './redis-store';
import type { Settings } from './settings';
import { Snapshots } from './snapshots';
import { TokenExports, TokensMetrics } from './token-exports';
import { TokensPool } from './tokens-pool';
import { SocketSession, SocketsPerAddress, type SessionContext } from './socket-session';
import { checkUpgrade, refuseUpgrade } from './socket-upgrade';
import type { ChannelListener, ChannelQuota, Store } from './store';
import { WorkerStore } from './worker-store';

export interface RelayOptions {
  /** Where the log goes (stdout when absent); tests pass a stream to read it. */
  logDestination?: DestinationStream;
  /** Node process metrics in /metrics (default true; off when several relays share a test process). */
  processMetrics?: boolean;
}

export interface Relay {
  /** Opens the store and starts listening; resolves with the actual address (PORT=0 picks one). */
  listen(): Promise<{ url: string; port: number }>;
  /** Graceful stop: refuse new work, finish requests, close sockets with 1012, close the store. */
  close(): Promise<void>;
  readonly logger: Logger;
  readonly metrics: RelayMetrics;
  readonly store: Store;
  /** Where /metrics is served when METRICS_PORT is set (after listen). */
  readonly metricsUrl: () => string | undefined;
}

/** How long sockets closed with 1012 get to say goodbye before they are cut. */
const SOCKET_CLOSE_WAIT_MS = 1000;
/** How often sockets that caught up are forgotten by the outgoing budget (and the slowest dropped if over it). */
const OUTGOING_SWEEP_MS = 500;

/** How often idle channels are swept at most and at least (a quarter of CHANNEL_IDLE_SECONDS in between). */
const SWEEP_MIN_MS = 1000;
const SWEEP_MAX_MS = 60_000;

export function createRelay(settings: Settings, options: RelayOptions = {}): Relay {
  const logger = createLogger(settings.logLevel, options.logDestination);
  const metrics = new RelayMetrics({ processMetrics: options.processMetrics ?? true });
  // One relay per DATA_DIR: taken before the store opens the database (throws DataDirLockedError).
  const lock: DataDirLock | undefined = settings.redisUrl ? undefined : lockDataDir(settings.dataDir);
  // The store tells the hub about changes, and the hub reads from the store: the listener closes over the hub.
  const listener: ChannelListener = (channelId, event) => hub.onEvent(channelId, event);
  let store: Store;
  try {
    store = openStore(settings, listener, logger);
  } catch (err) {
    lock?.release();
    throw err;
  }
  let offerStore: OfferStore;
  try {
    offerStore = settings.redisUrl ? new RedisOfferStore(settings.redisUrl, settings.redisPrefix, logger) : new SqliteOfferStore(settings.dataDir);
  } catch (err) {
    void store.close();
    lock?.release();
    throw err;
  }
  const hub = new ChannelHub(store, metrics, logger);
  const heads = new HeadCache(settings.headCacheBytes);
  const snapshots = new Snapshots(store, heads, metrics);
  const outgoing = new OutgoingBudget(settings.outgoingBufferBytes);
  const pool = new IngestPool(settings.ingestWorkers, logger);
  const offers = new OfferIntake(settings, offerStore, new OfferMetrics(metrics.registry), logger, pool, settings.ingestInlineBytes);
  const ingest = new ChangeIngest(
    store,
    heads,
    pool,
    { maxGridBytes: settings.maxBodyBytes, inlineBytes: settings.ingestInlineBytes, queuePerChannel: settings.ingestQueuePerChannel, queueBytes: settings.ingestQueueBytes },
    metrics,
    logger,
  );
  const tokensPool = new TokensPool(logger);
  const tokens = new TokenExports(
    snapshots,
    tokensPool,
    { inlineBytes: settings.tokensInlineBytes, cacheBytes: settings.tokensCacheBytes, queue: settings.tokensQueue, maxBytes: settings.tokensMaxBytes },
    new TokensMetrics(metrics.registry),
    metrics,
  );
  metrics.observe({ headCacheBytes: () => heads.bytes, outgoingBytes: () => outgoing.total(), ingestWorkersBusy: () => pool.busy });

  const sessions = new Set<SocketSession>();
  let shuttingDown = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let sweeper: NodeJS.Timeout | undefined;
  let outgoingSweep: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;
  let front: NetServer | undefined;
  let metricsServer: Server | undefined;
  let metricsUrl: string | undefined;

  const addresses = new ClientAddresses(settings.trustedProxy);
  const gate = new ConnectionGate({ settings, metrics, logger, addresses });
  const bodyBudget = new BodyBudget(
    settings.maxInflightBodyBytes,
    (held) => metrics.inflightBodyBytes.set(held),
    () => metrics.limit('body_bytes_in_flight'),
  );

  const sessionContext: SessionContext = {
    settings,
    store,
    hub,
    snapshots,
    outgoing,
    metrics,
    logger,
    perAddress: new SocketsPerAddress(),
    offers,
    onClosed: (session) => {
      sessions.delete(session);
      if (sessions.size === 0) idle?.();
    },
  };

  const handleRequest = createRequestHandler({
    settings,
    store,
    ingest,
    metrics,
    logger,
    shuttingDown: () => shuttingDown,
    addresses,
    gate,
    bodyBudget,
    offers,
    tokens,
    servesMetrics: settings.metricsPort === undefined,
  });
  /** The response being written on each socket, so an answer to bad bytes never cuts into one. */
  const responding = new WeakMap<Socket, ServerResponse>();
  const server: Server = createServer(
    {
      headersTimeout: settings.headersTimeoutS * 1000,
      requestTimeout: settings.requestTimeoutS * 1000,
      keepAliveTimeout: settings.keepAliveTimeoutS * 1000,
      // Node checks the two timeouts above on this interval (30 s by default, which would double them).
      connectionsCheckingInterval: Math.min(1000, settings.headersTimeoutS * 500),
    },
    (req, res) => {
      inFlight++;
      responding.set(req.socket, res);
      res.on('close', () => {
        inFlight--;
        if (responding.get(req.socket) === res) responding.delete(req.socket);
        if (inFlight === 0) idle?.();
      });
      handleRequest(req, res);
    },
  );
  server.on('clientError', (err: ClientError, socket: Socket) => {
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') metrics.limit('request_timeout');
    answerClientError(err, socket, { metrics, logger, inFlight: responding.get(socket) });
  });
  // A connection with no byte either way for IDLE_TIMEOUT_S (a client that stopped reading its answer,
  // or stalls mid-request) is cut; the timer rests while the relay itself works on a request.
  server.timeout = settings.idleTimeoutS * 1000;
  server.on('timeout', (socket: Socket) => {
    metrics.limit('idle_timeout');
    socket.destroy();
  });

  const wss = new WebSocketServer({
    noServer: true,
    // The protocol limit (4413) is checked per message; this larger hard cap only stops a client
    // that streams far past it (ws closes those with 1009).
    maxPayload: Math.max(settings.maxMessageBytes * 4, 1024 * 1024),
    perMessageDeflate: false,
    clientTracking: false,
  });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const requestId = randomUUID();
    const ip = addresses.of(req);
    const viaProxy = addresses.isTrustedProxy(req.socket.remoteAddress);
    let channelId: string;
    let release: () => void;
    try {
      channelId = checkUpgrade(req, settings, shuttingDown);
      const refused = gate.admitRequest(ip, viaProxy);
      if (refused) throw refused;
      const held = gate.holdSocket(ip, viaProxy);
      if (held instanceof SyncError) throw held;
      release = held;
    } catch (err) {
      const error = err instanceof SyncError ? err : new SyncError('INTERNAL');
      metrics.reject(error.code);
      logger.info({ reqId: requestId, route: '/v2/channels/:id/socket', ip, status: error.status, code: error.code }, 'upgrade refused');
      refuseUpgrade(socket, error, requestId);
      return;
    }
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (shuttingDown) return ws.close(1012, 'SHUTTING_DOWN');
      sessions.add(new SocketSession(ws, channelId, sessionContext, ip));
    });
  });

  function beat(): void {
    const listed: { channelId: string; clientId: string }[] = [];
    const live = new Set<string>();
    const now = Date.now();
    for (const session of sessions) {
      session.expireOffer(now);
      if (!session.alive) {
        logger.info({ channel: session.channelId, socket: session.id }, 'socket missed a pong; dropped');
        session.ws.terminate();
        continue;
      }
      session.alive = false;
      session.ws.ping();
      if (session.currentState === 'live') {
        listed.push({ channelId: session.channelId, clientId: session.id });
        live.add(session.channelId);
      }
    }
    if (listed.length > 0) store.touchClients(listed).catch((err: unknown) => logger.warn({ err }, 'refreshing client status failed'));
    // A channel someone is connected to is in use: it does not expire (each store writes this at most once a minute).
    for (const channelId of live) store.touchChannel(channelId).catch((err: unknown) => logger.warn({ err, channel: channelId }, 'recording channel activity failed'));
  }

  /** Forgets idle channels (SQLite; Redis expires them itself) and refreshes the count of stored channels. */
  async function sweep(): Promise<void> {
    try {
      const expired = await store.sweepExpired();
      if (expired > 0) {
        metrics.expiredChannels.inc(expired);
        logger.info({ channels: expired }, 'idle channels expired');
      }
      metrics.storedChannels.set(await store.countChannels());
    } catch (err) {
      logger.warn({ err }, 'sweeping idle channels failed');
    }
    try {
      await offers.sweep(Date.now());
    } catch (err) {
      logger.warn({ err }, 'sweeping expired offers failed');
    }
  }

  async function listen(): Promise<{ url: string; port: number }> {
    if (store instanceof RedisStore) await store.connect();
    if (store instanceof WorkerStore) {
      const opened = await store.open();
      if (opened.migration.channelsMigrated > 0) {
        logger.warn({ channels: opened.migration.channelsMigrated, fromSchema: opened.migration.from }, 'relay.db was written by an earlier relay: every grid was re-chunked and re-hashed, each channel has a new epoch (plugins take one snapshot)');
      }
      if (opened.channelsResetAtStart > 0) {
        logger.warn({ channels: opened.channelsResetAtStart }, 'the machine restarted after the relay stopped uncleanly: history reset, every channel has a new epoch');
      }
    }
    if (offerStore instanceof RedisOfferStore) await offerStore.connect();
    front = await gate.listen(server, settings.port, settings.host);
    // The HTTP server gets its connections from the gate and never listens itself, but Node starts its
    // connection tracking (headersTimeout, requestTimeout, closeIdleConnections) on 'listening'.
    server.emit('listening');
    if (settings.metricsPort !== undefined) metricsUrl = await listenForMetrics(settings.metricsPort, settings.metricsHost);
    heartbeat = setInterval(beat, settings.heartbeatMs);
    heartbeat.unref();
    outgoingSweep = setInterval(() => outgoing.sweep(), OUTGOING_SWEEP_MS);
    outgoingSweep.unref();
    const sweepMs = Math.max(SWEEP_MIN_MS, Math.min(SWEEP_MAX_MS, Math.floor((settings.channelIdleSeconds * 1000) / 4)));
    sweeper = setInterval(() => void sweep(), sweepMs);
    sweeper.unref();
    void sweep();
    warnAboutFileLimit(settings.maxConnections, logger);
    const url = urlOf(front.address() as AddressInfo);
    logger.info({ url, store: store.kind, ...(metricsUrl ? { metricsUrl } : {}), ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}) }, 'listening');
    return { url, port: (front.address() as AddressInfo).port };
  }

  /** /metrics alone on its own listener (METRICS_PORT, on METRICS_HOST: loopback by default). */
  async function listenForMetrics(port: number, host: string): Promise<string> {
    metricsServer = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const answer = async (): Promise<void> => {
        if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) throw new SyncError('NOT_FOUND', `${req.method} ${path}`);
        assertMetricsToken(req, settings.metricsToken);
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
      };
      answer().catch((err: unknown) => {
        const error = err instanceof SyncError ? err : new SyncError('INTERNAL');
        res.writeHead(error.status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(error.toBody()));
      });
    });
    metricsServer.headersTimeout = settings.headersTimeoutS * 1000;
    metricsServer.requestTimeout = settings.requestTimeoutS * 1000;
    const listening = metricsServer;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(port, host, () => {
        listening.off('error', reject);
        resolve();
      });
    });
    return `${urlOf(listening.address() as AddressInfo)}/metrics`;
  }

  async function shutdown(): Promise<void> {
    shuttingDown = true;
    logger.info({ sockets: sessions.size, inFlight }, 'shutting down');
    const deadline = Date.now() + settings.shutdownTimeoutMs;
    clearInterval(sweeper);
    const listening = front;
    // The front listener's close resolves once every connection it accepted has closed.
    const stopped = new Promise<void>((resolve) => (listening ? listening.close(() => resolve()) : resolve()));
    server.close();
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    server.closeIdleConnections();
    // In-flight requests finish first: their changes are committed and fanned out before sockets go.
    await waitFor(() => inFlight === 0, deadline - Date.now());
    await hub.settle();
    clearInterval(heartbeat);
    clearInterval(outgoingSweep);
    for (const session of sessions) session.closeWith('SHUTTING_DOWN');
    await waitFor(() => sessions.size === 0, Math.min(SOCKET_CLOSE_WAIT_MS, Math.max(0, deadline - Date.now())));
    for (const session of sessions) session.ws.terminate();
    server.closeAllConnections();
    await stopped;
    await pool.close();
    await tokensPool.close();
    await store.close();
    await offerStore.close();
    lock?.release();
    logger.info('stopped');
  }

  function waitFor(done: () => boolean, ms: number): Promise<void> {
    if (done() || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish(): void {
        clearTimeout(timer);
        idle = undefined;
        resolve();
      }
      idle = () => {
        if (done()) finish();
      };
    });
  }

  return {
    listen,
    close: () => (closing ??= shutdown()),
    logger,
    metrics,
    store,
    metricsUrl: () => metricsUrl,
  };
}

function openStore(settings: Settings, listener: ChannelListener, logger: Logger): Store {
  const history = { historyLimit: settings.historyLimit, historyMaxBytes: settings.historyMaxBytes };
  const quota: ChannelQuota = { maxChannels: settings.maxChannels, idleMs: settings.channelIdleSeconds * 1000 };
  if (settings.redisUrl) {
    return new RedisStore({ url: settings.redisUrl, prefix: settings.redisPrefix, clientTtlMs: settings.heartbeatMs * 3, allowEviction: settings.redisAllowEviction, quota, ...history }, listener, logger);
  }
  // Room for the largest change and its copy in history: below it, /readyz says the store cannot write.
  const minFreeBytes = 2 * settings.maxBodyBytes;
  // SQLite runs on a thread of its own: megabytes of reads and writes never stall the sockets.
  return new WorkerStore({ dataDir: settings.dataDir, sync: settings.sqliteSync, quota, minFreeBytes, ...history }, listener, logger);
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Each connection is a file descriptor: say so at start when the process may not open MAX_CONNECTIONS of them. */
function warnAboutFileLimit(maxConnections: number, logger: Logger): void {
  let soft: number | undefined;
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const value = line?.split(/\s{2,}/)[1];
    soft = value === undefined || value === 'unlimited' ? undefined : Number(value);
  } catch {
    return; // not Linux: nothing to read
  }
  if (soft !== undefined && soft < maxConnections + 64) {
    logger.warn({ maxConnections, openFilesLimit: soft }, 'the open-files limit (ulimit -n) is below MAX_CONNECTIONS + 64: raise it or lower MAX_CONNECTIONS, or new connections fail at accept');
  }
}
