// The hub's ordering rules with a scripted store: changes that arrive out of order, twice, or after a
// lost stretch are fanned out once each, in seq order, fetching gaps from history; a change of another
// epoch or a snapshot change makes every subscriber take the head's snapshot.

import { ChannelHub, type Subscriber } from '../../relay/channel-hub';
import { createLogger } from '../../relay/logger';
import { RelayMetrics } from '../../relay/metrics';
import type { ChannelRecord, HistoryEntry, Store } from '../../relay/store';

const CHANNEL = 'hub-test-channel-0001';

/** A store that holds a history in memory and answers only what the hub asks. */
function scriptedStore(head: number, history: Map<number, string>, epoch = 'e'): { store: Store; reads: [number, number][] } {
  const reads: [number, number][] = [];
  const partial: Pick<Store, 'follow' | 'unfollow' | 'getChannel' | 'readRange'> = {
    follow: async () => undefined,
    unfollow: async () => undefined,
    getChannel: async () => ({ channelId: CHANNEL, secret: 's', epoch, seq: head, hash: 'h', title: undefined }) satisfies ChannelRecord,
    readRange: async (_id, rangeEpoch, after, upto) => {
      reads.push([after, upto]);
      if (rangeEpoch !== epoch) return undefined;
      const out: HistoryEntry[] = [];
      for (let seq = after + 1; seq <= upto; seq++) {
        const message = history.get(seq);
        if (message === undefined) return undefined;
        out.push({ seq, kind: message.includes('"snapshot"') ? 'snapshot' : 'patch', message });
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
  readonly epochs: string[] = [];
  revoked = false;
  resyncs = 0;
  constructor(fingerprint = 'fp-current') {
    this.tokenFingerprint = fingerprint;
  }
  deliver(epoch: string, seq: number): number {
    this.received.push(seq);
    this.epochs.push(epoch);
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
const change = (seq: number, epoch = 'e', kind: 'patch' | 'snapshot' = 'patch') => ({ type: 'change' as const, epoch, seq, kind, message: Buffer.from(message(seq)), committedAt: Date.now() });

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
  hub.onEvent(CHANNEL, { type: 'head', epoch: 'e', seq: 4 });
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

test('a change of another epoch (history was reset) is never delivered as a patch: every subscriber takes a snapshot', async () => {
  const { hub } = hubWith(10, new Map());
  const subscribers = [new RecordingSubscriber(), new RecordingSubscriber()];
  for (const s of subscribers) await hub.join(s);
  // Redis lost its data and the channel was registered again: seqs start over in a new epoch. A hub
  // comparing seqs alone would drop 1-10 and deliver 11-13 as if they followed the old seq 10.
  for (let seq = 1; seq <= 13; seq++) hub.onEvent(CHANNEL, change(seq, 'e-new'));
  await hub.drained(CHANNEL);
  const after = Array.from({ length: 12 }, (_, i) => i + 2);
  expect(subscribers.map((s) => ({ received: s.received, epochs: new Set(s.epochs), resyncs: s.resyncs }))).toEqual([
    { received: after, epochs: new Set(['e-new']), resyncs: 1 },
    { received: after, epochs: new Set(['e-new']), resyncs: 1 },
  ]);
});

test('a head event of another epoch makes every subscriber take a snapshot', async () => {
  const { hub, reads } = hubWith(10, new Map());
  const subscriber = new RecordingSubscriber();
  await hub.join(subscriber);
  hub.onEvent(CHANNEL, { type: 'head', epoch: 'e-new', seq: 3 });
  await hub.drained(CHANNEL);
  expect({ resyncs: subscriber.resyncs, received: subscriber.received, reads }).toEqual({ resyncs: 1, received: [], reads: [] });
});

test('a snapshot change reaches subscribers as a resync (they take the head snapshot), and patches after it follow', async () => {
  const { hub } = hubWith(1, new Map());
  const subscriber = new RecordingSubscriber();
  await hub.join(subscriber);
  hub.onEvent(CHANNEL, change(2, 'e', 'snapshot'));
  hub.onEvent(CHANNEL, change(3));
  await hub.drained(CHANNEL);
  expect({ resyncs: subscriber.resyncs, received: subscriber.received }).toEqual({ resyncs: 1, received: [3] });
});

test('a gap holding a snapshot change is not filled patch by patch: subscribers take the snapshot', async () => {
  const history = new Map([
    [2, message(2)],
    [3, '{"type":"snapshot","seq":3}'],
  ]);
  const { hub } = hubWith(1, history);
  const subscriber = new RecordingSubscriber();
  await hub.join(subscriber);
  hub.onEvent(CHANNEL, change(4));
  hub.onEvent(CHANNEL, change(5));
  await hub.drained(CHANNEL);
  expect({ resyncs: subscriber.resyncs, received: subscriber.received }).toEqual({ resyncs: 1, received: [5] });
});
