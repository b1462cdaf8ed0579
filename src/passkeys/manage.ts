import { z } from 'zod';
import { notifyAccountChange } from '../accounts/change-notice.js';
import { assertRecentAuthentication } from '../accounts/reauth.js';
import { keepsASignInMethod } from '../accounts/sign-in-methods.js';
import { AppError, refusals } from '../errors.js';
import type { ClientInfo, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow, singleLineText } from '../validation.js';

export const passkeyInput = z.object({ name: singleLineText().refine((name) => name.length <= 64, 'must be at most 64 characters') });

export type PasskeyView = { id: string; name: string; deviceType: string; backedUp: boolean; createdAt: Date; lastUsedAt: Date | null };
export const passkeyView = { id: true, name: true, deviceType: true, backedUp: true, createdAt: true, lastUsedAt: true } as const;

export const passkeysOf = (runtime: Runtime, userId: string): Promise<PasskeyView[]> =>
  runtime.db.passkey.findMany({ where: { userId }, select: passkeyView, orderBy: { createdAt: 'asc' } });

export async function renamePasskey(runtime: Runtime, principal: SessionPrincipal, id: string, name: string, client: ClientInfo): Promise<PasskeyView> {
  const input = parseOrThrow(passkeyInput, { name: name.trim() });
  const { count } = await runtime.db.passkey.updateMany({ where: { id, userId: principal.userId }, data: { name: input.name } });
  if (count === 0) throw new AppError(refusals.noSuchPasskey);
  runtime.tokenEvents.record({ action: 'passkey', outcome: 'success', operation: 'renamed', client, userId: principal.userId, sessionId: principal.sessionId });
  return runtime.db.passkey.findUniqueOrThrow({ where: { id }, select: passkeyView });
}

/**
 * Removes a passkey (needs a recent sign-in), unless it is the account's last way
 * to sign in (accounts/sign-in-methods.ts). The user's row is written first in the
 * transaction, so two removals at once take turns rather than both passing the check.
 */
export async function removePasskey(runtime: Runtime, principal: SessionPrincipal, id: string, client: ClientInfo): Promise<void> {
  await assertRecentAuthentication(runtime, principal);
  const passkey = await runtime.db.passkey.findFirst({ where: { id, userId: principal.userId }, select: { id: true, name: true } });
  if (!passkey) throw new AppError(refusals.noSuchPasskey);
  const removed = await runtime.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: principal.userId }, data: { updatedAt: runtime.clock() } });
    const { count } = await tx.passkey.deleteMany({ where: { id, userId: principal.userId, user: keepsASignInMethod({ passkeyId: id }) } });
    return count;
  });
  if (removed === 0) throw new AppError(refusals.lastSignInMethod);
  runtime.tokenEvents.record({ action: 'passkey', outcome: 'success', operation: 'removed', client, userId: principal.userId, sessionId: principal.sessionId });
  await notifyAccountChange(runtime, principal.userId, 'a passkey was removed', [`Passkey: "${passkey.name}"`]);
}
