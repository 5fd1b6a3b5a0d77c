// Who a request comes from: the TCP peer, or, when the peer is a proxy named in TRUSTED_PROXY, the
// rightmost X-Forwarded-For address that is not itself a trusted proxy. Limits per address and the
// `ip` of log lines use it. IPv6 clients are grouped by their /64, the block one subscriber gets.

import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export class ClientAddresses {
  private readonly trusted = new BlockList();
  readonly behindProxy: boolean;

  constructor(trustedProxy: readonly string[]) {
    this.behindProxy = trustedProxy.length > 0;
    for (const item of trustedProxy) {
      if (item === 'loopback') {
        this.trusted.addSubnet('127.0.0.0', 8, 'ipv4');
        this.trusted.addAddress('::1', 'ipv6');
        continue;
      }
      const [address, prefix] = item.split('/') as [string, string | undefined];
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.trusted.addAddress(address, family);
      else this.trusted.addSubnet(address, Number(prefix), family);
    }
  }

  /** Whether the TCP peer is a trusted proxy (whose connections carry many clients). */
  isTrustedProxy(peer: string | undefined): boolean {
    if (!this.behindProxy || !peer) return false;
    const address = unmapped(peer);
    const family = isIP(address);
    return family !== 0 && this.trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }

  /** The client's address as the relay believes it (for logs). */
  of(req: IncomingMessage): string {
    const peer = unmapped(req.socket.remoteAddress ?? '');
    if (!this.isTrustedProxy(peer)) return peer || 'unknown';
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((h) => unmapped(h.trim()));
    // Right to left: each trusted hop vouches for the one before it; the first untrusted one is the client.
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      if (isIP(hop) === 0) return peer; // a garbled header: count the proxy, never a made-up address
      if (!this.isTrustedProxy(hop)) return hop;
    }
    return hops[0] && isIP(hops[0]) ? hops[0] : peer;
  }
}

/** The key a per-address limit counts under: the address, or for IPv6 its /64. */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const expanded = expandIpv6(address);
  return expanded ? `${expanded.slice(0, 4).join(':')}::/64` : address;
}

/** "::ffff:1.2.3.4" (an IPv4 client on a dual-stack socket) → "1.2.3.4". */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** The eight groups of an IPv6 address, or undefined. */
function expandIpv6(address: string): string[] | undefined {
  const [head, tail] = address.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  if (right.length > 0 && right[right.length - 1]!.includes('.')) return undefined; // embedded IPv4: rare, keep whole
  const missing = 8 - left.length - right.length;
  if (tail === undefined && missing !== 0) return undefined;
  const groups = [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right];
  return groups.length === 8 ? groups.map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')) : undefined;
}
