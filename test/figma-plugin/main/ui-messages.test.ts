// Messages from the UI iframe are checked before anything acts on them; each misuse has its reason.

import { parseUiMessage } from '../../../figma-plugin/main/ui-messages';

const GRID = { tabs: [{ tabId: 1, name: 'Colors', rows: [['Name', 'Value'], ['a', 1]] }] };

test('a well-formed apply is accepted as it is', () => {
  const message = { type: 'apply', position: { epoch: 'e', seq: 4 }, grid: GRID, hash: 'c0ffee'.padEnd(64, '0'), snapshot: true, at: 1700000000000, title: 'Tokens' };
  expect(parseUiMessage(message)).toEqual({ ok: true, message });
});

test('an apply without hash or snapshot mark (from an older window) is accepted without them', () => {
  const message = { type: 'apply', position: { epoch: 'e', seq: 4 }, grid: GRID };
  expect(parseUiMessage(message)).toEqual({ ok: true, message });
});

test.each([
  ['not an object', 'apply', 'a UI message must be an object with a string type'],
  ['no type', {}, 'a UI message must be an object with a string type'],
  ['an unknown type', { type: 'explode' }, 'unknown UI message type "explode"'],
  ['an apply without a grid', { type: 'apply', position: { epoch: 'e', seq: 1 } }, 'apply: grid must be {tabs: [...]}'],
  ['an apply with a negative seq', { type: 'apply', position: { epoch: 'e', seq: -1 }, grid: GRID }, 'apply: position must be {epoch: non-empty string, seq: whole number ≥ 0}'],
  ['an apply with a tab missing its rows', { type: 'apply', position: { epoch: 'e', seq: 1 }, grid: { tabs: [{ tabId: 1, name: 'x' }] } }, 'apply: grid.tabs[0] must be {tabId, name, rows}'],
  [
    'an apply with an object in a cell',
    { type: 'apply', position: { epoch: 'e', seq: 1 }, grid: { tabs: [{ tabId: 1, name: 'x', rows: [['a', {}]] }] } },
    'apply: grid.tabs[0].rows[0] must be an array of strings, finite numbers or booleans',
  ],
  ['an apply with a hash in capitals', { type: 'apply', position: { epoch: 'e', seq: 1 }, grid: GRID, hash: 'A'.repeat(64) }, 'apply: hash must be 64 lowercase hex digits'],
  ['an apply with a short hash', { type: 'apply', position: { epoch: 'e', seq: 1 }, grid: GRID, hash: 'abc' }, 'apply: hash must be 64 lowercase hex digits'],
  ['an apply with a snapshot mark that is not a boolean', { type: 'apply', position: { epoch: 'e', seq: 1 }, grid: GRID, snapshot: 'yes' }, 'apply: snapshot must be a boolean'],
  ['an apply with a text `at`', { type: 'apply', position: { epoch: 'e', seq: 1 }, grid: GRID, at: 'now' }, 'apply: at must be a whole number of ms'],
  ['a link without a token', { type: 'link-save', link: { relayUrl: 'https://r', channelId: 'c' } }, 'link-save: link must be {relayUrl, channelId, token}'],
  ['orphans to remove that are not ids', { type: 'remove-orphans', variableIds: [1] }, 'remove-orphans: variableIds must be an array of strings'],
  ['settings missing review', { type: 'settings', settings: { paused: true } }, 'settings: settings must be {paused: boolean, review: boolean}'],
])('%s is refused', (_, raw, message) => {
  expect(parseUiMessage(raw)).toEqual({ ok: false, message });
});

test('messages without fields keep only their type', () => {
  expect(parseUiMessage({ type: 'approve-pending', extra: 1 })).toEqual({ ok: true, message: { type: 'approve-pending' } });
});
