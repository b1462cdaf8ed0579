import type { Config } from '../config.js';
import { AppError, refusals } from '../errors.js';

/** Backslashes, white space and control characters: browsers read them in ways URL parsers disagree on. */
const ambiguousCharacters = /[\\\s\u0000-\u001f\u007f]/;

/** `/auth` allows /auth and /auth/done, never /authority. */
const underPrefix = (pathname: string, prefix: string) =>
  prefix === '/' || pathname === prefix || pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

/**
 * Where a page opened from a mail may send the browser once done: a path on this
 * server, an address on it, or an http(s) address under a REDIRECT_ALLOWLIST entry.
 * The answer is the target as the browser will read it (normalized: dot segments
 * resolved), null for anything else: other hosts, other schemes (javascript:, data:),
 * scheme-relative //host, and user names before the host (https://app@evil.example).
 */
export function allowedRedirect(config: Pick<Config, 'publicUrl' | 'redirectAllowlist'>, target: string): string | null {
  if (target.length > 2048 || ambiguousCharacters.test(target)) return null;
  const server = new URL(config.publicUrl);
  if (target.startsWith('/')) {
    if (target.startsWith('//')) return null;
    const url = new URL(target, server);
    return url.origin === server.origin ? `${url.pathname}${url.search}${url.hash}` : null;
  }
  if (!URL.canParse(target)) return null;
  const url = new URL(target);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return null;
  if (url.origin === server.origin) return url.href;
  return config.redirectAllowlist.some(({ origin, pathPrefix }) => url.origin === origin && underPrefix(url.pathname, pathPrefix)) ? url.href : null;
}

/** A request's redirect target checked by allowedRedirect (none: null); anything else is refused as `field`. */
export function parseRedirectTarget(config: Pick<Config, 'publicUrl' | 'redirectAllowlist'>, target: string | null | undefined, field = 'redirectTo'): string | null {
  if (target === null || target === undefined || target === '') return null;
  const allowed = allowedRedirect(config, target);
  if (allowed === null) throw new AppError(refusals.redirectNotAllowed, { fields: [{ field, message: 'must be a path on this server or an address REDIRECT_ALLOWLIST allows' }] });
  return allowed;
}
