import { notifyAccountChange } from '../accounts/change-notice.js';
import { assertRecentAuthentication } from '../accounts/reauth.js';
import { isAdmin } from '../accounts/roles.js';
import type { SessionPrincipal, UserPrincipal } from '../principal.js';
import { AppError, badInput, refusals } from '../errors.js';
import { keysetPage, olderThan, type PageArgs } from '../pagination.js';
import type { Runtime } from '../runtime.js';
import type { ClientInfo } from '../principal.js';
import { keyFormatOf, newKeySecret } from './key-format.js';
import type { KeyEnvironment } from './scopes.js';
import { commitWithEvents } from '../webhooks/outbox.js';
import { keyData } from '../webhooks/event-data.js';

export const maxRollGraceSeconds = 30 * 24 * 3600;

/** The caller's own keys, newest first. */
export function listApiKeys(runtime: Runtime, userId: string, page: PageArgs) {
  return keysetPage(
    page,
    (before, take) =>
      runtime.db.apiKey.findMany({
        where: { userId, ...olderThan('createdAt', before) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take,
      }),
    (key) => ({ at: key.createdAt, id: key.id }),
  );
}

/** Who a key belongs to: its user, or its service account. */
export async function keyOwner(runtime: Runtime, key: { userId: string | null; serviceAccountId: string | null }) {
  if (key.userId) return runtime.db.user.findUniqueOrThrow({ where: { id: key.userId } });
  return runtime.db.serviceAccount.findUniqueOrThrow({ where: { id: key.serviceAccountId! } });
}

/** A key the caller manages: one of their own, or (for an admin) a service account's. */
export async function findManagedApiKey(runtime: Runtime, principal: UserPrincipal, keyId: string) {
  const key = await runtime.db.apiKey.findUnique({ where: { id: keyId } });
  if (!key) return null;
  if (key.userId === principal.userId) return key;
  if (key.serviceAccountId && (await isAdmin(runtime, principal))) return key;
  return null;
}

export async function managedKeyOrThrow(runtime: Runtime, principal: UserPrincipal, keyId: string) {
  const key = await findManagedApiKey(runtime, principal, keyId);
  if (!key) throw new AppError(refusals.noSuchApiKey);
  return key;
}

/** Refused from the very next request on: the key leaves this instance's cache here. */
export async function revokeApiKey(runtime: Runtime, principal: UserPrincipal, keyId: string, client: ClientInfo) {
  const key = await managedKeyOrThrow(runtime, principal, keyId);
  if (key.revokedAt) return key;
  await assertRecentAuthentication(runtime, principal);
  const now = runtime.clock();
  await commitWithEvents(
    runtime,
    (tx) => tx.apiKey.updateMany({ where: { id: key.id, revokedAt: null }, data: { revokedAt: now } }),
    (revoked) =>
      revoked.count === 1 ? [{ action: 'revoke', outcome: 'success', client, userId: principal.userId, serviceAccountId: key.serviceAccountId, apiKeyId: key.id, data: { key: keyData(key) } }] : [],
  );
  runtime.revocations.keyChanged(key.id);
  if (key.userId) await notifyAccountChange(runtime, key.userId, 'an API key was revoked', [`Key: "${key.name}" (${key.prefix}...)`]);
  return runtime.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
}

const activeOwner = {
  NOT: [{ user: { is: { disabledAt: { not: null } } } }, { serviceAccount: { is: { disabledAt: { not: null } } } }],
};

/**
 * A new secret for the same key (id, name, scopes, expiry and log stay). The
 * secret it replaces keeps working for `gracePeriodSeconds`; a later roll
 * replaces that one, so only the last two secrets are ever accepted.
 */
export async function rollApiKey(
  runtime: Runtime,
  principal: SessionPrincipal,
  keyId: string,
  gracePeriodSeconds: number,
  client: ClientInfo,
) {
  if (!Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0 || gracePeriodSeconds > maxRollGraceSeconds) {
    throw badInput([{ field: 'gracePeriodSeconds', message: `must be between 0 and ${maxRollGraceSeconds}` }]);
  }
  const key = await managedKeyOrThrow(runtime, principal, keyId);
  await assertRecentAuthentication(runtime, principal);
  const now = runtime.clock();
  if (key.revokedAt || (key.expiresAt && key.expiresAt <= now)) {
    throw badInput([{ field: 'id', message: 'the key is revoked or expired; create a new one' }]);
  }
  const secret = newKeySecret(keyFormatOf(key.prefix), runtime.config.apiKeys.prefix, key.environment as KeyEnvironment, runtime.serverSecret);
  const graceEnds = gracePeriodSeconds > 0 ? new Date(now.getTime() + gracePeriodSeconds * 1000) : null;
  const rolled = { ...key, prefix: secret.displayPrefix };
  const { count } = await commitWithEvents(
    runtime,
    (tx) =>
      tx.apiKey.updateMany({
        // Never a new secret for a disabled owner's key, whatever this instance has cached.
        where: { id: key.id, secretHash: key.secretHash, revokedAt: null, ...activeOwner },
        data: {
          secretHash: secret.secretHash,
          prefix: secret.displayPrefix,
          previousSecretHash: graceEnds ? key.secretHash : null,
          previousSecretExpiresAt: graceEnds,
        },
      }),
    (changed) =>
      changed.count === 1
        ? [{ action: 'roll', outcome: 'success', operation: `grace ${gracePeriodSeconds}s`, client, userId: principal.userId, serviceAccountId: key.serviceAccountId, apiKeyId: key.id, data: { key: keyData(rolled), previousSecretExpiresAt: graceEnds?.toISOString() ?? null } }]
        : [],
  );
  if (count !== 1) throw new AppError(refusals.keyChangedMeanwhile);
  runtime.revocations.keyChanged(key.id);
  if (key.userId) await notifyAccountChange(runtime, key.userId, 'an API key was given a new secret (rolled)', [`Key: "${key.name}"`]);
  return { apiKey: await runtime.db.apiKey.findUniqueOrThrow({ where: { id: key.id } }), rawKey: secret.rawKey };
}
