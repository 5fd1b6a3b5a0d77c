// Messages from the UI iframe are checked before anything acts on them; each misuse has its reason.

import { parseUiMessage } from '../../../figma-plugin/main/ui-messages';
import { gridText } from '../../../shared/protocol/grid-text';

const GRID = { tabs: [{ tabId: 1, name: 'Colors', rows: [['Name', 'Value'], ['a', 1]] }] };

test('a well-formed apply is accepted as it is', () => {
  const message = { type: 'apply', position: { epoch: 'e', seq: 4 }, grid: GRID, hash: 'c0ffee'.padEnd(64, '0'), snapshot: true, at: 1700000000000, title: 'Tokens' };
  expect(parseUiMessage(message)).toEqual({ ok: true, message });
});

test('an apply carrying the grid as its transfer text (gridText) (as the window sends it) is read into that grid', () => {
  const grid = { tabs: [GRID.tabs[0]!, { tabId: 7, name: 'Spacing', rows: [['Name', 'Value'], ['space/s', 4], ['flag', true]] }] };
  const message = { type: 'apply', position: { epoch: 'e', seq: 4 }, gridText: gridText(grid.tabs), hash: 'c0ffee'.padEnd(64, '0'), at: 1700000000000 };
  expect(parseUiMessage(message)).toEqual({ ok: true, message: { type: 'apply', position: { epoch: 'e', seq: 4 }, grid, hash: message.hash, at: message.at } });
});

test('an apply without hash or snapshot mark (from an older window) is accepted without them', () => {
  const message = { type: 'apply', position: { epoch: 'e', seq: 4 }, grid: GRID };
  expect(parseUiMessage(message)).toEqual({ ok: true, message });
});

test.each([
  ['not an object', 'apply', 'a UI message must be an object with a string type'],
  ['no type', {}, 'a UI message must be an object with a string type'],
  ['an unknown type', { type: 'explode' }, 'unknown UI message type "explode"'],
  ['an apply without a grid', { type: 'apply', position: { epoch: 'e', seq: 1 } }, 'apply: exactly one of gridText and grid must be given'],
  ['an apply with both a grid and its text', { type: 'apply', position: { epoch: 'e', seq: 1 }, grid: GRID, gridText: gridText(GRID.tabs) }, 'apply: exactly one of gridText and grid must be given'],
  ['an apply whose grid is not an object', { type: 'apply', position: { epoch: 'e', seq: 1 }, grid: 'tabs' }, 'apply: grid must be {tabs: [...]}'],
  ['an apply whose grid text is not text', { type: 'apply', position: { epoch: 'e', seq: 1 }, gridText: [[1, 'x', []]] }, 'apply: gridText must be a string'],
  ['an apply whose grid text is not JSON', { type: 'apply', position: { epoch: 'e', seq: 1 }, gridText: '[[1, "x", [' }, 'apply: gridText must be JSON'],
  ['an apply whose grid text is not a list of tabs', { type: 'apply', position: { epoch: 'e', seq: 1 }, gridText: '{"tabs":[]}' }, 'apply: gridText must be a JSON list of [tabId, name, rows]'],
  ['an apply whose grid text has a tab of two parts', { type: 'apply', position: { epoch: 'e', seq: 1 }, gridText: '[[1, "x"]]' }, 'apply: gridText[0] must be [tabId, name, rows]'],
  [
    'an apply whose grid text has an object in a cell',
    { type: 'apply', position: { epoch: 'e', seq: 1 }, gridText: '[[1, "x", [["a", {}]]]]' },
    'apply: gridText describes a bad grid: grid.tabs[0].rows[0] must be an array of strings, finite numbers or booleans',
  ],
  ['an apply whose grid text has a negative tab id', { type: 'apply', position: { epoch: 'e', seq: 1 }, gridText: '[[-1, "x", []]]' }, 'apply: gridText describes a bad grid: grid.tabs[0] must be {tabId, name, rows}'],
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
  ['an export of collections named by numbers', { type: 'export-request', collectionIds: [1] }, 'export-request: collectionIds must be an array of collection ids'],
  ['an adoption without ids', { type: 'adopt' }, 'adopt: collectionIds must be an array of collection ids'],
  ['a declined adoption with an empty id', { type: 'decline-adoption', collectionIds: [''] }, 'decline-adoption: collectionIds must be an array of collection ids'],
  ['an export record of a too long id', { type: 'exported', collectionIds: ['x'.repeat(101)] }, 'exported: collectionIds must be an array of collection ids'],
])('%s is refused', (_, raw, message) => {
  expect(parseUiMessage(raw)).toEqual({ ok: false, message });
});

test('messages without fields keep only their type', () => {
  expect(parseUiMessage({ type: 'approve-pending', extra: 1 })).toEqual({ ok: true, message: { type: 'approve-pending' } });
});

test.each(['approve-drift', 'dismiss-drift', 'diagnose'])('"%s" carries nothing but its type', (type) => {
  expect(parseUiMessage({ type, extra: 1 })).toEqual({ ok: true, message: { type } });
});

test('export, adoption and the export record carry their collection ids', () => {
  expect(parseUiMessage({ type: 'export-request' })).toEqual({ ok: true, message: { type: 'export-request' } });
  expect(parseUiMessage({ type: 'export-request', collectionIds: ['C:1'] })).toEqual({ ok: true, message: { type: 'export-request', collectionIds: ['C:1'] } });
  for (const type of ['exported', 'adopt', 'decline-adoption'] as const) {
    expect(parseUiMessage({ type, collectionIds: ['C:1'], extra: 1 })).toEqual({ ok: true, message: { type, collectionIds: ['C:1'] } });
  }
});
