import { hmacSha256 } from '../crypto/hash.js';
import { randomToken } from '../crypto/random.js';
import type { ClientInfo, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { createSession } from './login.js';
import { refreshExpiry } from './session-tokens.js';

/**
 * novem's POST /v1/auth token: an opaque secret that is the session itself, so it
 * lives exactly as long as the session (a novem client has no way to refresh a
 * short-lived JWT). Only its keyed hash is stored, on the session row; every use
 * reads that row, so a logout or revocation holds at once on every instance.
 */
const sessionSecretPrefix = 'ses_';

export const isSessionSecret = (value: string) => value.startsWith(sessionSecretPrefix) && value.length === sessionSecretPrefix.length + 43;

const sessionSecretHash = (runtime: Runtime, secret: string) => hmacSha256(runtime.serverSecret, `session-secret:${secret}`);

export type SecretSession = { sessionId: string; sessionName: string; secret: string; expiresAt: Date };

export async function startSecretSession(
  runtime: Runtime,
  userId: string,
  options: { rememberMe: boolean; name?: string },
  client: ClientInfo,
): Promise<SecretSession> {
  const now = runtime.clock();
  const secret = sessionSecretPrefix + randomToken(32);
  const expiresAt = refreshExpiry(runtime, { createdAt: now, rememberMe: options.rememberMe }, now);
  // No refresh token exists, so there is no refresh cookie to clear at logout: the API kind.
  const session = await createSession(runtime, userId, { ...options, clientType: 'API' }, client, {
    expiresAt,
    secretHash: sessionSecretHash(runtime, secret),
  });
  return { sessionId: session.id, sessionName: session.name, secret, expiresAt: session.expiresAt };
}

/** The live session a secret stands for, or null. */
export async function sessionOfSecret(runtime: Runtime, secret: string): Promise<SessionPrincipal | null> {
  const now = runtime.clock();
  const session = await runtime.db.session.findFirst({
    where: { secretHash: sessionSecretHash(runtime, secret), revokedAt: null, expiresAt: { gt: now }, user: { disabledAt: null } },
    select: { id: true, userId: true },
  });
  if (!session || runtime.revokedSessions.has(session.id, now.getTime())) return null;
  return { kind: 'session', userId: session.userId, sessionId: session.id, tokenId: session.id };
}

