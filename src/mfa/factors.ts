import QRCode from 'qrcode';
import { notifyAccountChange } from '../accounts/change-notice.js';
import { assertRecentAuthentication } from '../accounts/reauth.js';
import { activeUserOrThrow } from '../accounts/users.js';
import { AppError, refusals } from '../errors.js';
import type { ClientInfo, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow, singleLineText } from '../validation.js';
import { z } from 'zod';
import { replaceRecoveryCodes } from './recovery-codes.js';
import { hasSecondFactor, markSecondFactor } from './step-up.js';
import { seal, unseal } from '../crypto/sealed-secret.js';
import { newTotpSecret, stepOfCode, totpOf } from './totp.js';
import { commitWithEvents } from '../webhooks/outbox.js';

export const totpSealPurpose = 'totp-secret';
const maxFactorsPerUser = 5;
const factorInput = z.object({ name: singleLineText().refine((name) => name.length <= 64, 'must be at most 64 characters') });

export type MfaFactorView = { id: string; kind: string; name: string; confirmedAt: Date | null; createdAt: Date };
const factorView = { id: true, kind: true, name: true, confirmedAt: true, createdAt: true } as const;

export const confirmedFactors = (runtime: Runtime, userId: string) =>
  runtime.db.mfaFactor.findMany({ where: { userId, confirmedAt: { not: null } }, select: factorView, orderBy: { createdAt: 'asc' } });

export const confirmedFactorsWithSecrets = (runtime: Runtime, userId: string) =>
  runtime.db.mfaFactor.findMany({ where: { userId, confirmedAt: { not: null } }, orderBy: { createdAt: 'asc' } });

/** Every factor, confirmed or not, for the account's own view. */
export const factorsOf = (runtime: Runtime, userId: string): Promise<MfaFactorView[]> =>
  runtime.db.mfaFactor.findMany({ where: { userId }, select: factorView, orderBy: { createdAt: 'asc' } });


/** The authenticator app's view of a factor: its URI names the product and the account. */
export function totpForFactor(runtime: Runtime, factor: { secretSealed: string }, username: string) {
  return totpOf(unseal(runtime.serverSecret, totpSealPurpose, factor.secretSealed), { label: username, issuer: runtime.config.mail.productName });
}

/** A new TOTP factor, inactive until confirmTotp: its secret, `otpauth://` URI and QR code are shown once. */
export async function enrollTotp(runtime: Runtime, principal: SessionPrincipal, name: string | null | undefined, client: ClientInfo) {
  await assertRecentAuthentication(runtime, principal);
  const user = await activeUserOrThrow(runtime, principal.userId);
  const input = parseOrThrow(factorInput, { name: name?.trim() || 'Authenticator app' });
  if ((await runtime.db.mfaFactor.count({ where: { userId: user.id } })) >= maxFactorsPerUser) throw new AppError(refusals.tooManyFactors(maxFactorsPerUser));
  const secret = newTotpSecret();
  const factor = await runtime.db.mfaFactor.create({
    data: { userId: user.id, name: input.name, secretSealed: seal(runtime.serverSecret, totpSealPurpose, secret), createdAt: runtime.clock() },
    select: factorView,
  });
  const uri = totpOf(secret, { label: user.username, issuer: runtime.config.mail.productName }).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  runtime.tokenEvents.record({ action: 'mfa', outcome: 'success', operation: 'enrolled', client, userId: user.id, sessionId: principal.sessionId });
  return { factor, secret, uri, qrCode: `data:image/svg+xml;base64,${Buffer.from(qrSvg).toString('base64')}` };
}

/**
 * Activates an enrolled factor with a first code from the app. The first active
 * factor of an account also gets its recovery codes (answered once), and the
 * session that confirmed counts as having passed a second factor.
 */
export async function confirmTotp(runtime: Runtime, principal: SessionPrincipal, factorId: string, code: string, client: ClientInfo) {
  const user = await activeUserOrThrow(runtime, principal.userId);
  const factor = await runtime.db.mfaFactor.findFirst({ where: { id: factorId, userId: user.id } });
  if (!factor) throw new AppError(refusals.noSuchFactor);
  if (factor.confirmedAt) throw new AppError(refusals.factorAlreadyConfirmed);
  const now = runtime.clock();
  const step = stepOfCode(totpForFactor(runtime, factor, user.username), code.trim(), now);
  if (step === null) {
    runtime.tokenEvents.record({ action: 'mfa', outcome: 'UNAUTHENTICATED', operation: 'confirm-failed', client, userId: user.id });
    throw new AppError(refusals.wrongMfaCode);
  }
  const recoveryCodes = await commitWithEvents(
    runtime,
    async (tx) => {
      const first = (await tx.mfaFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } })) === 0;
      await tx.mfaFactor.update({ where: { id: factor.id }, data: { confirmedAt: now, lastUsedStep: step } });
      await markSecondFactor(tx, principal.sessionId, 'otp', now);
      return first ? replaceRecoveryCodes(runtime, tx, user.id) : null;
    },
    () => [{ action: 'mfa', outcome: 'success', operation: 'confirmed', client, userId: user.id, sessionId: principal.sessionId, data: { factor: { id: factor.id, kind: factor.kind } } }],
  );
  await notifyAccountChange(runtime, user.id, 'a second factor was added', [`Factor: "${factor.name}"`]);
  return { factor: { id: factor.id, kind: factor.kind, name: factor.name, confirmedAt: now, createdAt: factor.createdAt }, recoveryCodes };
}

/** A new set of recovery codes; the old set stops working. */
export async function regenerateRecoveryCodes(runtime: Runtime, principal: SessionPrincipal, client: ClientInfo): Promise<string[]> {
  await assertRecentAuthentication(runtime, principal);
  if (!(await hasSecondFactor(runtime, principal.userId))) throw new AppError(refusals.noSecondFactor);
  const codes = await replaceRecoveryCodes(runtime, runtime.db, principal.userId);
  runtime.tokenEvents.record({ action: 'mfa', outcome: 'success', operation: 'recovery-codes-regenerated', client, userId: principal.userId });
  await notifyAccountChange(runtime, principal.userId, 'new recovery codes were made; the old ones no longer work');
  return codes;
}

/** Removes a factor; without factors left the recovery codes go too, and the account signs in with one factor again. */
export async function removeMfaFactor(runtime: Runtime, principal: SessionPrincipal, factorId: string, client: ClientInfo): Promise<void> {
  await assertRecentAuthentication(runtime, principal);
  const factor = await runtime.db.mfaFactor.findFirst({ where: { id: factorId, userId: principal.userId } });
  if (!factor) throw new AppError(refusals.noSuchFactor);
  const remaining = await commitWithEvents(
    runtime,
    async (tx) => {
      await tx.mfaFactor.delete({ where: { id: factor.id } });
      const left = await tx.mfaFactor.count({ where: { userId: principal.userId, confirmedAt: { not: null } } });
      if (left === 0) await tx.recoveryCode.deleteMany({ where: { userId: principal.userId } });
      return left;
    },
    (left) => [
      {
        action: 'mfa',
        outcome: 'success',
        operation: 'removed',
        client,
        userId: principal.userId,
        sessionId: principal.sessionId,
        data: { factor: { id: factor.id, kind: factor.kind }, factorsLeft: left },
      },
    ],
  );
  if (factor.confirmedAt) {
    const notes = [`Factor: "${factor.name}"`, ...(remaining === 0 ? ['This account now signs in with a password alone.'] : [])];
    await notifyAccountChange(runtime, principal.userId, 'a second factor was removed', notes);
  }
}
