// The outgoing budget with scripted sockets: a buffer shared by many sockets counts once, a socket that
// caught up is forgotten, and past the limit the sockets backlogged the longest are dropped first.

import { LARGE_SEND_BYTES, OutgoingBudget, type OutgoingHolder } from '../../relay/outgoing-budget';

/** A socket whose sends stay queued until flush() (like a peer that stopped reading). */
class FakeSocket implements OutgoingHolder {
  dropped = false;
  private queued: { bytes: number; done?: () => void }[] = [];
  private waiting = 0;
  readonly ws: OutgoingHolder['ws'];
  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const socket = this;
    this.ws = {
      send: ((data: Buffer, _options: unknown, done?: () => void) => {
        socket.queued.push({ bytes: data.byteLength, ...(done ? { done } : {}) });
        socket.waiting += data.byteLength;
      }) as OutgoingHolder['ws']['send'],
      get bufferedAmount() {
        return socket.waiting;
      },
    };
  }
  flush(): void {
    for (const q of this.queued.splice(0)) {
      this.waiting -= q.bytes;
      q.done?.();
    }
  }
  dropForBudget(): void {
    this.dropped = true;
  }
}

const MB = 1024 * 1024;

test('one snapshot buffer queued on a hundred sockets counts once', () => {
  const budget = new OutgoingBudget(10 * MB);
  const snapshot = Buffer.alloc(5 * MB);
  const sockets = Array.from({ length: 100 }, () => new FakeSocket());
  for (const s of sockets) budget.send(s, snapshot);
  expect(budget.total()).toBe(5 * MB);
  expect(sockets.some((s) => s.dropped)).toBe(false);
});

test('a socket that took its data is no longer counted', () => {
  const budget = new OutgoingBudget(10 * MB);
  const socket = new FakeSocket();
  budget.send(socket, Buffer.alloc(2 * MB));
  budget.send(socket, Buffer.alloc(100));
  expect(budget.total()).toBe(2 * MB + 100);
  socket.flush();
  budget.sweep();
  expect(budget.total()).toBe(0);
});

test('past the limit the socket backlogged the longest is dropped first, then the next, until the total fits', () => {
  let now = 0;
  const budget = new OutgoingBudget(10 * MB, () => now);
  const sockets = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
  // Each stalled at a different time, each holding a different 4 MB snapshot.
  sockets.forEach((socket, i) => {
    now = i * 1000;
    budget.send(socket, Buffer.alloc(4 * MB));
  });
  // 12 MB held: the first (stalled at 0) goes; 8 MB fit.
  expect(sockets.map((s) => s.dropped)).toEqual([true, false, false]);
  expect(budget.total()).toBe(8 * MB);
});

test('dropping a socket frees a shared buffer only when no other socket still holds it', () => {
  let now = 0;
  const budget = new OutgoingBudget(6 * MB, () => now);
  const [a, b, c] = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
  const shared = Buffer.alloc(4 * MB);
  budget.send(a, shared);
  now = 1;
  budget.send(b, shared);
  now = 2;
  budget.send(c, Buffer.alloc(3 * MB));
  // 7 MB: a goes, but b holds the shared buffer still, so b goes too.
  expect([a.dropped, b.dropped, c.dropped]).toEqual([true, true, false]);
  expect(budget.total()).toBe(3 * MB);
});

test('a socket tells whether it still holds a buffer unsent, and forgetting it releases everything', () => {
  const budget = new OutgoingBudget(10 * MB);
  const socket = new FakeSocket();
  const snapshot = Buffer.alloc(LARGE_SEND_BYTES);
  budget.send(socket, snapshot);
  expect(budget.holds(socket, snapshot)).toBe(true);
  budget.forget(socket);
  expect([budget.holds(socket, snapshot), budget.total()]).toEqual([false, 0]);
  // A write callback arriving after the socket was forgotten changes nothing.
  socket.flush();
  expect(budget.total()).toBe(0);
});
