// Tests every protocol schema: valid examples pass unchanged, and each misuse is refused with its
// own exact message of the form "<path> <what is wrong>".

import { describeIssue, isChannelId, parseChange, parseClientMessage, parseJson, parseRegister, parseServerMessage, parseTokensAnswer, paths, type TokensAnswer } from '../../../shared/protocol/messages';
import { LIMITS, PROTOCOL_VERSION } from '../../../shared/protocol/limits';

const HASH = 'ab'.repeat(32);
const SECRET = 'q3Zt8kQm1w0bV4nR7yX2cE5uJ9hL6pA-sD_fG3kM8nB';

const patch = {
  v: 2,
  id: '5b0c2c1e-7d3f-4a8e-9f61-2b7d9c0e4a11',
  kind: 'patch',
  tabs: [
    { tabId: 0, name: 'Colors', ranges: [{ row: 2, col: 2, values: [['#0066ff', '#3385ff']] }, { row: 9, col: 1, values: [['spacing/4'], [16]] }] },
    { tabId: 1843256789, name: 'Flags', values: [['Name', 'Value'], ['beta', true], ['since', '2024-05-01T09:30:00.000Z'], ['', 1.5]] },
  ],
  hash: HASH,
  at: 1_717_000_000_000,
  title: 'Design tokens',
};
const snapshot = { v: 2, id: 'snap-1', kind: 'snapshot', tabs: [{ tabId: 0, name: 'Colors', values: [['Name'], ['a']] }], hash: HASH };

/** The patch with one tab's fields replaced. */
const patchWithTab = (tab: unknown) => ({ ...patch, tabs: [tab] });
/** The patch with one range replaced (as the first range of tab 0). */
const patchWithRange = (range: unknown) => patchWithTab({ tabId: 0, name: 'Colors', ranges: [range] });
const patchWithCell = (cell: unknown) => patchWithTab({ tabId: 0, name: 'Colors', values: [['Name', cell]] });

const refused = (message: string) => ({ ok: false, message });

describe('parseChange accepts', () => {
  it('a patch with ranges and whole-tab values, optional fields included, unchanged', () => {
    expect(parseChange(patch)).toEqual({ ok: true, value: patch });
  });

  it('a snapshot of whole tabs', () => {
    expect(parseChange(snapshot)).toEqual({ ok: true, value: snapshot });
  });

  it('a snapshot with no tabs (nothing is synced any more)', () => {
    expect(parseChange({ ...snapshot, tabs: [] })).toEqual({ ok: true, value: { ...snapshot, tabs: [] } });
  });

  it('a change with the most tabs allowed', () => {
    const tabs = Array.from({ length: LIMITS.maxTabs }, (_, i) => ({ tabId: i, name: `T${i}`, values: [] }));
    expect(parseChange({ ...snapshot, tabs }).ok).toBe(true);
  });

  it('a range at the last row and column Google Sheets has', () => {
    const range = { row: LIMITS.maxRow, col: LIMITS.maxColumn, values: [['x']] };
    expect(parseChange(patchWithRange(range))).toEqual({ ok: true, value: patchWithRange(range) });
  });

  it('a cell of the longest text a cell can hold', () => {
    expect(parseChange(patchWithCell('x'.repeat(LIMITS.maxCellChars))).ok).toBe(true);
  });

  it('tab id 0 and the largest gid', () => {
    expect(parseChange({ ...snapshot, tabs: [{ tabId: 0, name: 'A', values: [] }, { tabId: 2 ** 31 - 1, name: 'B', values: [] }] }).ok).toBe(true);
  });
});

