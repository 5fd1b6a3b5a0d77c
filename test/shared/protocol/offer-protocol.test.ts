// The Offer (a Figma file's variables as sheet tabs) and the socket messages that carry it: checked
// like every other body, each misuse named by its field.

import { parseClientMessage, parseOffer, parseServerMessage, type Offer } from '../../../shared/protocol/messages';

const OFFER: Offer = {
  id: 'o-abc',
  file: { name: 'Design System.fig' },
  at: 1717000000000,
  collections: [{ collectionId: 'VariableCollectionId:1:2', name: 'Colors', modes: ['Light'], variables: 1, values: [['Name', 'Light'], ['color/bg', '#ffffff']] }],
};

describe('Offer', () => {
  test('a well-formed offer parses, with or without problems', () => {
    expect(parseOffer(OFFER)).toEqual({ ok: true, value: OFFER });
    const withProblems = { ...OFFER, problems: [{ tab: 'Colors', cell: '', severity: 'error', message: 'x', code: 'EXPORT_NAME_UNSUPPORTED' }] };
    expect(parseOffer(withProblems).ok).toBe(true);
  });

  test.each([
    [{ ...OFFER, collections: [] }, 'collections must list at least one collection'],
    [{ ...OFFER, id: 'has space' }, 'id must be 1-64 characters of A-Z a-z 0-9 _ . : -'],
    [{ ...OFFER, extra: 1 }, 'extra is not a known field'],
    [{ ...OFFER, collections: [{ ...OFFER.collections[0]!, name: '' }] }, 'collections[0].name must not be empty'],
    [{ ...OFFER, collections: [{ ...OFFER.collections[0]!, modes: [] }] }, 'collections[0].modes must list at least one mode'],
    [{ ...OFFER, collections: [{ ...OFFER.collections[0]!, values: [[{}]] }] }, 'collections[0].values[0][0] must be a string, a finite number or a boolean'],
    [{ ...OFFER, file: {} }, 'file.name is missing'],
  ])('%# refuses a malformed offer naming the field', (input, message) => {
    expect(parseOffer(input)).toEqual({ ok: false, message });
  });
});

describe('offer messages', () => {
  test('a slice is a client message; its part must be below 64 and its text a string', () => {
    expect(parseClientMessage({ type: 'offer', id: 'o-1', part: 0, parts: 2, text: '{' }).ok).toBe(true);
    expect(parseClientMessage({ type: 'offer', id: 'o-1', part: 64, parts: 2, text: '' })).toEqual({ ok: false, message: 'part must be ≤ 63' });
    expect(parseClientMessage({ type: 'offer', id: 'o-1', part: 0, parts: 65, text: '' })).toEqual({ ok: false, message: 'parts must be ≤ 64' });
    expect(parseClientMessage({ type: 'offer', id: 'o-1', part: 0, parts: 1 })).toEqual({ ok: false, message: 'text is missing' });
  });

  test('the relay\'s answers parse on the plugin\'s side', () => {
    expect(parseServerMessage({ type: 'offered', id: 'o-1', expiresAt: 5 }).ok).toBe(true);
    expect(parseServerMessage({ type: 'offer-refused', id: 'o-1', code: 'OFFER_TOO_LARGE', message: 'm' }).ok).toBe(true);
  });
});
