import { generateAuthenticationOptions, verifyAuthenticationResponse } from '@simplewebauthn/server';
import { AppError, refusals } from '../errors.js';
import type { ClientInfo } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { claimChallenge, issueChallenge, type ChallengeBinding } from './challenges.js';
import { authenticationResponse, expectedSite, passkeyDetail } from './relying-party.js';

/** The library's words for a counter that did not move forward (pinned version; a test covers it). */
const counterRefusal = /^Response counter value/;

/**
 * Options for navigator.credentials.get (@simplewebauthn/browser's startAuthentication).
 * Without `userId` any discoverable passkey of this site may answer (sign-in, nothing
 * typed); with it only that account's passkeys are offered.
 */
export async function assertionOptions(runtime: Runtime, binding: ChallengeBinding, client: ClientInfo, userId?: string) {
  const allowCredentials = userId
    ? (await runtime.db.passkey.findMany({ where: { userId }, select: { credentialId: true, transports: true } })).map((passkey) => ({
        id: passkey.credentialId,
        transports: passkey.transports ? (passkey.transports.split(',') as AuthenticatorTransport[]) : undefined,
      }))
    : undefined;
  if (userId && allowCredentials?.length === 0) throw new AppError(refusals.noSuchPasskey);
  return generateAuthenticationOptions({
    rpID: runtime.config.webauthn.rpId,
    challenge: await issueChallenge(runtime, binding, client.userAgent),
    userVerification: 'required',
    allowCredentials,
  });
}

type AuthenticatorTransport = 'ble' | 'cable' | 'hybrid' | 'internal' | 'nfc' | 'smart-card' | 'usb';

/**
 * Checks an assertion against its challenge (spent first, whatever follows) and the
 * stored public key; with `userId`, the passkey must be that account's. The new
 * counter and backup state are stored (a counter that goes backwards is refused as
 * a cloned authenticator's) and logged. Answers the passkey's user.
 */
export async function verifyAssertion(
  runtime: Runtime,
  input: unknown,
  binding: ChallengeBinding,
  client: ClientInfo,
  audit: { operation: string; userId?: string; sessionId?: string },
): Promise<{ userId: string; passkeyId: string }> {
  const response = authenticationResponse(input);
  const challenge = await claimChallenge(runtime, response.response.clientDataJSON, binding, client.userAgent);
  const passkey = await runtime.db.passkey.findUnique({ where: { credentialId: response.id } });
  const refuse = (refusal: typeof refusals.passkeyRejected | typeof refusals.passkeyCounterWentBack, userId = passkey?.userId): never => {
    if (!userId) throw new AppError(refusal);
    // Another account's passkey is not described in this account's log.
    const detail = passkey?.userId === userId ? passkeyDetail(passkey) : null;
    runtime.tokenEvents.record({ action: 'passkey', outcome: refusal.code, operation: `${audit.operation}-failed`, client, userId, sessionId: audit.sessionId, detail });
    throw new AppError(refusal);
  };
  if (!passkey || (audit.userId && passkey.userId !== audit.userId)) return refuse(refusals.passkeyRejected, audit.userId);
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    ...expectedSite(runtime),
    credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: Number(passkey.counter) },
    requireUserVerification: true,
  }).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : 'unknown';
    runtime.logger.info({ userId: passkey.userId, reason }, 'passkey assertion refused');
    return refuse(counterRefusal.test(reason) ? refusals.passkeyCounterWentBack : refusals.passkeyRejected);
  });
  if (!verification.verified) return refuse(refusals.passkeyRejected);
  const { newCounter, credentialDeviceType, credentialBackedUp } = verification.authenticationInfo;
  // Against the counter read above: of two assertions racing with one counter value, one wins.
  const { count } = await runtime.db.passkey.updateMany({
    where: { id: passkey.id, counter: passkey.counter },
    data: { counter: newCounter, deviceType: credentialDeviceType, backedUp: credentialBackedUp, lastUsedAt: runtime.clock() },
  });
  if (count !== 1 && newCounter > 0) return refuse(refusals.passkeyCounterWentBack);
  const stored = { counter: newCounter, deviceType: credentialDeviceType, backedUp: credentialBackedUp };
  runtime.tokenEvents.record({ action: 'passkey', outcome: 'success', operation: audit.operation, client, userId: passkey.userId, sessionId: audit.sessionId, detail: passkeyDetail(stored) });
  return { userId: passkey.userId, passkeyId: passkey.id };
}
