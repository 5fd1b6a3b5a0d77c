import {
  OUTBOX_KEY,
  collapse,
  emptyOutbox,
  enqueue,
  failed,
  hasPending,
  isDue,
  outboxFromProperties,
  outboxWrites,
  peek,
  pendingCount,
  shift,
  snapshotSent,
  succeeded,
  type Outbox,
} from '../../../apps-script/core/outbox';

const limits = { maxEntries: 3, maxEntryBytes: 100, maxBytes: 250 };
const change = (n: number, pad = 0) => JSON.stringify({ id: `c${n}`, pad: 'x'.repeat(pad) });

/** Applies the writes to a property map, as PropertiesService would. */
function store(props: Record<string, string>, before: Outbox, after: Outbox): Record<string, string> {
  const { set, remove } = outboxWrites(before, after);
  const next = { ...props, ...set };
  for (const k of remove) delete next[k];
  return next;
}

describe('the outbox', () => {
  it('keeps changes in the order they were queued', () => {
    let o = emptyOutbox();
    for (const n of [1, 2, 3]) o = enqueue(o, change(n), limits);
    const seen: string[] = [];
    for (let first = peek(o); first; first = peek(o)) {
      seen.push(first.json);
      o = shift(o);
    }
    expect(seen).toEqual([change(1), change(2), change(3)]);
    expect(hasPending(o)).toBe(false);
  });

  it('collapses into one snapshot when a change would exceed the number of entries', () => {
    let o = emptyOutbox();
    for (const n of [1, 2, 3, 4]) o = enqueue(o, change(n), limits);
    expect({ snapshot: o.meta.snapshot, entries: o.entries.size, pending: pendingCount(o) }).toEqual({ snapshot: true, entries: 0, pending: 1 });
  });

  it('collapses when one change is larger than a property value may be', () => {
    const o = enqueue(enqueue(emptyOutbox(), change(1), limits), change(2, 200), limits);
    expect([o.meta.snapshot, o.entries.size]).toEqual([true, 0]);
  });

  it('collapses when the changes together would exceed the byte budget', () => {
    let o = emptyOutbox();
    for (const n of [1, 2, 3]) o = enqueue(o, change(n, 80), limits);
    expect([o.meta.snapshot, o.entries.size]).toEqual([true, 0]);
  });

  it('queues nothing behind a pending snapshot, which will carry it', () => {
    const o = enqueue(collapse(emptyOutbox()), change(1), limits);
    expect([o.meta.snapshot, o.entries.size]).toEqual([true, 0]);
    expect(hasPending(snapshotSent(o))).toBe(false);
  });

  it('waits out the backoff after a failure and starts over after a success', () => {
    const o = failed(enqueue(emptyOutbox(), change(1), limits), 1_000, 0);
    expect([o.meta.attempts, o.meta.nextAttemptAt]).toEqual([1, 1_000 + 2_500]);
    expect([isDue(o, 3_499), isDue(o, 3_500)]).toEqual([false, true]);
    expect(succeeded(o).meta).toEqual({ ...o.meta, attempts: 0, nextAttemptAt: 0 });
  });

  it('stores each change under its own key and reads the same outbox back', () => {
    let o = emptyOutbox();
    for (const n of [1, 2]) o = enqueue(o, change(n), limits);
    o = failed(o, 5, 0);
    const props = store({ other: 'kept' }, emptyOutbox(), o);
    expect(props).toEqual({ other: 'kept', [OUTBOX_KEY]: JSON.stringify(o.meta), 'sfs.q.0': change(1), 'sfs.q.1': change(2) });
    expect(outboxFromProperties(props)).toEqual(o);
  });

  it('writes only what changed: a shifted entry is deleted, the rest untouched', () => {
    let o = emptyOutbox();
    for (const n of [1, 2]) o = enqueue(o, change(n), limits);
    const next = shift(o);
    expect(outboxWrites(o, next)).toEqual({ set: { [OUTBOX_KEY]: JSON.stringify(next.meta) }, remove: ['sfs.q.0'] });
  });

  it('removes every key once nothing waits and no failure is counted', () => {
    const o = enqueue(emptyOutbox(), change(1), limits);
    const props = store({}, emptyOutbox(), o);
    expect(store(props, o, succeeded(shift(o)))).toEqual({});
  });

  it('writes nothing for an empty outbox that stays empty', () => {
    expect(outboxWrites(emptyOutbox(), emptyOutbox())).toEqual({ set: {}, remove: [] });
  });

  it('collapses into a snapshot when an entry is missing from the properties', () => {
    const o = enqueue(enqueue(emptyOutbox(), change(1), limits), change(2), limits);
    const props = store({}, emptyOutbox(), o);
    delete props['sfs.q.1'];
    expect(outboxFromProperties(props)).toEqual({ meta: { ...o.meta, snapshot: true, head: 2, bytes: 0 }, entries: new Map() });
  });

  it('collapses into a snapshot when the outbox record is damaged', () => {
    expect(outboxFromProperties({ [OUTBOX_KEY]: '{' }).meta.snapshot).toBe(true);
    expect(outboxFromProperties({ [OUTBOX_KEY]: '{"head":2,"tail":1,"snapshot":false,"bytes":0,"attempts":0,"nextAttemptAt":0}' }).meta.snapshot).toBe(true);
  });
});
