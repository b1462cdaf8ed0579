import { issueKeyAccessToken } from '../crypto/access-token.js';
import { randomToken } from '../crypto/random.js';
import { AppError } from '../errors.js';
import type { ClientInfo } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { spendKeyRequest } from './quota.js';
import { recordKeyUse } from './usage.js';
import { verifyApiKey } from './verify.js';

/**
 * A short-lived access token (API_KEY_TOKEN_TTL, 5 minutes by default) for a
 * valid key, which a product verifies offline through JWKS: `sub` is the key's
 * owner (a user's or a service account's id), with `key_id`, `owner_type`, role,
 * plan, environment and the key's permissions. Revoking the key stops further
 * exchanges; a token already issued lives out its lifetime. It spends a request
 * of the key's limits and is in the key's log.
 */
export async function exchangeApiKey(runtime: Runtime, rawKey: string, client: ClientInfo) {
  const principal = await verifyApiKey(runtime, rawKey, client);
  if (!principal) throw new AppError('UNAUTHENTICATED');
  await spendKeyRequest(runtime, principal);
  const ttlSeconds = runtime.config.jwt.keyTokenTtl;
  const accessToken = await issueKeyAccessToken(runtime.signingKeys, runtime.accessTokens, {
    subject: (principal.userId ?? principal.serviceAccountId)!,
    keyId: principal.keyId,
    tokenId: randomToken(16),
    issuedAt: runtime.clock(),
    ttlSeconds,
    extra: {
      owner_type: principal.userId ? 'user' : 'service_account',
      role: principal.role,
      plan: principal.plan,
      environment: principal.environment,
      permissions: [...principal.scopes, ...principal.permissions],
    },
  });
  recordKeyUse(runtime, principal, { operation: 'exchange', outcome: 'success', client });
  return { accessToken, expiresIn: ttlSeconds, keyId: principal.keyId };
}