describe('parseChange refuses', () => {
  it('a range whose row is 0, naming its path', () => {
    const change = { ...patch, tabs: [{ tabId: 0, name: 'Colors', ranges: [{ row: 1, col: 1, values: [] }, { row: 2, col: 1, values: [] }, { row: 0, col: 1, values: [['x']] }] }] };
    expect(parseChange(change)).toEqual(refused('tabs[0].ranges[2].row must be ≥ 1'));
  });

  it('a range whose row is past the last row', () => {
    expect(parseChange(patchWithRange({ row: LIMITS.maxRow + 1, col: 1, values: [] }))).toEqual(refused('tabs[0].ranges[0].row must be ≤ 10000000'));
  });

  it('a range whose row is not a whole number', () => {
    expect(parseChange(patchWithRange({ row: 1.5, col: 1, values: [] }))).toEqual(refused('tabs[0].ranges[0].row must be a whole number'));
  });

  it('a range whose row is a string', () => {
    expect(parseChange(patchWithRange({ row: '1', col: 1, values: [] }))).toEqual(refused('tabs[0].ranges[0].row must be a number'));
  });

  it('a range whose col is 0', () => {
    expect(parseChange(patchWithRange({ row: 1, col: 0, values: [] }))).toEqual(refused('tabs[0].ranges[0].col must be ≥ 1'));
  });

  it('a range whose col is past column ZZZ', () => {
    expect(parseChange(patchWithRange({ row: 1, col: LIMITS.maxColumn + 1, values: [] }))).toEqual(refused('tabs[0].ranges[0].col must be ≤ 18278'));
  });

  it('a range without values', () => {
    expect(parseChange(patchWithRange({ row: 1, col: 1 }))).toEqual(refused('tabs[0].ranges[0].values is missing'));
  });

  it('a range with a field the protocol does not have', () => {
    expect(parseChange(patchWithRange({ row: 1, col: 1, values: [], a1: 'A1' }))).toEqual(refused('tabs[0].ranges[0].a1 is not a known field'));
  });

  it('a tab with an empty ranges list', () => {
    expect(parseChange(patchWithTab({ tabId: 0, name: 'Colors', ranges: [] }))).toEqual(refused('tabs[0].ranges must not be empty'));
  });

  it('a tab whose ranges is not an array', () => {
    expect(parseChange(patchWithTab({ tabId: 0, name: 'Colors', ranges: { row: 1 } }))).toEqual(refused('tabs[0].ranges must be an array'));
  });

  it('a tab with both ranges and values', () => {
    expect(parseChange(patchWithTab({ tabId: 0, name: 'Colors', ranges: [{ row: 1, col: 1, values: [] }], values: [] }))).toEqual(
      refused('tabs[0] must be {tabId, name, ranges} or {tabId, name, values}'),
    );
  });

  it('a tab with neither ranges nor values', () => {
    expect(parseChange(patchWithTab({ tabId: 0, name: 'Colors' }))).toEqual(refused('tabs[0] must be {tabId, name, ranges} or {tabId, name, values}'));
  });

  it('a tab that is not an object', () => {
    expect(parseChange(patchWithTab('Colors'))).toEqual(refused('tabs[0] must be {tabId, name, ranges} or {tabId, name, values}'));
  });

  it('a tab with a field the protocol does not have', () => {
    expect(parseChange(patchWithTab({ tabId: 0, name: 'Colors', values: [], hidden: true }))).toEqual(refused('tabs[0].hidden is not a known field'));
  });

  it('a tab without tabId', () => {
    expect(parseChange(patchWithTab({ name: 'Colors', values: [] }))).toEqual(refused('tabs[0].tabId is missing'));
  });

  it('a negative tabId', () => {
    expect(parseChange(patchWithTab({ tabId: -1, name: 'Colors', values: [] }))).toEqual(refused('tabs[0].tabId must be ≥ 0'));
  });

  it('a tabId past 2^31 - 1', () => {
    expect(parseChange(patchWithTab({ tabId: 2 ** 31, name: 'Colors', values: [] }))).toEqual(refused('tabs[0].tabId must be ≤ 2147483647'));
  });

  it('a tabId given as a string', () => {
    expect(parseChange(patchWithTab({ tabId: '0', name: 'Colors', values: [] }))).toEqual(refused('tabs[0].tabId must be a number'));
  });

  it('an empty tab name', () => {
    expect(parseChange(patchWithTab({ tabId: 0, name: '', values: [] }))).toEqual(refused('tabs[0].name must not be empty'));
  });

  it('a tab name longer than Google Sheets allows', () => {
    expect(parseChange(patchWithTab({ tabId: 0, name: 'x'.repeat(LIMITS.maxTabNameChars + 1), values: [] }))).toEqual(refused('tabs[0].name must be at most 100 characters'));
  });

  it('a tab name that is not a string', () => {
    expect(parseChange(patchWithTab({ tabId: 0, name: 7, values: [] }))).toEqual(refused('tabs[0].name must be a string'));
  });

  it('values that are not an array of rows', () => {
    expect(parseChange(patchWithTab({ tabId: 0, name: 'Colors', values: 'Name' }))).toEqual(refused('tabs[0].values must be an array of rows'));
  });

  it('a row that is not an array of cells', () => {
    expect(parseChange(patchWithTab({ tabId: 0, name: 'Colors', values: [['Name'], 'a'] }))).toEqual(refused('tabs[0].values[1] must be an array of cells'));
  });

  it('a null cell', () => {
    expect(parseChange(patchWithCell(null))).toEqual(refused('tabs[0].values[0][1] must be a string, a finite number or a boolean'));
  });

  it('a NaN cell', () => {
    expect(parseChange(patchWithCell(NaN))).toEqual(refused('tabs[0].values[0][1] must be a string, a finite number or a boolean'));
  });

  it('an Infinity cell', () => {
    expect(parseChange(patchWithCell(Infinity))).toEqual(refused('tabs[0].values[0][1] must be a finite number'));
  });

  it('a -Infinity cell', () => {
    expect(parseChange(patchWithCell(-Infinity))).toEqual(refused('tabs[0].values[0][1] must be a finite number'));
  });

  it('an object cell (a Date that was not turned into an ISO string)', () => {
    expect(parseChange(patchWithCell({ date: '2024-05-01' }))).toEqual(refused('tabs[0].values[0][1] must be a string, a finite number or a boolean'));
  });

  it('an array cell', () => {
    expect(parseChange(patchWithCell(['a']))).toEqual(refused('tabs[0].values[0][1] must be a string, a finite number or a boolean'));
  });

  it('a cell longer than a Sheets cell can hold', () => {
    expect(parseChange(patchWithCell('x'.repeat(LIMITS.maxCellChars + 1)))).toEqual(refused('tabs[0].values[0][1] must be at most 50000 characters'));
  });

  it('a bad cell inside a range, naming the range', () => {
    expect(parseChange(patchWithRange({ row: 1, col: 1, values: [['a', 'b'], ['c', undefined]] }))).toEqual(
      refused('tabs[0].ranges[0].values[1][1] must be a string, a finite number or a boolean'),
    );
  });

  it('a snapshot that carries ranges', () => {
    expect(parseChange({ ...snapshot, tabs: [{ tabId: 0, name: 'Colors', ranges: [{ row: 1, col: 1, values: [['a']] }] }] })).toEqual(
      refused('a snapshot lists every synced tab with its full values (no ranges)'),
    );
  });

  it('the same tabId twice', () => {
    expect(parseChange({ ...snapshot, tabs: [{ tabId: 3, name: 'A', values: [] }, { tabId: 3, name: 'B', values: [] }] })).toEqual(refused('tabs must not list the same tabId twice'));
  });

  it('more tabs than the limit', () => {
    const tabs = Array.from({ length: LIMITS.maxTabs + 1 }, (_, i) => ({ tabId: i, name: `T${i}`, values: [] }));
    expect(parseChange({ ...snapshot, tabs })).toEqual(refused('tabs must list at most 200 tabs'));
  });

  it('tabs that are not an array', () => {
    expect(parseChange({ ...snapshot, tabs: {} })).toEqual(refused('tabs must be an array'));
  });

  it('another protocol version', () => {
    expect(parseChange({ ...patch, v: 1 })).toEqual(refused('v must be 2'));
  });

  it('a change without v', () => {
    const { v: _v, ...rest } = patch;
    expect(parseChange(rest)).toEqual(refused('v is missing'));
  });

  it('a change id with a space', () => {
    expect(parseChange({ ...patch, id: 'a b' })).toEqual(refused('id must be 1-64 characters of A-Z a-z 0-9 _ . : -'));
  });

  it('an empty change id', () => {
    expect(parseChange({ ...patch, id: '' })).toEqual(refused('id must be 1-64 characters of A-Z a-z 0-9 _ . : -'));
  });

  it('a change id longer than 64 characters', () => {
    expect(parseChange({ ...patch, id: 'x'.repeat(65) })).toEqual(refused('id must be 1-64 characters of A-Z a-z 0-9 _ . : -'));
  });

  it('a change id that is a number', () => {
    expect(parseChange({ ...patch, id: 7 })).toEqual(refused('id must be a string'));
  });

  it('an unknown kind', () => {
    expect(parseChange({ ...patch, kind: 'delta' })).toEqual(refused('kind must be "patch" or "snapshot"'));
  });

  it('a hash in upper-case hex', () => {
    expect(parseChange({ ...patch, hash: HASH.toUpperCase() })).toEqual(refused('hash must be 64 lowercase hex characters'));
  });

  it('a hash of the wrong length', () => {
    expect(parseChange({ ...patch, hash: HASH.slice(2) })).toEqual(refused('hash must be 64 lowercase hex characters'));
  });

  it('a change without hash', () => {
    const { hash: _hash, ...rest } = patch;
    expect(parseChange(rest)).toEqual(refused('hash is missing'));
  });

  it('a negative at', () => {
    expect(parseChange({ ...patch, at: -1 })).toEqual(refused('at must be ≥ 0'));
  });

  it('a title that is not a string', () => {
    expect(parseChange({ ...patch, title: 5 })).toEqual(refused('title must be a string'));
  });

  it('a title longer than the limit', () => {
    expect(parseChange({ ...patch, title: 'x'.repeat(LIMITS.maxTitleChars + 1) })).toEqual(refused('title must be at most 500 characters'));
  });

  it('a field the protocol does not have', () => {
    expect(parseChange({ ...patch, spreadsheetId: 'abc' })).toEqual(refused('spreadsheetId is not a known field'));
  });

  it('a body that is not an object', () => {
    expect(parseChange('change')).toEqual(refused('change must be an object'));
  });

  it('null', () => {
    expect(parseChange(null)).toEqual(refused('change must be an object'));
  });
});

