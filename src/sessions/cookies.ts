import type { Runtime } from '../runtime.js';

/**
 * The two session cookies: the refresh token (sent back only to a door's refresh
 * path) and novem's session token (for /v1). Both HttpOnly and SameSite=Strict,
 * and counted only from the server's own origin (context.ts). Over https they take
 * the __Host- prefix, so that no sibling host can set or shadow them; the prefix
 * requires Path=/.
 */
type Cookie = { name: string; path: string; secure: string };

function cookie(runtime: Runtime, name: string, path: string): Cookie {
  return runtime.config.secureCookies ? { name: `__Host-${name}`, path: '/', secure: '; Secure' } : { name, path, secure: '' };
}

const setCookie = ({ name, path, secure }: Cookie, value: string, maxAge: number) =>
  `${name}=${value}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`;

const secondsUntil = (runtime: Runtime, at: Date) => Math.max(0, Math.floor((at.getTime() - runtime.clock().getTime()) / 1000));

const refresh = (runtime: Runtime, path = '/') => cookie(runtime, 'authgraph_refresh', path);
const session = (runtime: Runtime) => cookie(runtime, 'authgraph_session', '/v1');

export const refreshCookieName = (runtime: Runtime) => refresh(runtime).name;
export const refreshCookie = (runtime: Runtime, token: string, expiresAt: Date, path: string) =>
  setCookie(refresh(runtime, path), token, secondsUntil(runtime, expiresAt));
export const clearedRefreshCookie = (runtime: Runtime, path: string) => setCookie(refresh(runtime, path), '', 0);

export const sessionCookieName = (runtime: Runtime) => session(runtime).name;
export const sessionCookie = (runtime: Runtime, secret: string, expiresAt: Date) =>
  setCookie(session(runtime), secret, secondsUntil(runtime, expiresAt));
export const clearedSessionCookie = (runtime: Runtime) => setCookie(session(runtime), '', 0);
