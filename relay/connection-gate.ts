// Admission of connections, before any HTTP is parsed: a cap on open TCP connections per process,
// and per client address a cap and a rate of new ones. The relay listens through a plain net.Server
// that hands admitted sockets to the HTTP server, so a refused one never reaches the parser. Past
// MAX_CONNECTIONS the listener closes new connections as it accepts them (net.Server maxConnections:
// no socket object, no answer, the cheapest refusal in a flood); one refused for its address gets the
// relay's JSON error and is closed. Behind a trusted proxy (whose connections carry many clients) the
// per-address checks move to each request and upgrade, where X-Forwarded-For names the client.

import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { SyncError } from '../shared/protocol/errors';
import { addressKey, type ClientAddresses } from './client-ip';
import type { Logger } from './logger';
import type { Limit, RelayMetrics } from './metrics';
import { KeyedRateLimit } from './rate-limit';
import type { Settings } from './settings';
import { refuseUpgrade } from './socket-upgrade';

export interface GateContext {
  readonly settings: Settings;
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  readonly addresses: ClientAddresses;
}

/** How long a refused connection may take to read its answer before it is cut. */
const REFUSED_LINGER_MS = 2000;

export class ConnectionGate {
  private open = 0;
  /** Open connections (or, behind a proxy, sockets) per address key. */
  private readonly perAddress = new Map<string, number>();
  private readonly rate: KeyedRateLimit;

  constructor(private readonly ctx: GateContext) {
    const perSecond = ctx.settings.connectionsPerIpPerSecond;
    this.rate = new KeyedRateLimit(perSecond, perSecond * 2);
  }

  /**
   * At TCP accept (under MAX_CONNECTIONS): the refusal to answer, or undefined when the socket is
   * admitted (it is then counted until it closes). Per-address checks apply here only when the peer
   * is the client itself.
   */
  admit(socket: Socket): SyncError | undefined {
    const peer = socket.remoteAddress ?? 'unknown';
    let key: string | undefined;
    if (!this.ctx.addresses.isTrustedProxy(peer)) {
      key = addressKey(peer.startsWith('::ffff:') ? peer.slice(7) : peer);
      const refused = this.checkAddress(key);
      if (refused) return refused;
    }
    this.open++;
    this.ctx.metrics.tcpConnections.set(this.open);
    if (key !== undefined) this.perAddress.set(key, (this.perAddress.get(key) ?? 0) + 1);
    socket.once('close', () => {
      this.open--;
      this.ctx.metrics.tcpConnections.set(this.open);
      if (key !== undefined) this.release(key);
    });
    return undefined;
  }

  /** A request or upgrade that came through a trusted proxy: the client's rate of new requests. */
  admitRequest(address: string, viaProxy: boolean): SyncError | undefined {
    if (!viaProxy) return undefined;
    if (this.rate.take(addressKey(address), Date.now())) return undefined;
    this.ctx.metrics.limit('connection_rate_per_ip');
    // The caller answers, and counts the rejection, as for any refused request.
    return new SyncError('TOO_MANY_CONNECTIONS', `more than ${this.ctx.settings.connectionsPerIpPerSecond} new connections per second from this address`);
  }

  /**
   * A WebSocket from `address` through a trusted proxy holds a place under MAX_CONNECTIONS_PER_IP until
   * it closes (direct connections were counted at accept). Returns the release, or the refusal.
   */
  holdSocket(address: string, viaProxy: boolean): (() => void) | SyncError {
    if (!viaProxy) return () => undefined;
    const key = addressKey(address);
    if ((this.perAddress.get(key) ?? 0) >= this.ctx.settings.maxConnectionsPerIp) {
      this.ctx.metrics.limit('connections_per_ip');
      return new SyncError('TOO_MANY_CONNECTIONS', `more than ${this.ctx.settings.maxConnectionsPerIp} open connections from this address (MAX_CONNECTIONS_PER_IP)`);
    }
    this.perAddress.set(key, (this.perAddress.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(key);
    };
  }

  /**
   * Listens on port/host with a net.Server that admits each connection and hands it to `server`;
   * a refused one is answered and closed here.
   */
  listen(server: HttpServer, port: number, host: string): Promise<NetServer> {
    const front = createNetServer({ pauseOnConnect: true }, (socket) => {
      const refusal = this.admit(socket);
      if (!refusal) {
        server.emit('connection', socket);
        socket.resume();
        return;
      }
      // Debug only: a flood of refusals must not become a flood of log lines (relay_limited_total counts them).
      this.ctx.logger.debug({ ip: socket.remoteAddress, code: refusal.code, detail: refusal.detail }, 'connection refused');
      refuseConnection(socket, refusal);
    });
    front.maxConnections = this.ctx.settings.maxConnections;
    front.on('drop', () => this.ctx.metrics.limit('connections'));
    return new Promise((resolve, reject) => {
      front.once('error', reject);
      front.listen(port, host, () => {
        front.off('error', reject);
        resolve(front);
      });
    });
  }

  private checkAddress(key: string): SyncError | undefined {
    if ((this.perAddress.get(key) ?? 0) >= this.ctx.settings.maxConnectionsPerIp) return this.tooMany();
    if (!this.rate.take(key, Date.now())) {
      return this.refusal('connection_rate_per_ip', new SyncError('TOO_MANY_CONNECTIONS', `more than ${this.ctx.settings.connectionsPerIpPerSecond} new connections per second from this address`));
    }
    return undefined;
  }

  private tooMany(): SyncError {
    return this.refusal('connections_per_ip', new SyncError('TOO_MANY_CONNECTIONS', `more than ${this.ctx.settings.maxConnectionsPerIp} open connections from this address (MAX_CONNECTIONS_PER_IP)`));
  }

  private refusal(limit: Limit, error: SyncError): SyncError {
    this.ctx.metrics.limit(limit);
    this.ctx.metrics.reject(error.code);
    return error;
  }

  private release(key: string): void {
    const n = (this.perAddress.get(key) ?? 1) - 1;
    if (n <= 0) this.perAddress.delete(key);
    else this.perAddress.set(key, n);
  }
}

/**
 * Answers a refused connection with the error as HTTP (what a client sends first is a request or an
 * upgrade) and closes it once the answer is out; what the client sends meanwhile is read and dropped,
 * so closing does not turn into a reset that could lose the answer.
 */
function refuseConnection(socket: Socket, error: SyncError): void {
  socket.on('error', () => socket.destroy());
  socket.resume();
  socket.setTimeout(REFUSED_LINGER_MS, () => socket.destroy());
  refuseUpgrade(socket, error, randomUUID(), { 'Retry-After': '1' });
}
