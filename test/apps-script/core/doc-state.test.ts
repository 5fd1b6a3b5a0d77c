import { KEYS, disconnectedState, docStateWrites, isAddonKey, readDocState } from '../../../apps-script/core/doc-state';
import { enqueue } from '../../../apps-script/core/outbox';

describe('the add-on’s state in document properties', () => {
  it('reads back what it wrote', () => {
    const before = disconnectedState();
    const next = {
      ...before,
      channel: { channelId: 'c'.repeat(32), relayUrl: 'https://r.example.com', connectedAt: 3 },
      secret: 's'.repeat(43),
      tabs: { mode: 'chosen' as const, tabs: [{ tabId: 0, name: 'Colors' }] },
      paused: true,
      outbox: enqueue(before.outbox, '{"id":"x"}'),
      last: { at: 4, epoch: 'e', seq: 2, hash: 'h' },
      extents: { '0': { rows: 3, cols: 2 } },
      error: { code: 'RELAY_UNREACHABLE' as const, message: 'm', at: 5, stop: false },
      prints: { '0': '0123456789abcdef' },
      reauth: { userkey1: 6 },
      members: { userkey1: 2, userkey2: 3 },
    };
    const { set, remove } = docStateWrites({}, before, next);
    expect(remove).toEqual([]);
    expect(readDocState(set)).toEqual(next);
  });

  it('writes only the keys whose values changed', () => {
    const props = { [KEYS.paused]: '1', [KEYS.secret]: 'abc' };
    const state = readDocState(props);
    expect(docStateWrites(props, state, { ...state, paused: false })).toEqual({ set: {}, remove: [KEYS.paused] });
    expect(docStateWrites(props, state, state)).toEqual({ set: {}, remove: [] });
  });

  it('drops the document-wide re-authorization an older version stored: it named no user', () => {
    expect(readDocState({ [KEYS.reauth]: '{"at":6,"url":"https://auth"}' }).reauth).toEqual({});
  });

  it('ignores damaged values instead of failing', () => {
    expect(readDocState({ [KEYS.channel]: '{', [KEYS.last]: '[]', [KEYS.extents]: '{"0":{"rows":"x"}}' })).toEqual(disconnectedState());
  });

  it('knows which keys are its own, and leaves others alone', () => {
    expect([isAddonKey(KEYS.secret), isAddonKey('sfs.q.12'), isAddonKey('ALLOW_INSECURE_RELAY_FOR_TESTS'), isAddonKey('someone.else')]).toEqual([true, true, false, false]);
  });
});
