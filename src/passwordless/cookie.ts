import type { Runtime } from '../runtime.js';

/**
 * The cookie that binds a sign-in link to the browser that asked for it: set by
 * the answer to requestSignInLink (either door), sent back only to the link page
 * (/challenge/...). HttpOnly; SameSite=Lax, because the link is opened from a mail
 * (a top-level navigation from elsewhere). Over https it takes the __Secure- prefix
 * (__Host- would require Path=/).
 */
export const signInLinkPath = '/challenge';

export const signInNonceCookieName = (runtime: Runtime) => (runtime.config.secureCookies ? '__Secure-authgraph_sign_in' : 'authgraph_sign_in');

export const signInNonceCookie = (runtime: Runtime, nonce: string) =>
  `${signInNonceCookieName(runtime)}=${nonce}; Path=${signInLinkPath}; Max-Age=${runtime.config.challenges.ttl}; HttpOnly; SameSite=Lax${runtime.config.secureCookies ? '; Secure' : ''}`;
