// The outbox measures queued changes with utf8Length: building the bytes of every change only to count them is waste.

import { emptyOutbox, enqueue, shift } from '../../../apps-script/core/outbox';

jest.mock('../../../shared/protocol/utf8', () => {
  const actual = jest.requireActual<typeof import('../../../shared/protocol/utf8')>('../../../shared/protocol/utf8');
  return {
    ...actual,
    utf8Encode: () => {
      throw new Error('the outbox must not encode a change to measure it');
    },
  };
});

describe('outbox byte counting', () => {
  it('counts queued and shifted changes in UTF-8 bytes without encoding them', () => {
    const a = '{"id":"é😀"}'; // 7 + 2 + 4 + 2 bytes
    const b = '{"id":"plain"}';
    const queued = enqueue(enqueue(emptyOutbox(), a), b);
    expect(queued.meta).toEqual({ head: 0, tail: 2, snapshot: false, bytes: 15 + 14, attempts: 0, nextAttemptAt: 0 });
    expect(shift(queued).meta).toEqual({ head: 1, tail: 2, snapshot: false, bytes: 14, attempts: 0, nextAttemptAt: 0 });
  });
});
