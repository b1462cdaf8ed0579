import { actorOf } from '../audit/actor.js';
import { randomInt } from 'node:crypto';
import { getAccount, type AccountSummary } from '../accounts/account.js';
import { notifyAccountChange } from '../accounts/change-notice.js';
import { assertRecentAuthentication, stampAuthentication } from '../accounts/reauth.js';
import { keepsASignInMethod } from '../accounts/sign-in-methods.js';
import { accountUserId } from '../accounts/whoami.js';
import { activeUserOrThrow, normalizeLogin } from '../accounts/users.js';
import { isUniqueViolation } from '../db.js';
import { AppError, refusals } from '../errors.js';
import { loginAttempts } from '../metrics.js';
import type { Runtime } from '../runtime.js';
import type { ClientInfo, ClientType, Principal, SessionPrincipal } from '../principal.js';
import { startMfaChallenge } from '../mfa/challenge-start.js';
import { hasSecondFactor } from '../mfa/step-up.js';
import { startSession } from '../sessions/login.js';
import { announceEnded, endUserSessions } from '../sessions/revoke.js';
import type { SessionTokens } from '../sessions/session-tokens.js';
import { cleanFullName } from '../validation.js';
import { assertAccountAllowed } from '../hooks/before-user-created.js';
import type { OidcIdentity } from './provider.js';
import { commitWithEvents, recordCommitted, writeOutbox, type ChangeEvent } from '../webhooks/outbox.js';
import { userCreatedData } from '../webhooks/event-data.js';

async function verifiedIdentity(runtime: Runtime, credential: string): Promise<OidcIdentity> {
  if (!runtime.oidc) throw new AppError(refusals.googleNotConfigured);
  const identity = await runtime.oidc.verifyIdToken(credential, runtime.clock());
  return { ...identity, email: normalizeLogin(identity.email) };
}

/** A username from the e-mail's local part: accents dropped, `+tag` dropped, only [a-z0-9_.-]. */
export function usernameFromEmail(email: string): string {
  const local = (email.split('@')[0] ?? '').split('+')[0] ?? '';
  const cleaned = local
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]/g, '');
  return (cleaned.length >= 3 ? cleaned : `user${cleaned}`).slice(0, 32);
}

const suffixAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
const randomSuffix = () => Array.from({ length: 4 }, () => suffixAlphabet[randomInt(suffixAlphabet.length)]).join('');

export async function availableUsername(runtime: Runtime, email: string): Promise<string> {
  const base = usernameFromEmail(email);
  const taken = await runtime.db.user.findUnique({ where: { username: base }, select: { id: true } });
  return taken ? `${base.slice(0, 27)}-${randomSuffix()}` : base;
}

function refuseDisabled(user: { disabledAt: Date | null }) {
  if (user.disabledAt) throw new AppError(refusals.accountDisabled);
}

/** Sets the subject unless the account already has one; a concurrent link of the same subject is fine. */
async function attachSubject(runtime: Runtime, userId: string, subject: string) {
  const { count } = await runtime.db.user.updateMany({ where: { id: userId, googleSubject: null }, data: { googleSubject: subject } });
  if (count === 1) return;
  const current = await runtime.db.user.findUnique({ where: { id: userId }, select: { googleSubject: true } });
  if (current?.googleSubject !== subject) throw new AppError(refusals.accountLinkedElsewhere);
}

/**
 * The account an identity signs in to. An existing account is joined by e-mail
 * only when it has proven that address too: otherwise whoever registered the
 * address first, without owning it, would share the account with its owner.
 */
