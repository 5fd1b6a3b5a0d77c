// The hub's ordering rules with a scripted store: changes that arrive out of order, twice, or after a
// lost stretch are fanned out once each, in seq order, fetching gaps from history.

import { ChannelHub, type Subscriber } from '../../relay/channel-hub';
import { createLogger } from '../../relay/logger';
import { RelayMetrics } from '../../relay/metrics';
import type { ChannelRecord, HistoryEntry, Store } from '../../relay/store';

const CHANNEL = 'hub-test-channel-0001';

/** A store that holds a history in memory and answers only what the hub asks. */
function scriptedStore(head: number, history: Map<number, string>): { store: Store; reads: [number, number][] } {
  const reads: [number, number][] = [];
  const partial: Pick<Store, 'follow' | 'unfollow' | 'getChannel' | 'readRange'> = {
    follow: async () => undefined,
    unfollow: async () => undefined,
    getChannel: async () => ({ channelId: CHANNEL, secret: 's', epoch: 'e', seq: head, hash: 'h', title: undefined }) satisfies ChannelRecord,
    readRange: async (_id, after, upto) => {
      reads.push([after, upto]);
      const out: HistoryEntry[] = [];
      for (let seq = after + 1; seq <= upto; seq++) {
        const message = history.get(seq);
        if (message === undefined) return undefined;
        out.push({ seq, kind: 'patch', message });
      }
      return out;
    },
  };
  return { store: partial as Store, reads };
}

class RecordingSubscriber implements Subscriber {
  readonly channelId = CHANNEL;
  readonly tokenFingerprint: string;
  readonly received: number[] = [];
  revoked = false;
  resyncs = 0;
  constructor(fingerprint = 'fp-current') {
    this.tokenFingerprint = fingerprint;
  }
  deliver(seq: number): number {
    this.received.push(seq);
    return 1;
  }
  revoke(): void {
    this.revoked = true;
  }
  resync(): void {
    this.resyncs++;
  }
}

const message = (seq: number): string => `{"type":"patch","seq":${seq}}`;
const change = (seq: number) => ({ type: 'change' as const, seq, message: message(seq), committedAt: Date.now() });

function hubWith(head: number, history: Map<number, string>) {
  const { store, reads } = scriptedStore(head, history);
  const hub = new ChannelHub(store, new RelayMetrics({ processMetrics: false }), createLogger('silent'));
  return { hub, reads };
}

test('changes arriving in order are delivered once each, in order', async () => {
  const { hub, reads } = hubWith(0, new Map());
  const subscriber = new RecordingSubscriber();
  await hub.join(subscriber);
  for (const seq of [1, 2, 3]) hub.onEvent(CHANNEL, change(seq));
  await hub.drained(CHANNEL);
  expect({ received: subscriber.received, reads }).toEqual({ received: [1, 2, 3], reads: [] });
});

test('a change that arrives ahead of its predecessors waits while the gap is read from history', async () => {
  const history = new Map([
    [2, message(2)],
    [3, message(3)],
  ]);
  const { hub, reads } = hubWith(1, history);
  const subscriber = new RecordingSubscriber();
  await hub.join(subscriber);
  hub.onEvent(CHANNEL, change(4));
  hub.onEvent(CHANNEL, change(2));
  hub.onEvent(CHANNEL, change(3));
  hub.onEvent(CHANNEL, change(5));
  await hub.drained(CHANNEL);
  expect({ received: subscriber.received, reads }).toEqual({ received: [2, 3, 4, 5], reads: [[1, 3]] });
});

test('a change at or below the last delivered seq is dropped', async () => {
  const { hub } = hubWith(5, new Map());
  const subscriber = new RecordingSubscriber();
  await hub.join(subscriber);
  hub.onEvent(CHANNEL, change(5));
  hub.onEvent(CHANNEL, change(6));
  hub.onEvent(CHANNEL, change(6));
  await hub.drained(CHANNEL);
  expect(subscriber.received).toEqual([6]);
});

test('a gap that history no longer holds makes every subscriber resync from a snapshot', async () => {
  const { hub } = hubWith(1, new Map());
  const subscribers = [new RecordingSubscriber(), new RecordingSubscriber()];
  for (const s of subscribers) await hub.join(s);
  hub.onEvent(CHANNEL, change(4));
  hub.onEvent(CHANNEL, change(5));
  await hub.drained(CHANNEL);
  expect(subscribers.map((s) => ({ received: s.received, resyncs: s.resyncs }))).toEqual([
    { received: [5], resyncs: 1 },
    { received: [5], resyncs: 1 },
  ]);
});

test('a head event after a lost connection fans out the changes that were missed', async () => {
  const history = new Map([
    [3, message(3)],
    [4, message(4)],
  ]);
  const { hub } = hubWith(2, history);
  const subscriber = new RecordingSubscriber();
  await hub.join(subscriber);
  hub.onEvent(CHANNEL, { type: 'head', seq: 4 });
  hub.onEvent(CHANNEL, change(4));
  await hub.drained(CHANNEL);
  expect(subscriber.received).toEqual([3, 4]);
});

test('a revocation closes only the subscribers holding the revoked token', async () => {
  const { hub } = hubWith(0, new Map());
  const old = new RecordingSubscriber('fp-old');
  const current = new RecordingSubscriber('fp-current');
  await hub.join(old);
  await hub.join(current);
  hub.onEvent(CHANNEL, { type: 'revoked', fingerprint: 'fp-old' });
  expect({ old: old.revoked, current: current.revoked }).toEqual({ old: true, current: false });
});

test('a subscriber that left gets nothing more, and the count follows joins and leaves', async () => {
  const { hub } = hubWith(0, new Map());
  const staying = new RecordingSubscriber();
  const leaving = new RecordingSubscriber();
  await hub.join(staying);
  await hub.join(leaving);
  expect(hub.count(CHANNEL)).toBe(2);
  hub.leave(leaving);
  expect(hub.count(CHANNEL)).toBe(1);
  hub.onEvent(CHANNEL, change(1));
  await hub.drained(CHANNEL);
  expect({ staying: staying.received, leaving: leaving.received }).toEqual({ staying: [1], leaving: [] });
});