describe('parseRegister', () => {
  it('accepts a 43-character base64url secret', () => {
    expect(parseRegister({ secret: SECRET })).toEqual({ ok: true, value: { secret: SECRET } });
  });

  it('refuses a secret shorter than 32 bytes of base64url', () => {
    expect(parseRegister({ secret: SECRET.slice(1) })).toEqual(refused('secret must be at least 43 base64url characters (32 random bytes)'));
  });

  it('refuses a secret longer than 512 characters', () => {
    expect(parseRegister({ secret: 'a'.repeat(513) })).toEqual(refused('secret must be at most 512 characters'));
  });

  it('refuses a secret in plain base64', () => {
    expect(parseRegister({ secret: `${SECRET.slice(1)}+` })).toEqual(refused('secret must be base64url text'));
  });

  it('refuses a body without secret', () => {
    expect(parseRegister({})).toEqual(refused('secret is missing'));
  });

  it('refuses a secret that is not a string', () => {
    expect(parseRegister({ secret: 42 })).toEqual(refused('secret must be a string'));
  });

  it('refuses other fields', () => {
    expect(parseRegister({ secret: SECRET, channelId: 'x' })).toEqual(refused('channelId is not a known field'));
  });

  it('refuses a body that is not an object', () => {
    expect(parseRegister([SECRET].join(''))).toEqual(refused('body must be an object'));
  });
});

