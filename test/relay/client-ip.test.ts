// Who a request comes from: the TCP peer unless it is a trusted proxy, then the rightmost address of
// X-Forwarded-For that is not a trusted proxy; per-address limits count IPv6 clients by their /64.

import type { IncomingMessage } from 'node:http';
import { addressKey, ClientAddresses } from '../../relay/client-ip';

function request(peer: string, forwardedFor?: string | string[]): IncomingMessage {
  return { socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage;
}

describe('ClientAddresses', () => {
  test('without trusted proxies the peer is the client, whatever X-Forwarded-For says', () => {
    const addresses = new ClientAddresses([]);
    expect(addresses.of(request('198.51.100.4', '203.0.113.9'))).toBe('198.51.100.4');
    expect(addresses.isTrustedProxy('127.0.0.1')).toBe(false);
  });

  test('behind a trusted proxy the rightmost untrusted X-Forwarded-For address is the client', () => {
    const addresses = new ClientAddresses(['10.0.0.0/8', 'loopback']);
    expect(addresses.of(request('10.1.2.3', '203.0.113.9'))).toBe('203.0.113.9');
    // A client can put anything on the left; only what trusted hops appended counts.
    expect(addresses.of(request('10.1.2.3', '6.6.6.6, 203.0.113.9, 10.9.9.9'))).toBe('203.0.113.9');
    expect(addresses.of(request('127.0.0.1', ['203.0.113.9', '10.0.0.1']))).toBe('203.0.113.9');
  });

  test('a peer that is not a trusted proxy is the client even if it sends X-Forwarded-For', () => {
    const addresses = new ClientAddresses(['10.0.0.5']);
    expect(addresses.of(request('198.51.100.4', '203.0.113.9'))).toBe('198.51.100.4');
  });

  test('a garbled X-Forwarded-For counts as the proxy itself, never as a made-up address', () => {
    const addresses = new ClientAddresses(['loopback']);
    expect(addresses.of(request('127.0.0.1', 'not-an-address'))).toBe('127.0.0.1');
    expect(addresses.of(request('127.0.0.1'))).toBe('127.0.0.1');
  });

  test('IPv4 addresses mapped into IPv6 are read as IPv4', () => {
    const addresses = new ClientAddresses(['loopback']);
    expect(addresses.isTrustedProxy('::ffff:127.0.0.1')).toBe(true);
    expect(addresses.of(request('::ffff:198.51.100.4'))).toBe('198.51.100.4');
  });
});

describe('addressKey', () => {
  test('IPv4 addresses are their own key; IPv6 addresses share the key of their /64', () => {
    expect(addressKey('198.51.100.4')).toBe('198.51.100.4');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
