import { z } from 'zod';
import {
  answerByCode,
  answerSignInLink,
  codeRefused,
  emailSchema,
  isRequestingBrowser,
  openSignInLink,
  uidRefused,
  type SettledChallenge,
} from '../challenges/answer.js';
import { oneTimeCodeOfUid } from '../crypto/one-time-code.js';
import { isUniqueViolation } from '../db.js';
import type { User } from '../generated/sqlite/client.js';
import { loginAttempts } from '../metrics.js';
import { startMfaChallenge } from '../mfa/challenge-start.js';
import { hasSecondFactor } from '../mfa/step-up.js';
import { availableUsername } from '../oidc/google-account.js';
import type { ClientInfo } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { startSession, type SessionOptions, type SignInResult } from '../sessions/login.js';
import { parseOrThrow } from '../validation.js';
import { commitWithEvents } from '../webhooks/outbox.js';
import { userCreatedData } from '../webhooks/event-data.js';

/** What a session signed in by an e-mailed code or link says it proved (amr; aal1 until a second factor). */
export const emailFactor = 'email';

const optionsSchema = z.object({ clientType: z.enum(['API', 'BROWSER']), rememberMe: z.boolean() });


/** The account a settled SIGN_IN is for: with PASSWORDLESS_SIGNUP, one created now for the proven address. */
async function accountOf(runtime: Runtime, settled: SettledChallenge<'SIGN_IN'>, email: string): Promise<User> {
  if (settled.userId) return runtime.db.user.findUniqueOrThrow({ where: { id: settled.userId } });
  if (!runtime.config.passwordlessSignup) throw codeRefused();
  try {
    const username = await availableUsername(runtime, email);
    return await commitWithEvents(
      runtime,
      (tx) => tx.user.create({ data: { username, email, emailVerified: true } }),
      (user) => [{ action: 'register', outcome: 'success', userId: user.id, detail: 'email', data: { user: userCreatedData(user, 'email') } }],
    );
  } catch (error) {
    // Registered by someone else since the code was mailed: the code proved the address, not that account.
    if (isUniqueViolation(error)) throw codeRefused();
    throw error;
  }
}

/** A first factor passed by the mailbox: a session, or the MFA challenge when the account has a second factor. */
async function signInProven(runtime: Runtime, user: User, options: SessionOptions, client: ClientInfo): Promise<SignInResult> {
  loginAttempts.inc({ method: emailFactor, outcome: 'success' });
  if (await hasSecondFactor(runtime, user.id)) return { kind: 'mfa', challenge: await startMfaChallenge(runtime, user.id, emailFactor, options, client) };
  return { kind: 'session', user, ...(await startSession(runtime, user.id, { ...options, amr: [emailFactor] }, client)) };
}

/**
 * Signs in with the six-digit code from the sign-in mail. The code is a challenge
 * code like the others (answers/challenges: five tries, single use, CHALLENGE_TTL,
 * CHALLENGE_FAILURES_PER_DAY); an unknown address fails as a wrong code does.
 */
export async function signInWithEmailCode(
  runtime: Runtime,
  input: { email: string; code: string; clientType: 'API' | 'BROWSER'; rememberMe: boolean },
  client: ClientInfo,
): Promise<SignInResult> {
  const options = parseOrThrow(optionsSchema, { clientType: input.clientType, rememberMe: input.rememberMe });
  const settled = await answerByCode(runtime, input, 'SIGN_IN').catch((error: unknown) => {
    loginAttempts.inc({ method: emailFactor, outcome: 'BAD_USER_INPUT' });
    throw error;
  });
  const user = await accountOf(runtime, settled, parseOrThrow(emailSchema, input.email));
  return signInProven(runtime, user, options, client);
}

/** What the link page offers: signing this browser in, the code to type on the browser that asked, or nothing (a dead link). */
export type LinkView = { kind: 'sign-in'; redirectTo: string | null } | { kind: 'code'; code: string } | { kind: 'dead' };

/**
 * A link opened in the browser that asked signs it in; anywhere else (a forwarded
 * link, another device) it only shows the code, to type where the sign-in was
 * asked for. An account with a second factor also gets the code: that browser's
 * sign-in form asks for the second factor.
 */
export async function signInLinkView(runtime: Runtime, uid: string, nonce: string | undefined): Promise<LinkView> {
  const challenge = await openSignInLink(runtime, uid);
  if (!challenge) return { kind: 'dead' };
  const here = isRequestingBrowser(challenge, nonce) && !(challenge.userId && (await hasSecondFactor(runtime, challenge.userId)));
  return here ? { kind: 'sign-in', redirectTo: challenge.redirectPath } : { kind: 'code', code: oneTimeCodeOfUid(runtime.serverSecret, uid) };
}

/** Signs in the browser that requested the link (see signInLinkView): a BROWSER session, and where to send it. */
export async function signInWithLink(runtime: Runtime, uid: string, nonce: string | undefined, client: ClientInfo) {
  if ((await signInLinkView(runtime, uid, nonce)).kind !== 'sign-in') throw uidRefused();
  const settled = await answerSignInLink(runtime, uid, nonce);
  const user = await accountOf(runtime, settled, settled.email);
  const result = await signInProven(runtime, user, { clientType: 'BROWSER', rememberMe: false }, client);
  if (result.kind !== 'session') throw uidRefused();
  return { session: result, redirectTo: settled.redirectTo };
}
