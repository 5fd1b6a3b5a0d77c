// Wires the relay together: store, hub, HTTP routes, WebSocket upgrades, heartbeat and the ordered
// shutdown. createRelay(settings) → { listen, close }; holds no protocol logic of its own.

import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { WebSocketServer } from 'ws';
import { SyncError } from '../shared/errors';
import { ChangeIngest } from './change-ingest';
import { ChannelHub } from './channel-hub';
import { answerClientError, type ClientError } from './client-error';
import { HeadCache } from './head-cache';
import { createRequestHandler } from './http-routes';
import { IngestPool } from './ingest-pool';
import { createLogger, type Logger } from './logger';
import { RelayMetrics } from './metrics';
import { OutgoingBudget } from './outgoing-budget';
import { RedisStore } from './redis-store';
import type { Settings } from './settings';
import { Snapshots } from './snapshots';
import { SocketSession, type SessionContext } from './socket-session';
import { checkUpgrade, refuseUpgrade } from './socket-upgrade';
import type { ChannelListener, Store } from './store';
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
}

/** How long sockets closed with 1012 get to say goodbye before they are cut. */
const SOCKET_CLOSE_WAIT_MS = 1000;
/** How often sockets that caught up are forgotten by the outgoing budget (and the slowest dropped if over it). */
const OUTGOING_SWEEP_MS = 500;

export function createRelay(settings: Settings, options: RelayOptions = {}): Relay {
  const logger = createLogger(settings.logLevel, options.logDestination);
  const metrics = new RelayMetrics({ processMetrics: options.processMetrics ?? true });
  // The store tells the hub about changes, and the hub reads from the store: the listener closes over the hub.
  const listener: ChannelListener = (channelId, event) => hub.onEvent(channelId, event);
  const store = openStore(settings, listener, logger);
  const hub = new ChannelHub(store, metrics, logger);
  const heads = new HeadCache(settings.headCacheBytes);
  const snapshots = new Snapshots(store, heads, metrics);
  const outgoing = new OutgoingBudget(settings.outgoingBufferBytes);
  const pool = new IngestPool(settings.ingestWorkers, logger);
  const ingest = new ChangeIngest(
    store,
    heads,
    pool,
    { maxGridBytes: settings.maxBodyBytes, inlineBytes: settings.ingestInlineBytes, queuePerChannel: settings.ingestQueuePerChannel, queueBytes: settings.ingestQueueBytes },
    metrics,
    logger,
  );
  metrics.observe({ headCacheBytes: () => heads.bytes, outgoingBytes: () => outgoing.total(), ingestWorkersBusy: () => pool.busy });

  const sessions = new Set<SocketSession>();
  let shuttingDown = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let outgoingSweep: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;

  const sessionContext: SessionContext = {
    settings,
    store,
    hub,
    snapshots,
    outgoing,
    metrics,
    logger,
    onClosed: (session) => {
      sessions.delete(session);
      if (sessions.size === 0) idle?.();
    },
  };

  const handleRequest = createRequestHandler({ settings, store, ingest, metrics, logger, shuttingDown: () => shuttingDown });
  /** The response being written on each socket, so an answer to bad bytes never cuts into one. */
  const responding = new WeakMap<Socket, ServerResponse>();
  const server: Server = createServer((req, res) => {
    inFlight++;
    responding.set(req.socket, res);
    res.on('close', () => {
      inFlight--;
      if (responding.get(req.socket) === res) responding.delete(req.socket);
      if (inFlight === 0) idle?.();
    });
    handleRequest(req, res);
  });
  server.on('clientError', (err: ClientError, socket: Socket) => answerClientError(err, socket, { metrics, logger, inFlight: responding.get(socket) }));
  server.keepAliveTimeout = 5000;
  server.requestTimeout = 60_000;

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
    let channelId: string;
    try {
      channelId = checkUpgrade(req, settings, shuttingDown);
    } catch (err) {
      const error = err instanceof SyncError ? err : new SyncError('INTERNAL');
      metrics.reject(error.code);
      logger.info({ reqId: requestId, route: '/v2/channels/:id/socket', status: error.status, code: error.code }, 'upgrade refused');
      refuseUpgrade(socket, error, requestId);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (shuttingDown) return ws.close(1012, 'SHUTTING_DOWN');
      sessions.add(new SocketSession(ws, channelId, sessionContext));
    });
  });

  function beat(): void {
    const listed: { channelId: string; clientId: string }[] = [];
    for (const session of sessions) {
      if (!session.alive) {
        logger.info({ channel: session.channelId, socket: session.id }, 'socket missed a pong; dropped');
        session.ws.terminate();
        continue;
      }
      session.alive = false;
      session.ws.ping();
      if (session.currentState === 'live') listed.push({ channelId: session.channelId, clientId: session.id });
    }
    if (listed.length > 0) store.touchClients(listed).catch((err: unknown) => logger.warn({ err }, 'refreshing client status failed'));
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
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(settings.port, settings.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    heartbeat = setInterval(beat, settings.heartbeatMs);
    heartbeat.unref();
    outgoingSweep = setInterval(() => outgoing.sweep(), OUTGOING_SWEEP_MS);
    outgoingSweep.unref();
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    logger.info({ url, store: store.kind, ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}) }, 'listening');
    return { url, port: address.port };
  }

  async function shutdown(): Promise<void> {
    shuttingDown = true;
    logger.info({ sockets: sessions.size, inFlight }, 'shutting down');
    const deadline = Date.now() + settings.shutdownTimeoutMs;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
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
    await store.close();
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
  };
}

function openStore(settings: Settings, listener: ChannelListener, logger: Logger): Store {
  const history = { historyLimit: settings.historyLimit, historyMaxBytes: settings.historyMaxBytes };
  if (settings.redisUrl) return new RedisStore({ url: settings.redisUrl, prefix: settings.redisPrefix, clientTtlMs: settings.heartbeatMs * 3, allowEviction: settings.redisAllowEviction, ...history }, listener, logger);
  // SQLite runs on a thread of its own: megabytes of reads and writes never stall the sockets.
  return new WorkerStore({ dataDir: settings.dataDir, sync: settings.sqliteSync, ...history }, listener, logger);
}
