import { accessTokenClaimNames } from '../crypto/token-claims.js';
import type { Runtime } from '../runtime.js';
import { callHook, invalidAnswer } from './hook-call.js';

/** A hook adds claims; it never replaces what a verifier relies on authgraph for. */
const reservedClaims = new Set<string>(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'sid', 'acr', 'key_id', 'typ', ...accessTokenClaimNames]);

/**
 * The claims the custom_access_token_claims hook adds to a session's next access token
 * (none without the hook). `claims` are those authgraph sets, sent for the hook to read.
 */
export async function hookClaims(runtime: Runtime, userId: string, claims: Record<string, unknown>): Promise<Record<string, unknown>> {
  const added = await callHook(runtime, 'custom_access_token_claims', { userId, claims }, (answer) => {
    const extra = answer.claims ?? {};
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) return invalidAnswer();
    if (Object.keys(extra).some((name) => reservedClaims.has(name))) return invalidAnswer();
    const bytes = Buffer.byteLength(JSON.stringify({ ...claims, ...extra }));
    if (bytes > runtime.config.jwt.claimsMaxBytes) return invalidAnswer();
    return extra as Record<string, unknown>;
  });
  return added ?? {};
}
