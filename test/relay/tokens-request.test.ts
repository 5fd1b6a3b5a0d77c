// The tokens query and the ETag rule, as pure functions: defaults filled in once, the export key
// blind to `file`, ETags that follow the grid's hash and the query only, and If-None-Match compared
// weakly (RFC 9110 §13.1.2, https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2).

import { noneMatch, parseTokensQuery, tokensEtag } from '../../relay/tokens-request';

const HASH = 'a'.repeat(64);

test('defaults: DTCG in the resolver layout; a mode alone picks the single layout; other formats have no layout', () => {
  expect(parseTokensQuery('/v2/channels/x/tokens').options).toEqual({ format: 'dtcg', layout: 'resolver' });
  expect(parseTokensQuery('/x?mode=Dark').options).toEqual({ format: 'dtcg', layout: 'single', mode: 'Dark' });
  expect(parseTokensQuery('/x?format=css&mode=%20Dark%20').options).toEqual({ format: 'css', mode: 'Dark' });
  expect(parseTokensQuery('/x?mode=Light%20%26%20Dark').options.mode).toBe('Light & Dark');
});

test('the export key ignores file= (one export serves the bundle and each of its files), the ETag does not', () => {
  const bundle = parseTokensQuery('/x?format=css');
  const file = parseTokensQuery('/x?format=css&file=tokens.css');
  expect(file.exportKey).toBe(bundle.exportKey);
  expect(file.file).toBe('tokens.css');
  expect(tokensEtag(HASH, file)).not.toBe(tokensEtag(HASH, bundle).slice(2));
  expect(tokensEtag(HASH, bundle)).toMatch(/^W\/"/);
  expect(tokensEtag(HASH, file)).toMatch(/^"/);
});

test('the ETag is the same for the same hash and query, and changes with either', () => {
  const q = parseTokensQuery('/x?layout=single');
  expect(tokensEtag(HASH, q)).toBe(tokensEtag(HASH, parseTokensQuery('/x?format=dtcg&layout=single')));
  expect(tokensEtag('b'.repeat(64), q)).not.toBe(tokensEtag(HASH, q));
  expect(tokensEtag(HASH, parseTokensQuery('/x?layout=single&mode=Dark'))).not.toBe(tokensEtag(HASH, q));
});

test.each([
  ['the ETag itself', true, (e: string) => e],
  ['its opaque part without W/ (weak comparison)', true, (e: string) => e.slice(2)],
  ['a list holding it', true, (e: string) => `"zzz", ${e}, "yyy"`],
  ['*', true, () => '*'],
  ['another ETag', false, () => 'W/"zzz"'],
  ['an unquoted value', false, (e: string) => e.slice(3, -1)],
  ['an empty header', false, () => ''],
])('If-None-Match with %s matches: %p', (_label, matches, header) => {
  const etag = tokensEtag(HASH, parseTokensQuery('/x'));
  expect(noneMatch(header(etag), etag)).toBe(matches);
});

test('no If-None-Match matches nothing', () => {
  expect(noneMatch(undefined, 'W/"a"')).toBe(false);
});