async function accountFor(runtime: Runtime, identity: OidcIdentity, client: ClientInfo): Promise<string> {
  const linked = await runtime.db.user.findUnique({ where: { googleSubject: identity.subject } });
  if (linked) {
    refuseDisabled(linked);
    return linked.id;
  }
  const sameEmail = await runtime.db.user.findUnique({ where: { email: identity.email } });
  if (!sameEmail) {
    const candidate = { username: await availableUsername(runtime, identity.email), email: identity.email, fullName: cleanFullName(identity.name) };
    await assertAccountAllowed(runtime, { ...candidate, provider: 'google' }, client);
    const created = await commitWithEvents(
      runtime,
      (tx) => tx.user.create({ data: { ...candidate, emailVerified: true, googleSubject: identity.subject } }),
      (user) => [{ action: 'register', outcome: 'success', userId: user.id, detail: 'google', data: { user: userCreatedData(user, 'google') } }],
    );
    runtime.logger.info({ userId: created.id }, 'account created with Google');
    return created.id;
  }
  refuseDisabled(sameEmail);
  // Created by a concurrent first sign-in of this same identity since the lookup above.
  if (sameEmail.googleSubject === identity.subject) return sameEmail.id;
  if (sameEmail.googleSubject !== null) throw new AppError(refusals.emailLinkedElsewhere);
  if (!sameEmail.emailVerified) throw new AppError(refusals.linkWithPasswordFirst);
  await joinByVerifiedEmail(runtime, sameEmail.id, identity.subject);
  return sameEmail.id;
}

/**
 * Whoever set the account's password need not own its address: anyone may
 * register an address, and its owner may verify it later from the mail. So when
 * the address's Google account joins, it takes the account over: in one
 * transaction with the link the password is cleared (the owner sets a new one
 * with forgotPassword), every session ends and every API key is revoked. Then
 * nothing the registrant held still works.
 */
const keyRevokedByJoin = (userId: string, apiKeyId: string): ChangeEvent => ({ action: 'revoke', outcome: 'success', operation: 'google-join', userId, apiKeyId });

async function joinByVerifiedEmail(runtime: Runtime, userId: string, subject: string): Promise<void> {
  const now = runtime.clock();
  const joined = await runtime.db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: userId, googleSubject: null }, data: { googleSubject: subject, passwordHash: null } });
    if (count === 0) return null;
    const keys = await tx.apiKey.updateManyAndReturn({ where: { userId, revokedAt: null }, data: { revokedAt: now }, select: { id: true } });
    await writeOutbox(tx, runtime, keys.map((key) => keyRevokedByJoin(userId, key.id)));
    return { keyIds: keys.map((key) => key.id), sessionIds: await endUserSessions(tx, userId, 'google-join', now) };
  });
  if (!joined) {
    // A concurrent sign-in of this same identity joined first; anything else is another Google account.
    const current = await runtime.db.user.findUnique({ where: { id: userId }, select: { googleSubject: true } });
    if (current?.googleSubject !== subject) throw new AppError(refusals.accountLinkedElsewhere);
    return;
  }
  announceEnded(runtime, userId, joined.sessionIds, 'google-join', now);
  for (const apiKeyId of joined.keyIds) runtime.revocations.keyChanged(apiKeyId);
  recordCommitted(runtime, joined.keyIds.map((apiKeyId) => keyRevokedByJoin(userId, apiKeyId)));
  runtime.tokenEvents.record({ action: 'provider-linked', outcome: 'success', operation: 'google-join', userId, detail: 'google' });
  runtime.logger.info({ userId, sessionsRevoked: joined.sessionIds.length, keysRevoked: joined.keyIds.length }, 'Google joined by verified e-mail');
  await notifyAccountChange(runtime, userId, 'Google sign-in joined this account by its e-mail address', [
    'The password was removed, and every other session and API key ended: whoever set them may not own this address.',
    'To sign in with a password again, set one with "forgot password".',
  ]);
}

/**
 * Two first sign-ins at once both find no account; the loser of the insert
 * (or of a username picked by someone else meanwhile) looks again.
 */
async function accountForWithRetry(runtime: Runtime, identity: OidcIdentity, client: ClientInfo): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await accountFor(runtime, identity, client);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (attempt === 3) throw new AppError(refusals.accountChangedWhileSigningIn);
    }
  }
}

