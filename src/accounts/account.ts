import { AppError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { anotherMethodRemains, signInMethodsOf, type SignInMethod } from './sign-in-methods.js';
import { activeUserOrThrow } from './users.js';

export type { SignInMethod };

export type AccountSummary = {
  id: string;
  username: string;
  email: string;
  fullName: string | null;
  emailVerified: boolean;
  hasPassword: boolean;
  googleLinked: boolean;
  canUnlinkGoogle: boolean;
  availableSignInMethods: SignInMethod[];
  role: string;
  plan: string;
  /** Where the plan comes from: "default" (never set) or "admin". */
  planSource: string;
  createdAt: Date;
  /** Set after deleteAccount with a grace period: when the account goes unless cancelAccountDeletion. */
  deletionDueAt: Date | null;
};

export async function getAccount(runtime: Runtime, userId: string): Promise<AccountSummary> {
  const user = await activeUserOrThrow(runtime, userId);
  const hasPassword = user.passwordHash !== null;
  const googleLinked = user.googleSubject !== null;
  const passkeyCount = await runtime.db.passkey.count({ where: { userId } });
  const signInMethods = signInMethodsOf(user, passkeyCount);
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    fullName: user.fullName,
    emailVerified: user.emailVerified,
    hasPassword,
    googleLinked,
    // The e-mailed code is not counted when a way to sign in is taken away: it proves the mailbox, not the person.
    canUnlinkGoogle: googleLinked && anotherMethodRemains(signInMethods, 'GOOGLE', passkeyCount),
    // EMAIL_CODE: every enabled account can sign in with a code mailed to its address (passwordless/).
    availableSignInMethods: [...signInMethods, 'EMAIL_CODE'],
    role: user.role,
    plan: user.plan,
    planSource: user.planSource,
    createdAt: user.createdAt,
    deletionDueAt: user.deletionDueAt,
  };
}