describe('parseClientMessage accepts', () => {
  it('a bare hello', () => {
    const hello = { type: 'hello', v: PROTOCOL_VERSION, token: 'dG9rZW4' };
    expect(parseClientMessage(hello)).toEqual({ ok: true, value: hello });
  });

  it('a hello with since and client', () => {
    const hello = { type: 'hello', v: 2, token: 'dG9rZW4', since: { epoch: 'e1', seq: 0 }, client: { name: 'Design System.fig', session: 's-1' } };
    expect(parseClientMessage(hello)).toEqual({ ok: true, value: hello });
  });

  it('an applied message with problems and counts', () => {
    const applied = {
      type: 'applied',
      seq: 42,
      errors: [{ tab: 'Colors', cell: 'B7', severity: 'error', message: 'Not a colour: "#ggg". Use #rgb, #rrggbb or rgb().', code: 'BAD_COLOR' }],
      errorCount: 1,
      counts: { created: 3, updated: 1, unchanged: 10, removed: 0 },
      at: 1_717_000_000_500,
    };
    expect(parseClientMessage(applied)).toEqual({ ok: true, value: applied });
  });

  it('ping and resync', () => {
    expect([parseClientMessage({ type: 'ping' }), parseClientMessage({ type: 'resync' })]).toEqual([
      { ok: true, value: { type: 'ping' } },
      { ok: true, value: { type: 'resync' } },
    ]);
  });
});

