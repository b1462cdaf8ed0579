import { actorOf } from '../audit/actor.js';
import { notifyAccountChange } from '../accounts/change-notice.js';
import { AppError, refusals } from '../errors.js';
import type { ClientInfo, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { announceEnded, endUserSessions } from '../sessions/revoke.js';
import { assertRecentSecondFactor } from './step-up.js';
import { commitWithEvents } from '../webhooks/outbox.js';

/**
 * An administrator takes a user's second factors away (a lost phone and lost
 * codes): the factors, recovery codes and pending challenges go, every session
 * of the user ends, the user is mailed, and the activity log keeps who did it
 * (the acting administrator's session). The administrator needs a second factor
 * passed within MFA_STEP_UP_WINDOW.
 */
export async function resetUserMfa(runtime: Runtime, admin: SessionPrincipal, userId: string, client: ClientInfo): Promise<void> {
  await assertRecentSecondFactor(runtime, admin.sessionId);
  const user = await runtime.db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!user) throw new AppError(refusals.noSuchUser);
  const now = runtime.clock();
  const ended = await commitWithEvents(
    runtime,
    async (tx) => {
      await tx.mfaFactor.deleteMany({ where: { userId } });
      await tx.recoveryCode.deleteMany({ where: { userId } });
      await tx.mfaChallenge.deleteMany({ where: { userId } });
      return endUserSessions(tx, userId, 'mfa-reset', now);
    },
    () => [{ action: 'mfa', outcome: 'success', operation: 'admin-reset', client, userId, actor: actorOf(admin), data: { factorsLeft: 0 } }],
  );
  announceEnded(runtime, userId, ended, 'mfa-reset', now, actorOf(admin));
  await notifyAccountChange(runtime, userId, 'an administrator removed your second factors', [
    'Every session of the account was ended. Sign in with your password and add a new authenticator app.',
  ]);
}
