// A policy violation counts for a socket when it names the socket's URL or its origin.

import { violationBlocks } from '../../../figma-plugin/ui/policy-violation';

const SOCKET = 'wss://relay.example.com/v2/channels/abc/socket';

test.each([
  ['the whole URL', SOCKET, true],
  ['the origin only (a stripped report)', 'wss://relay.example.com', true],
  ['the origin with a different case', 'WSS://Relay.Example.com', true],
  ['another host', 'wss://other.example.com', false],
  ['another port', 'wss://relay.example.com:444', false],
  ['an https fetch to the same host (not a socket)', 'https://relay.example.com', false],
  ['an inline script', 'inline', false],
  ['nothing', '', false],
])('a violation naming %s: %s → %s', (_, blocked, expected) => {
  expect(violationBlocks(blocked, SOCKET)).toBe(expected);
});
