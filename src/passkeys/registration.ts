import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import { notifyAccountChange } from '../accounts/change-notice.js';
import { assertRecentAuthentication } from '../accounts/reauth.js';
import { activeUserOrThrow } from '../accounts/users.js';
import { isUniqueViolation } from '../db.js';
import { AppError, refusals } from '../errors.js';
import type { ClientInfo, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow } from '../validation.js';
import { claimChallenge, issueChallenge } from './challenges.js';
import { passkeyInput, passkeyView, type PasskeyView } from './manage.js';
import { expectedSite, passkeyDetail, registrationResponse } from './relying-party.js';

export const maxPasskeysPerUser = 10;

/**
 * Options for navigator.credentials.create (@simplewebauthn/browser's startRegistration):
 * a discoverable credential with user verification, so that it alone signs in
 * (no username typed) and counts as two factors. Needs a recent sign-in.
 */
export async function passkeyRegistrationOptions(runtime: Runtime, principal: SessionPrincipal, client: ClientInfo) {
  await assertRecentAuthentication(runtime, principal);
  const user = await activeUserOrThrow(runtime, principal.userId);
  const existing = await runtime.db.passkey.findMany({ where: { userId: user.id }, select: { credentialId: true, transports: true } });
  if (existing.length >= maxPasskeysPerUser) throw new AppError(refusals.tooManyPasskeys(maxPasskeysPerUser));
  return generateRegistrationOptions({
    rpName: runtime.config.webauthn.rpName,
    rpID: runtime.config.webauthn.rpId,
    userName: user.username,
    userID: new TextEncoder().encode(user.id),
    userDisplayName: user.fullName ?? user.email,
    challenge: await issueChallenge(runtime, { purpose: 'register', sessionId: principal.sessionId }, client.userAgent),
    attestationType: 'none',
    excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports ? passkey.transports.split(',') : undefined })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
}

/** Keeps the passkey the browser created for the options above (their challenge, this session, this client). */
export async function registerPasskey(runtime: Runtime, principal: SessionPrincipal, input: unknown, name: string | null | undefined, client: ClientInfo): Promise<PasskeyView> {
  await assertRecentAuthentication(runtime, principal);
  const { name: passkeyName } = parseOrThrow(passkeyInput, { name: name?.trim() || 'Passkey' });
  const response = registrationResponse(input);
  const challenge = await claimChallenge(runtime, response.response.clientDataJSON, { purpose: 'register', sessionId: principal.sessionId }, client.userAgent);
  const verification = await verifyRegistrationResponse({ response, expectedChallenge: challenge, ...expectedSite(runtime), requireUserVerification: true }).catch(
    (error: unknown) => {
      runtime.logger.info({ userId: principal.userId, reason: error instanceof Error ? error.message : 'unknown' }, 'passkey registration refused');
      return null;
    },
  );
  if (!verification?.verified) {
    runtime.tokenEvents.record({ action: 'passkey', outcome: 'UNAUTHENTICATED', operation: 'register-failed', client, userId: principal.userId, sessionId: principal.sessionId });
    throw new AppError(refusals.passkeyRejected);
  }
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
  const passkey = await runtime.db.passkey
    .create({
      data: {
        userId: principal.userId,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey),
        counter: credential.counter,
        deviceType: credentialDeviceType,
        backedUp: credentialBackedUp,
        transports: (credential.transports ?? []).join(','),
        name: passkeyName,
        createdAt: runtime.clock(),
      },
      select: passkeyView,
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? new AppError(refusals.passkeyAlreadyRegistered) : error;
    });
  runtime.tokenEvents.record({
    action: 'passkey',
    outcome: 'success',
    operation: 'registered',
    client,
    userId: principal.userId,
    sessionId: principal.sessionId,
    detail: passkeyDetail({ counter: credential.counter, deviceType: credentialDeviceType, backedUp: credentialBackedUp }),
  });
  await notifyAccountChange(runtime, principal.userId, 'a passkey was added', [`Passkey: "${passkey.name}". It can now sign in to this account.`]);
  return passkey;
}
