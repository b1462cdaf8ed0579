import type { Prisma } from '../generated/sqlite/client.js';

export type SignInMethod = 'PASSWORD' | 'GOOGLE' | 'PASSKEY' | 'EMAIL_CODE';

/** What an account can sign in with, first factor only (a second factor signs in to nothing alone). */
export function signInMethodsOf(user: { passwordHash: string | null; googleSubject: string | null }, passkeyCount: number): SignInMethod[] {
  return [
    ...(user.passwordHash !== null ? (['PASSWORD'] as const) : []),
    ...(user.googleSubject !== null ? (['GOOGLE'] as const) : []),
    ...(passkeyCount > 0 ? (['PASSKEY'] as const) : []),
  ];
}

/** The way to sign in a removal would take away: the Google link, or one passkey. */
export type RemovedSignInMethod = { google: true } | { passkeyId: string };

/**
 * The one rule for taking a way to sign in away (unlinking Google, removing a
 * passkey): another must remain. A filter on User, so that the check and the
 * change are one statement (or one transaction holding the user's row).
 */
export function keepsASignInMethod(removed: RemovedSignInMethod): Prisma.UserWhereInput {
  return {
    OR: [
      { passwordHash: { not: null } },
      ...('google' in removed ? [] : [{ googleSubject: { not: null } }]),
      { passkeys: { some: 'passkeyId' in removed ? { id: { not: removed.passkeyId } } : {} } },
    ],
  };
}

/** The same rule read from an account's methods, for the account view (canUnlinkGoogle). */
export const anotherMethodRemains = (methods: SignInMethod[], removed: SignInMethod, passkeyCount: number) =>
  methods.some((method) => method !== removed) || (removed === 'PASSKEY' && passkeyCount > 1);