describe('parseClientMessage refuses', () => {
  it('an unknown type', () => {
    expect(parseClientMessage({ type: 'subscribe' })).toEqual(refused('type must be "hello", "applied", "ping", "resync" or "offer"'));
  });

  it('a message without type', () => {
    expect(parseClientMessage({ token: 'x' })).toEqual(refused('type must be "hello", "applied", "ping", "resync" or "offer"'));
  });

  it('a message that is not an object', () => {
    expect(parseClientMessage('hello')).toEqual(refused('message must be an object'));
  });

  it('a hello of another protocol version', () => {
    expect(parseClientMessage({ type: 'hello', v: 1, token: 'x' })).toEqual(refused('v must be 2'));
  });

  it('a hello without token', () => {
    expect(parseClientMessage({ type: 'hello', v: 2 })).toEqual(refused('token is missing'));
  });

  it('a hello with an empty token', () => {
    expect(parseClientMessage({ type: 'hello', v: 2, token: '' })).toEqual(refused('token must not be empty'));
  });

  it('a hello whose token is not base64url', () => {
    expect(parseClientMessage({ type: 'hello', v: 2, token: 'a+b/' })).toEqual(refused('token must be base64url text'));
  });

  it('a hello whose token is too long', () => {
    expect(parseClientMessage({ type: 'hello', v: 2, token: 'a'.repeat(257) })).toEqual(refused('token must be at most 256 characters'));
  });

  it('a hello whose since has an empty epoch', () => {
    expect(parseClientMessage({ type: 'hello', v: 2, token: 'x', since: { epoch: '', seq: 1 } })).toEqual(refused('since.epoch must not be empty'));
  });

  it('a hello whose since has a negative seq', () => {
    expect(parseClientMessage({ type: 'hello', v: 2, token: 'x', since: { epoch: 'e', seq: -1 } })).toEqual(refused('since.seq must be ≥ 0'));
  });

  it('a hello whose since lacks seq', () => {
    expect(parseClientMessage({ type: 'hello', v: 2, token: 'x', since: { epoch: 'e' } })).toEqual(refused('since.seq is missing'));
  });

  it('a hello whose client has an unknown field', () => {
    expect(parseClientMessage({ type: 'hello', v: 2, token: 'x', client: { user: 'me' } })).toEqual(refused('client.user is not a known field'));
  });

  it('a hello whose client name is too long', () => {
    expect(parseClientMessage({ type: 'hello', v: 2, token: 'x', client: { name: 'x'.repeat(201) } })).toEqual(refused('client.name must be at most 200 characters'));
  });

  it('a hello carrying the channel id (the URL names the channel)', () => {
    expect(parseClientMessage({ type: 'hello', v: 2, token: 'x', channelId: 'abc' })).toEqual(refused('channelId is not a known field'));
  });

  it('an applied message without errors', () => {
    expect(parseClientMessage({ type: 'applied', seq: 1 })).toEqual(refused('errors is missing'));
  });

  it('an applied message without seq', () => {
    expect(parseClientMessage({ type: 'applied', errors: [] })).toEqual(refused('seq is missing'));
  });

  it('an applied message with a fractional seq', () => {
    expect(parseClientMessage({ type: 'applied', seq: 1.5, errors: [] })).toEqual(refused('seq must be a whole number'));
  });

  it('an applied message with more problems than the limit', () => {
    const errors = Array.from({ length: LIMITS.maxReportedErrors + 1 }, () => ({ tab: 'T', cell: 'A1', severity: 'error', message: 'm' }));
    expect(parseClientMessage({ type: 'applied', seq: 1, errors })).toEqual(refused('errors must list at most 500 problems'));
  });

  it('a problem with an unknown severity', () => {
    expect(parseClientMessage({ type: 'applied', seq: 1, errors: [{ tab: 'T', cell: 'A1', severity: 'fatal', message: 'm' }] })).toEqual(
      refused('errors[0].severity must be "error" or "warning"'),
    );
  });

  it('a problem without message', () => {
    expect(parseClientMessage({ type: 'applied', seq: 1, errors: [{ tab: 'T', cell: 'A1', severity: 'error' }] })).toEqual(refused('errors[0].message is missing'));
  });

  it('a problem whose cell is too long to be A1', () => {
    expect(parseClientMessage({ type: 'applied', seq: 1, errors: [{ tab: 'T', cell: 'A'.repeat(21), severity: 'error', message: 'm' }] })).toEqual(
      refused('errors[0].cell must be at most 20 characters'),
    );
  });

  it('counts with a negative number', () => {
    expect(parseClientMessage({ type: 'applied', seq: 1, errors: [], counts: { created: -1, updated: 0, unchanged: 0 } })).toEqual(refused('counts.created must be ≥ 0'));
  });

  it('counts without unchanged', () => {
    expect(parseClientMessage({ type: 'applied', seq: 1, errors: [], counts: { created: 0, updated: 0 } })).toEqual(refused('counts.unchanged is missing'));
  });

  it('a ping with a field', () => {
    expect(parseClientMessage({ type: 'ping', at: 1 })).toEqual(refused('at is not a known field'));
  });

  it('a resync with a field', () => {
    expect(parseClientMessage({ type: 'resync', since: { epoch: 'e', seq: 1 } })).toEqual(refused('since is not a known field'));
  });
});

