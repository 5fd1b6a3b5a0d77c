// The relay's Prometheus metrics (prom-client), in a registry of its own so two relays in one
// process (tests) do not collide. Label values are bounded: message types, error codes, store ops.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ErrorCode } from '../shared/errors';

export type OutgoingType = 'welcome' | 'snapshot' | 'patch' | 'pong' | 'offered' | 'offer-refused';
export type IncomingType = 'hello' | 'applied' | 'ping' | 'resync' | 'offer';
export type StoreOp = 'append' | 'answer' | 'head' | 'catch_up' | 'channel' | 'register' | 'rotate' | 'clients';
/** Each bound that can refuse or cut a client, as the `limit` label of relay_limited_total. */
export type Limit =
  | 'connections'
  | 'connections_per_ip'
  | 'connection_rate_per_ip'
  | 'body_bytes_in_flight'
  | 'registrations_per_ip'
  | 'registrations'
  | 'channels'
  | 'rotations'
  | 'requests_per_channel'
  | 'sockets_per_channel'
  | 'sockets_per_channel_per_ip'
  | 'socket_messages'
  | 'request_timeout'
  | 'idle_timeout';

export class RelayMetrics {
  readonly registry = new Registry();
  readonly connections: Gauge;
  readonly channels: Gauge;
  readonly messagesIn: Counter<'type'>;
  readonly messagesOut: Counter<'type'>;
  readonly changes: Counter<'outcome'>;
  readonly rejections: Counter<'reason'>;
  readonly httpRequests: Counter<'route' | 'status'>;
  readonly publishToSend: Histogram;
  readonly storeSeconds: Histogram<'op'>;
  readonly limited: Counter<'limit'>;
  readonly tcpConnections: Gauge;
  readonly inflightBodyBytes: Gauge;
  readonly storedChannels: Gauge;
  readonly expiredChannels: Counter;
  private readonly outByType = new Map<OutgoingType, { inc(n?: number): void }>();

  constructor(options: { processMetrics: boolean }) {
    const registers = [this.registry];
    this.connections = new Gauge({ name: 'relay_connections', help: 'Open WebSocket connections on this process.', registers });
    this.channels = new Gauge({ name: 'relay_followed_channels', help: 'Channels with at least one socket on this process.', registers });
    this.messagesIn = new Counter({ name: 'relay_messages_in_total', help: 'Socket messages received, by type.', labelNames: ['type'], registers });
    this.messagesOut = new Counter({ name: 'relay_messages_out_total', help: 'Socket messages sent, by type.', labelNames: ['type'], registers });
    this.changes = new Counter({ name: 'relay_changes_total', help: 'Changes posted, by outcome (accepted, duplicate, mismatch).', labelNames: ['outcome'], registers });
    this.rejections = new Counter({ name: 'relay_rejections_total', help: 'Requests and sockets refused, by error code.', labelNames: ['reason'], registers });
    this.httpRequests = new Counter({ name: 'relay_http_requests_total', help: 'HTTP requests answered, by route and status.', labelNames: ['route', 'status'], registers });
    this.publishToSend = new Histogram({
      name: 'relay_publish_to_send_seconds',
      help: 'From the commit of a change to its send to the last subscriber on this process.',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.storeSeconds = new Histogram({
      name: 'relay_store_seconds',
      help: 'Time spent in store operations, by operation.',
      labelNames: ['op'],
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers,
    });
    this.limited = new Counter({ name: 'relay_limited_total', help: 'Requests, connections and sockets refused or cut by a bound, by limit.', labelNames: ['limit'], registers });
    this.tcpConnections = new Gauge({ name: 'relay_tcp_connections', help: 'Open TCP connections (HTTP and WebSocket) on this process.', registers });
    this.inflightBodyBytes = new Gauge({ name: 'relay_inflight_body_bytes', help: 'Request body bytes held by requests in progress on this process.', registers });
    this.storedChannels = new Gauge({ name: 'relay_stored_channels', help: 'Channels the store holds (refreshed every sweep and registration).', registers });
    this.expiredChannels = new Counter({ name: 'relay_expired_channels_total', help: 'Channels forgotten after CHANNEL_IDLE_SECONDS without activity (SQLite sweeps; Redis expires keys itself).', registers });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts sent messages; the labelled child is cached because fan-out calls this per change. */
  sent(type: OutgoingType, count = 1): void {
    let child = this.outByType.get(type);
    if (!child) this.outByType.set(type, (child = this.messagesOut.labels(type)));
    child.inc(count);
  }

  /** Counts one refusal by a bound; callers also reject(code) when a client is answered. */
  limit(limit: Limit): void {
    this.limited.labels(limit).inc();
  }

  reject(code: ErrorCode): void {
    this.rejections.labels(code).inc();
  }

  /** Times a store call. */
  async timeStore<T>(op: StoreOp, work: () => Promise<T>): Promise<T> {
    const end = this.storeSeconds.labels(op).startTimer();
    try {
      return await work();
    } finally {
      end();
    }
  }
}
