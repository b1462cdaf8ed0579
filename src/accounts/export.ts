import { actedBy } from '../audit/actor.js';
import { auditEntryJson } from '../audit/queries.js';
import { parseScopes } from '../apikeys/scopes.js';
import type { ClientInfo, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { getAccount } from './account.js';
import { assertRecentAuthentication } from './reauth.js';

/**
 * exportAccount: everything stored about the account, as one JSON document:
 * profile, sign-in methods, second factors, passkeys, sessions, keys (metadata: never a
 * secret or hash) and every log entry about it or by it. The export is logged.
 */
export async function exportAccount(runtime: Runtime, caller: SessionPrincipal, client: ClientInfo) {
  await assertRecentAuthentication(runtime, caller);
  const userId = caller.userId;
  await runtime.tokenEvents.flush();
  const [account, sessions, apiKeys, mfaFactors, passkeys, events] = await Promise.all([
    getAccount(runtime, userId),
    runtime.db.session.findMany({ where: { userId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    runtime.db.apiKey.findMany({ where: { userId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    runtime.db.mfaFactor.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } }),
    runtime.db.passkey.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } }),
    runtime.db.tokenEvent.findMany({ where: { OR: [{ userId }, { actorId: userId }] }, orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
  ]);
  runtime.tokenEvents.record({ action: 'exported', outcome: 'success', userId, sessionId: caller.sessionId, ...actedBy(caller, client) });
  return {
    exportedAt: runtime.clock().toISOString(),
    account,
    sessions: sessions.map((session) => ({
      id: session.id,
      name: session.name,
      userAgent: session.userAgent,
      clientType: session.clientType,
      createdAt: session.createdAt,
      lastUsedAt: session.lastUsedAt,
      expiresAt: session.expiresAt,
      revokedAt: session.revokedAt,
      revokeReason: session.revokeReason,
      amr: session.amr.split(','),
    })),
    apiKeys: apiKeys.map((key) => ({
      id: key.id,
      name: key.name,
      description: key.description,
      prefix: key.prefix,
      environment: key.environment,
      scopes: key.scopes === null ? null : parseScopes(key.scopes),
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt,
      expiresAt: key.expiresAt,
      revokedAt: key.revokedAt,
    })),
    mfaFactors: mfaFactors.map((factor) => ({ id: factor.id, kind: factor.kind, name: factor.name, confirmedAt: factor.confirmedAt, createdAt: factor.createdAt })),
    passkeys: passkeys.map((passkey) => ({
      id: passkey.id,
      name: passkey.name,
      deviceType: passkey.deviceType,
      backedUp: passkey.backedUp,
      createdAt: passkey.createdAt,
      lastUsedAt: passkey.lastUsedAt,
    })),
    activity: events.map(auditEntryJson),
  };
}

export type AccountExport = Awaited<ReturnType<typeof exportAccount>>;
