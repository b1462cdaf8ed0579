import { BlockList, isIP } from 'node:net';

type Subnet = { address: string; prefix: number; family: 'ipv4' | 'ipv6' };

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (one host); null when malformed. */
export function parseSubnet(text: string): Subnet | null {
  const [address = '', prefixText, extra] = text.trim().split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return null;
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? String(bits)) || prefix > bits) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * The client's address: the socket peer, unless that peer is a trusted proxy;
 * then the rightmost X-Forwarded-For hop that is not itself a trusted proxy
 * (hops further left were written by the client and prove nothing). node:net's
 * BlockList does the CIDR matching, IPv4-mapped IPv6 peers included.
 */
export function clientAddressResolver(trustedProxies: string[]) {
  const trusted = new BlockList();
  for (const subnet of trustedProxies.map(parseSubnet)) {
    if (subnet) trusted.addSubnet(subnet.address, subnet.prefix, subnet.family);
  }
  const isTrusted = (address: string) => {
    const version = isIP(address);
    return version !== 0 && trusted.check(address, version === 4 ? 'ipv4' : 'ipv6');
  };
  return (peer: string | undefined, forwardedFor: string | null | undefined): string | undefined => {
    if (trustedProxies.length === 0 || peer === undefined || !isTrusted(peer) || !forwardedFor) return peer;
    let address = peer;
    for (const hop of forwardedFor.split(',').reverse()) {
      const candidate = hop.trim();
      // A malformed hop ends the walk at the proxy that passed it on.
      if (isIP(candidate) === 0) return address;
      address = candidate;
      if (!isTrusted(candidate)) return address;
    }
    return address;
  };
}
