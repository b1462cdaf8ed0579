import { actedBy } from '../audit/actor.js';
import { answerByCode, emailSchema } from '../challenges/answer.js';
import { mailChallenge, newChallenge, openChallenge } from '../challenges/challenge.js';
import { AppError, refusals } from '../errors.js';
import { accountChangeMail } from '../mail/templates.js';
import type { ClientInfo, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow } from '../validation.js';
import { getAccount } from './account.js';
import { assertRecentAuthentication } from './reauth.js';
import { activeUserOrThrow } from './users.js';

/**
 * changeEmail: the account keeps its address until the new one is proven with the
 * code or link mailed to it (confirmEmailChange, or /challenge/<uid>). The current
 * address is told, with what to do if it was not its owner. Once moved, the new
 * address is verified, so Google sign-in joins by it exactly as it would by a
 * verified address at registration (oidc/google-account.ts).
 */
export async function changeEmail(runtime: Runtime, caller: SessionPrincipal, newEmail: string, client: ClientInfo): Promise<void> {
  await assertRecentAuthentication(runtime, caller);
  const email = parseOrThrow(emailSchema, newEmail);
  const user = await activeUserOrThrow(runtime, caller.userId);
  if (email === user.email) throw new AppError(refusals.sameEmail);
  if (await runtime.db.user.findFirst({ where: { email }, select: { id: true } })) {
    throw new AppError(refusals.alreadyRegistered('email'), { fields: [{ field: 'newEmail', message: 'is already registered' }] });
  }
  const challenge = newChallenge(runtime, 'CHANGE_EMAIL', email);
  const now = runtime.clock();
  await runtime.db.$transaction([
    runtime.db.challenge.updateMany({ where: { userId: user.id, purpose: 'CHANGE_EMAIL', ...openChallenge(now) }, data: { expiresAt: now } }),
    runtime.db.challenge.create({ data: { ...challenge.record, userId: user.id } }),
  ]);
  mailChallenge(runtime, challenge);
  runtime.mailer.send(
    accountChangeMail(runtime, {
      to: user.email,
      change: 'a change of your e-mail address was requested',
      notes: [
        'The address changes only once the code sent to the new address is entered.',
        'If this was not you, sign in, change your password and call cancelEmailChange (or ask your administrator): someone else may hold your session.',
      ],
      at: now,
    }),
  );
  runtime.tokenEvents.record({ action: 'email-change-requested', outcome: 'success', userId: user.id, sessionId: caller.sessionId, ...actedBy(caller, client) });
}

/** The newest open change's new address, or NOT_FOUND. */
async function pendingEmail(runtime: Runtime, userId: string): Promise<string> {
  const challenge = await runtime.db.challenge.findFirst({
    where: { userId, purpose: 'CHANGE_EMAIL', ...openChallenge(runtime.clock()) },
    orderBy: { createdAt: 'desc' },
    select: { email: true },
  });
  if (!challenge) throw new AppError(refusals.noEmailChangePending);
  return challenge.email;
}

/** The address a change waits to move to, or null: what Account.pendingEmail shows. */
export const pendingEmailOf = (runtime: Runtime, userId: string) => pendingEmail(runtime, userId).catch(() => null);

/** confirmEmailChange(code): the code mailed to the new address moves the account to it. */
export async function confirmEmailChange(runtime: Runtime, caller: SessionPrincipal, code: string) {
  const email = await pendingEmail(runtime, caller.userId);
  await answerByCode(runtime, { email, code }, 'CHANGE_EMAIL');
  return getAccount(runtime, caller.userId);
}

/** cancelEmailChange: the waiting code and link stop working. */
export async function cancelEmailChange(runtime: Runtime, caller: SessionPrincipal): Promise<boolean> {
  const now = runtime.clock();
  const { count } = await runtime.db.challenge.updateMany({
    where: { userId: caller.userId, purpose: 'CHANGE_EMAIL', ...openChallenge(now) },
    data: { expiresAt: now },
  });
  return count > 0;
}
