import type { Runtime } from '../runtime.js';

export const refreshCookieName = 'authgraph_refresh';

/** The refresh token as an HttpOnly cookie, sent back only to the refresh endpoint at `path`. */
export function refreshCookie(runtime: Runtime, token: string, expiresAt: Date, path: string): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - runtime.clock().getTime()) / 1000));
  const secure = runtime.config.secureCookies ? '; Secure' : '';
  return `${refreshCookieName}=${token}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`;
}

export function clearedRefreshCookie(runtime: Runtime, path: string): string {
  const secure = runtime.config.secureCookies ? '; Secure' : '';
  return `${refreshCookieName}=; Path=${path}; Max-Age=0; HttpOnly; SameSite=Strict${secure}`;
}
