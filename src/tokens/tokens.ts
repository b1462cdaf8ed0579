import { z } from 'zod';
import { createApiKey } from '../apikeys/create.js';
import { activeKeyFilter } from '../apikeys/limits.js';
import { assertEmailVerified } from '../challenges/email-verification.js';
import { AppError, refusals } from '../errors.js';
import type { ClientInfo, Principal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow } from '../validation.js';
import { generatedTokenName, tokenNameSchema } from './token-names.js';

/**
 * novem's view of credentials: a user's sessions and API keys together as named
 * "tokens", addressed by name (or id). Management itself stays with the
 * sessions and apikeys services.
 */
export type NamedToken = {
  kind: 'session' | 'api_key';
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
};

export async function listTokens(runtime: Runtime, userId: string): Promise<NamedToken[]> {
  const now = runtime.clock();
  const [sessions, keys] = await Promise.all([
    runtime.db.session.findMany({ where: { userId, revokedAt: null, expiresAt: { gt: now } } }),
    runtime.db.apiKey.findMany({ where: { userId, ...activeKeyFilter(now) } }),
  ]);
  return [
    ...sessions.map((session) => ({ kind: 'session' as const, ...session })),
    ...keys.map((key) => ({ kind: 'api_key' as const, ...key })),
  ]
    .map(({ kind, id, name, createdAt, lastUsedAt, expiresAt }) => ({ kind, id, name, createdAt, lastUsedAt, expiresAt }))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** The caller's active token with this id, or else this name; NOT_FOUND or, when names collide, CONFLICT. */
export async function findToken(runtime: Runtime, userId: string, nameOrId: string): Promise<NamedToken> {
  const tokens = await listTokens(runtime, userId);
  const byId = tokens.find((token) => token.id === nameOrId);
  if (byId) return byId;
  const named = tokens.filter((token) => token.name === nameOrId);
  if (named.length === 0) throw new AppError(refusals.noSuchToken);
  if (named.length > 1) throw new AppError(refusals.tokenNameShared);
  return named[0]!;
}

/** The caller's own credential as a named token (what GET /v1/token describes). */
export async function currentToken(runtime: Runtime, principal: Principal): Promise<NamedToken> {
  const select = { id: true, name: true, createdAt: true, lastUsedAt: true, expiresAt: true } as const;
  if (principal.kind === 'session') {
    const session = await runtime.db.session.findUnique({ where: { id: principal.sessionId }, select });
    if (session) return { kind: 'session', ...session };
  } else if (principal.kind === 'apiKey') {
    const key = await runtime.db.apiKey.findUnique({ where: { id: principal.keyId }, select });
    if (key) return { kind: 'api_key', ...key };
  }
  throw new AppError('UNAUTHENTICATED');
}

/** Names are novem's (tokenNameSchema) and unique among the user's active tokens, so each one addresses a single token. */
export async function assertTokenNameFree(runtime: Runtime, userId: string, name: string): Promise<void> {
  parseOrThrow(z.object({ tokenName: tokenNameSchema }), { tokenName: name });
  const now = runtime.clock();
  const [sessions, keys] = await Promise.all([
    runtime.db.session.count({ where: { userId, name, revokedAt: null, expiresAt: { gt: now } } }),
    runtime.db.apiKey.count({ where: { userId, name, ...activeKeyFilter(now) } }),
  ]);
  if (sessions + keys > 0) throw new AppError(refusals.tokenNameTaken(name));
}

/**
 * novem's POST /v1/token: a user's new named key with the owner's full rights
 * (a novem token is the user's credential for every novem route), shown once.
 */
export async function createNamedToken(
  runtime: Runtime,
  userId: string,
  input: { name?: string; description?: string | null },
  client: ClientInfo,
) {
  const name = input.name ?? generatedTokenName(client.userAgent);
  await assertTokenNameFree(runtime, userId, name);
  await assertEmailVerified(runtime, userId, refusals.emailNotVerifiedNovem);
  // Its only door (novem's POST /v1/token) has just checked the password: that is the recent authentication.
  return createApiKey(runtime, { userId }, { name, description: input.description }, { userId, client, proof: { kind: 'password' } });
}
