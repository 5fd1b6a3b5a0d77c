// The manifest's networkAccess matched as the window's policy matches it in Chromium (see figma-csp.ts).

import { entryAllows, manifestAllows } from '../../../figma-plugin/ui/manifest-allows';

const SOCKET = 'wss://relay.example.com/v2/channels/abc/socket';

test.each([
  ['wss://relay.example.com', SOCKET, true],
  ['https://relay.example.com', SOCKET, false],
  ['relay.example.com', SOCKET, false],
  ['wss://*.example.com', SOCKET, true],
  ['wss://*.example.com', 'wss://example.com/v2/x', false],
  ['wss://relay.example.com/v2/', SOCKET, true],
  ['wss://relay.example.com/other/', SOCKET, false],
  ['wss://relay.example.com:8443', SOCKET, false],
  ['ws://localhost:*', 'ws://localhost:8787/v2/x', true],
  ['ws://localhost:*', 'wss://localhost:8787/v2/x', true],
  ['http://localhost:*', 'ws://localhost:8787/v2/x', false],
  ['ws://localhost:*', 'ws://127.0.0.1:8787/v2/x', false],
  ['ws://localhost:8787', 'ws://localhost:9000/v2/x', false],
  ['none', SOCKET, false],
])('the entry %s allows %s: %s', (entry, url, expected) => {
  expect(entryAllows(entry, url)).toBe(expected);
});

test('allowedDomains are tried first, then devAllowedDomains, and the entry that allows is named', () => {
  const access = { allowedDomains: ['https://relay.example.com', 'wss://relay.example.com'], devAllowedDomains: ['ws://localhost:*'] };
  expect(manifestAllows(access, SOCKET)).toEqual({ entry: 'wss://relay.example.com', list: 'allowedDomains' });
  expect(manifestAllows(access, 'ws://localhost:8787/v2/x')).toEqual({ entry: 'ws://localhost:*', list: 'devAllowedDomains' });
  expect(manifestAllows(access, 'ws://127.0.0.1:8787/v2/x')).toEqual({});
});
