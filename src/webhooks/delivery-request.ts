import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { publicOnlyLookup, RefusedAddress, webhookUrlProblem } from './address-guard.js';

/** A receiver's HTTP status, or why there was none (never the answer's body). */
export type PostOutcome = { status: number; error: null } | { status: null; error: 'timeout' | 'unreachable' | 'refused-address' };

/**
 * POSTs a signed delivery. Redirects are not followed (a 3xx is a failed attempt: the
 * signed body goes where the endpoint says, nowhere else), the answer's body is read
 * and dropped, and without allowPrivate only public addresses are connected to.
 */
export function postDelivery(url: string, headers: Record<string, string>, body: string, options: { timeoutMs: number; allowPrivate: boolean }): Promise<PostOutcome> {
  if (webhookUrlProblem(url, options.allowPrivate)) return Promise.resolve({ status: null, error: 'refused-address' });
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const outgoing = request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      lookup: options.allowPrivate ? undefined : publicOnlyLookup,
      signal: AbortSignal.timeout(options.timeoutMs),
      agent: false,
    });
    outgoing.on('response', (answer) => {
      answer.resume();
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, error: null }));
      answer.on('error', () => resolve({ status: answer.statusCode ?? 0, error: null }));
    });
    outgoing.on('error', (error) => {
      if (error instanceof RefusedAddress) resolve({ status: null, error: 'refused-address' });
      else resolve({ status: null, error: error.name === 'AbortError' || error.name === 'TimeoutError' ? 'timeout' : 'unreachable' });
    });
    outgoing.end(body);
  });
}
