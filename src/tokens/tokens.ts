import { activeKeyFilter } from '../apikeys/limits.js';
import { AppError, refusals } from '../errors.js';
import type { Runtime } from '../runtime.js';

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
