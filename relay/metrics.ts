// The relay's Prometheus metrics (prom-client), in a registry of its own so two relays in one
// process (tests) do not collide. Label values are bounded: message types, error codes, store ops.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ErrorCode } from '../shared/protocol/errors';

export type OutgoingType = 'welcome' | 'snapshot' | 'patch' | 'pong' | 'offered' | 'offer-refused';
export type IncomingType = 'hello' | 'applied' | 'ping' | 'resync' | 'offer';
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
  | 'idle_timeout'
  | 'tokens_per_channel'
  | 'tokens_per_ip'
  | 'tokens_queue';
export type StoreOp = 'append' | 'answer' | 'head' | 'chunks' | 'catch_up' | 'channel' | 'register' | 'rotate' | 'clients';
export type ResyncAnswer = 'snapshot' | 'current' | 'delayed';

/** Live values read when /metrics is scraped. */
export interface MetricSources {
  headCacheBytes(): number;
  outgoingBytes(): number;
  ingestWorkersBusy(): number;
}

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
  readonly snapshotBuilds: Histogram;
  readonly ingestSeconds: Histogram<'where'>;
  readonly ingestQueued: Gauge;
  readonly ingestQueuedBytes: Gauge;
  readonly resyncs: Counter<'answer'>;
  readonly slowConsumersDropped: Counter<'why'>;
  private sources: MetricSources | undefined;
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
    this.snapshotBuilds = new Histogram({
      name: 'relay_snapshot_build_seconds',
      help: 'Snapshot messages built from stored chunks (once per head, shared by every socket that needs it), and how long each took.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.ingestSeconds = new Histogram({
      name: 'relay_ingest_seconds',
      help: 'Time applying changes, by where: main (parse, apply and hash on the thread serving sockets) or worker (the whole ingest of a large change).',
      labelNames: ['where'],
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.ingestQueued = new Gauge({ name: 'relay_ingest_queued_changes', help: 'Changes waiting or in progress on this process.', registers });
    this.ingestQueuedBytes = new Gauge({ name: 'relay_ingest_queued_bytes', help: 'Body bytes of the changes waiting or in progress on this process.', registers });
    this.resyncs = new Counter({ name: 'relay_resyncs_total', help: 'resync messages, by answer: snapshot (sent), current (the socket already had it), delayed (merged into a later answer).', labelNames: ['answer'], registers });
    this.slowConsumersDropped = new Counter({
      name: 'relay_slow_consumers_total',
      help: 'Sockets closed with 4431 SLOW_CONSUMER, by why: socket (its own backlog) or total (the outgoing buffer across all sockets was full).',
      labelNames: ['why'],
      registers,
    });
    // prom-client calls collect with the gauge as `this` when /metrics is read.
    const live = (pick: (sources: MetricSources) => number) => {
      const sources = (): MetricSources | undefined => this.sources;
      return function (this: Gauge): void {
        const from = sources();
        if (from) this.set(pick(from));
      };
    };
    new Gauge({ name: 'relay_head_cache_bytes', help: 'Bytes held by the cached channel heads (measured), within HEAD_CACHE_BYTES.', registers, collect: live((s) => s.headCacheBytes()) });
    new Gauge({
      name: 'relay_outgoing_buffered_bytes',
      help: 'Bytes waiting to be sent across all sockets, each shared buffer counted once, within OUTGOING_BUFFER_BYTES.',
      registers,
      collect: live((s) => s.outgoingBytes()),
    });
    new Gauge({ name: 'relay_ingest_workers_busy', help: 'Ingest workers working on a change.', registers, collect: live((s) => s.ingestWorkersBusy()) });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Where the live gauges read their values. */
  observe(sources: MetricSources): void {
    this.sources = sources;
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
