/**
 * Whether a browser sent this request from the server's own origin, the only case
 * in which a cookie may stand for the caller (a page elsewhere, even on the same
 * site, must not ride on it). Browsers say where a request comes from in
 * Sec-Fetch-Site and Origin; a client that sends neither is not a browser page.
 */
export function isSameOrigin(headers: Headers, requestUrl: string, publicUrl: string): boolean {
  const site = headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return false;
  const origin = headers.get('origin');
  return origin === null || origin === new URL(requestUrl).origin || origin === new URL(publicUrl).origin;
}
