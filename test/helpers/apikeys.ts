import { setUserRole } from '../../src/accounts/roles.js';
import type { TestApp } from './app.js';
import { registeredSession } from './flows.js';

export const createApiKeyMutation = `mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { rawKey apiKey { id name prefix environment scopes createdAt lastUsedAt expiresAt revokedAt isActive } }
}`;

export const whoamiWithKeyQuery = `{ whoami { user { id username } serviceAccount { id name role } credential { kind id name environment scopes } } }`;

export const tokenLogQuery = `query TokenLog($tokenId: ID!, $first: Int, $after: String) {
  tokenLog(tokenId: $tokenId, first: $first, after: $after) {
    edges { cursor node { id at action operation outcome ip userAgent tokenId } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const keyHeader = (rawKey: string) => ({ 'x-api-key': rawKey });
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

type KeyInput = {
  name?: string;
  scopes?: string[] | null;
  expiresAt?: string | null;
  environment?: 'LIVE' | 'TEST';
  permissions?: string[];
  rateLimit?: { limit: number; windowSeconds?: number };
  usage?: { limit: number; refill: 'DAILY' | 'MONTHLY' };
};

export async function createKey(app: TestApp, auth: Record<string, string>, input: KeyInput = {}) {
  const result = await app.gql(createApiKeyMutation, { input: { name: 'ci', ...input } }, auth);
  if (result.errors) throw new Error(`createApiKey failed: ${JSON.stringify(result.errors)}`);
  return result.data.createApiKey as { rawKey: string; apiKey: { id: string; prefix: string; [field: string]: unknown } };
}

/** A signed-in user whose e-mail is verified (creating keys needs it). */
export async function verifiedSession(app: TestApp, options?: Parameters<typeof registeredSession>[1]) {
  const session = await registeredSession(app, options);
  await app.runtime.db.user.update({ where: { id: session.user.id }, data: { emailVerified: true } });
  return session;
}

/** A signed-in user with one key. */
export async function userWithKey(app: TestApp, input: KeyInput = {}) {
  const session = await verifiedSession(app);
  const key = await createKey(app, session.auth, input);
  return { ...session, key };
}

/** A signed-in ADMIN, promoted the way `npm run admin -- grant` does it. */
export async function adminSession(app: TestApp) {
  const session = await verifiedSession(app);
  await setUserRole(app.runtime, session.identity.username, 'ADMIN');
  return session;
}
