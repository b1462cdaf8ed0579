import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';

/** Only ordinary public unicast: no loopback, private, link-local (cloud metadata), CGNAT, multicast or reserved range. */
export const isPublicAddress = (address: string) => ipaddr.isValid(address) && ipaddr.process(address).range() === 'unicast';

const privateProblem = 'must not point at a loopback, private or link-local address (set WEBHOOK_ALLOW_PRIVATE=true to allow it)';

/** Why a webhook URL is refused, or null. A name is resolved at each delivery (publicOnlyLookup). */
export function webhookUrlProblem(url: string, allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute http:// or https:// URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http:// or https:// URL';
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  if (url.length > 2048) return 'must be at most 2048 characters';
  if (allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host) ? !isPublicAddress(host) : host === 'localhost' || host.endsWith('.localhost')) return privateProblem;
  return null;
}

export class RefusedAddress extends Error {
  override name = 'RefusedAddress';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * node:http's `lookup` for deliveries: resolves the name and refuses the connection
 * when any answer is not public, so a name that points (or is re-pointed, DNS
 * rebinding) at an internal address is never reached.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    if (addresses.length === 0 || addresses.some((answer) => !isPublicAddress(answer.address))) return callback(new RefusedAddress(privateProblem), []);
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}