describe('parseServerMessage', () => {
  const welcome = { type: 'welcome', v: 2, channelId: 'ch_4f9a2b7c1d3e5f60', epoch: 'e1', seq: 7, title: 'Design tokens', recovery: 'patches' };
  const snapshotMessage = { type: 'snapshot', epoch: 'e1', seq: 7, tabs: [{ tabId: 0, name: 'Colors', values: [['Name']] }], hash: HASH, at: 1, title: 'T' };
  const patchMessage = { type: 'patch', epoch: 'e1', seq: 8, id: 'c1', tabs: patch.tabs, hash: HASH, at: 2 };

  it('accepts welcome, snapshot, patch and pong', () => {
    expect([welcome, snapshotMessage, patchMessage, { type: 'pong' }].map(parseServerMessage)).toEqual(
      [welcome, snapshotMessage, patchMessage, { type: 'pong' }].map((value) => ({ ok: true, value })),
    );
  });

  it('refuses an unknown type', () => {
    expect(parseServerMessage({ type: 'hello' })).toEqual(refused('type must be "welcome", "snapshot", "patch", "pong", "offered" or "offer-refused"'));
  });

  it('refuses a welcome with an unknown recovery', () => {
    expect(parseServerMessage({ ...welcome, recovery: 'replay' })).toEqual(refused('recovery must be "patches", "snapshot" or "current"'));
  });

  it('refuses a welcome with a negative seq', () => {
    expect(parseServerMessage({ ...welcome, seq: -1 })).toEqual(refused('seq must be ≥ 0'));
  });

  it('refuses a snapshot whose tab has ranges', () => {
    expect(parseServerMessage({ ...snapshotMessage, tabs: [{ tabId: 0, name: 'Colors', ranges: [{ row: 1, col: 1, values: [] }] }] })).toEqual(refused('tabs[0].values is missing'));
  });

  it('refuses a patch with a bad hash', () => {
    expect(parseServerMessage({ ...patchMessage, hash: 'x' })).toEqual(refused('hash must be 64 lowercase hex characters'));
  });

  it('refuses a patch with a bad cell, naming its path', () => {
    expect(parseServerMessage({ ...patchMessage, tabs: [{ tabId: 0, name: 'C', ranges: [{ row: 1, col: 1, values: [[null]] }] }] })).toEqual(
      refused('tabs[0].ranges[0].values[0][0] must be a string, a finite number or a boolean'),
    );
  });
});