/** The account a Google ID token signs in to (joined or created by the rules above); its user id. */
export async function authenticateGoogle(runtime: Runtime, credential: string, client: ClientInfo): Promise<string> {
  const identity = await verifiedIdentity(runtime, credential).catch((error: unknown) => {
    loginAttempts.inc({ method: 'google', outcome: error instanceof AppError ? error.code : 'INTERNAL' });
    throw error;
  });
  const userId = await accountForWithRetry(runtime, identity, client);
  loginAttempts.inc({ method: 'google', outcome: 'success' });
  return userId;
}

export async function signInWithGoogle(
  runtime: Runtime,
  credential: string,
  options: { clientType: ClientType; rememberMe: boolean },
  client: ClientInfo,
): Promise<SessionTokens> {
  const userId = await authenticateGoogle(runtime, credential, client);
  if (await hasSecondFactor(runtime, userId)) {
    throw new AppError(refusals.signInNeedsSecondFactor, { mfaChallenge: await startMfaChallenge(runtime, userId, 'google', options, client) });
  }
  return startSession(runtime, userId, { ...options, amr: ['google'] }, client);
}

/** Links the Google account in `credential` to a signed-in user, whatever its e-mail address. */
export async function linkGoogle(runtime: Runtime, principal: SessionPrincipal, credential: string): Promise<AccountSummary> {
  const { userId } = principal;
  await assertRecentAuthentication(runtime, principal);
  const identity = await verifiedIdentity(runtime, credential);
  const user = await activeUserOrThrow(runtime, userId);
  if (user.googleSubject !== identity.subject) {
    if (user.googleSubject !== null) throw new AppError(refusals.accountLinkedElsewhere);
    const owner = await runtime.db.user.findUnique({ where: { googleSubject: identity.subject }, select: { id: true } });
    if (owner) throw new AppError(refusals.googleLinkedElsewhere);
    try {
      await attachSubject(runtime, userId, identity.subject);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError(refusals.googleLinkedElsewhere);
      throw error;
    }
    runtime.logger.info({ userId }, 'Google linked by a signed-in user');
    runtime.tokenEvents.record({ action: 'provider-linked', outcome: 'success', userId, sessionId: principal.sessionId, detail: 'google' });
    await notifyAccountChange(runtime, userId, 'a Google account was linked', [`Google account: ${identity.email}. It can now sign in to this account.`]);
  }
  return getAccount(runtime, userId);
}

/** Only when another way to sign in remains (accounts/sign-in-methods.ts); the check and the change are one statement. */
export async function unlinkGoogle(runtime: Runtime, principal: Principal): Promise<AccountSummary> {
  const userId = accountUserId(principal);
  await assertRecentAuthentication(runtime, principal);
  const { count } = await runtime.db.user.updateMany({
    where: { id: userId, disabledAt: null, googleSubject: { not: null }, ...keepsASignInMethod({ google: true }) },
    data: { googleSubject: null },
  });
  if (count === 0) {
    const user = await activeUserOrThrow(runtime, userId);
    if (user.googleSubject === null) throw new AppError(refusals.googleNotLinked);
    throw new AppError(refusals.setPasswordBeforeUnlinking);
  }
  runtime.logger.info({ userId }, 'Google unlinked');
  runtime.tokenEvents.record({ action: 'provider-unlinked', outcome: 'success', userId, actor: actorOf(principal), detail: 'google' });
  await notifyAccountChange(runtime, userId, 'Google sign-in was unlinked');
  return getAccount(runtime, userId);
}

/** reauthenticateWithGoogle: a fresh ID token of the Google account linked to the caller's account counts as a new sign-in. */
export async function reauthenticateWithGoogle(runtime: Runtime, principal: SessionPrincipal, credential: string): Promise<Date> {
  const identity = await verifiedIdentity(runtime, credential);
  const user = await activeUserOrThrow(runtime, principal.userId);
  if (user.googleSubject === null || user.googleSubject !== identity.subject) throw new AppError(refusals.idTokenInvalid);
  loginAttempts.inc({ method: 'google', outcome: 'success' });
  return stampAuthentication(runtime, principal.sessionId);
}