describe('parseJson', () => {
  it('parses JSON text', () => {
    expect(parseJson('{"a":[1,true,""]}')).toEqual({ ok: true, value: { a: [1, true, ''] } });
  });

  it('says the text is not JSON, with the parser\'s reason', () => {
    const result = parseJson('{"a":');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message.startsWith('not valid JSON: ')).toBe(true);
  });
});

describe('describeIssue', () => {
  it('names the whole input by the subject when the issue has no path', () => {
    expect(describeIssue({ kind: 'schema', type: 'object', input: 5, expected: 'Object', received: '5', message: 'Invalid type: Expected Object but received 5' }, 'change')).toBe(
      'change must be an object',
    );
  });
});

describe('channel ids and paths', () => {
  it('accepts URL-safe channel ids of 16 to 64 characters', () => {
    expect(['a'.repeat(16), 'A-z_0'.repeat(12) + 'abcd'].map(isChannelId)).toEqual([true, true]);
  });

  it('refuses channel ids that are too short, too long or not URL-safe', () => {
    expect(['a'.repeat(15), 'a'.repeat(65), 'abc/def.ghijklmnop', 'abcdefghijklmnop '].map(isChannelId)).toEqual([false, false, false, false]);
  });

  it('builds every endpoint path from the channel id', () => {
    expect([paths.channel('c'), paths.changes('c'), paths.status('c'), paths.socket('c'), paths.tokens('c')]).toEqual([
      '/v2/channels/c',
      '/v2/channels/c/changes',
      '/v2/channels/c/status',
      '/v2/channels/c/socket',
      '/v2/channels/c/tokens',
    ]);
  });
});

describe('parseTokensAnswer', () => {
  const answer: TokensAnswer = {
    channelId: 'cnQkakVRfd4dA3IvNU3hXbRglUT1wNfI',
    epoch: 'Yq3v0sLx2bQe',
    seq: 42,
    hash: 'a'.repeat(64),
    format: 'dtcg',
    layout: 'single',
    mode: 'Dark',
    files: [{ path: 'Semantic.tokens.json', mediaType: 'application/design-tokens+json', text: '{}' }],
    problems: [{ tab: 'Colors', cell: 'B6', severity: 'error', message: 'm', code: 'ALIAS_MISSING' }],
    errorCount: 1,
    warningCount: 0,
    collections: 1,
    variables: 3,
  };

  it('accepts an answer, and fields a newer relay adds', () => {
    expect(parseTokensAnswer(answer)).toEqual({ ok: true, value: answer });
    expect(parseTokensAnswer({ ...answer, modes: ['Light', 'Dark'] }).ok).toBe(true);
  });

  it.each([
    ['no files', { ...answer, files: undefined }, 'files must be an array'],
    ['no channelId', (({ channelId: _omitted, ...rest }) => rest)(answer), 'channelId is missing'],
    ['a format it does not make', { ...answer, format: 'yaml' }, 'format must be one of dtcg, json, css'],
    ['a file without a path', { ...answer, files: [{ path: '', mediaType: 'x', text: '' }] }, 'files[0].path must not be empty'],
    ['a negative count', { ...answer, errorCount: -1 }, 'errorCount must be ≥ 0'],
    ['a hash that is not one', { ...answer, hash: 'xyz' }, 'hash must be 64 lowercase hex characters'],
  ])('refuses an answer with %s', (_label, input, message) => {
    expect(parseTokensAnswer(input)).toEqual({ ok: false, message });
  });
});
