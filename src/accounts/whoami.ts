import type { KeyEnvironment } from '../apikeys/scopes.js';
import { AppError, refusals } from '../errors.js';
import type { User } from '../generated/sqlite/client.js';
import type { Principal } from '../principal.js';
import type { Runtime } from '../runtime.js';

export type WhoamiCredential = {
  kind: 'SESSION' | 'API_KEY';
  id: string;
  name: string | null;
  /** Keys only. */
  environment: KeyEnvironment | null;
  scopes: string[] | null;
};

export type WhoamiSummary = {
  userId: string | null;
  /** Already read for a session; a key's owner is read only when asked for (whoamiUser). */
  user?: User;
  serviceAccountId: string | null;
  credential: WhoamiCredential;
};

/** Who the caller is, and by which credential. A key needs no read here: its verification carried all of it. */
export async function whoami(runtime: Runtime, principal: Principal): Promise<WhoamiSummary> {
  if (principal.kind === 'apiKey') {
    return {
      userId: principal.userId,
      serviceAccountId: principal.serviceAccountId,
      credential: { kind: 'API_KEY', id: principal.keyId, name: principal.keyName, environment: principal.environment, scopes: principal.scopes },
    };
  }
  if (principal.kind !== 'session') throw new AppError('UNAUTHENTICATED');
  const session = await runtime.whoamiViews.session(principal.sessionId, runtime.clock().getTime());
  if (!session || session.revokedAt || session.user.disabledAt || session.user.id !== principal.userId) {
    throw new AppError('UNAUTHENTICATED');
  }
  return {
    userId: principal.userId,
    user: session.user,
    serviceAccountId: null,
    credential: { kind: 'SESSION', id: principal.sessionId, name: session.name, environment: null, scopes: null },
  };
}

/** The user behind whoami: null for a service account's key; an owner that is gone or disabled is refused. */
export async function whoamiUser(runtime: Runtime, summary: WhoamiSummary): Promise<User | null> {
  if (summary.user) return summary.user;
  if (!summary.userId) return null;
  const owner = await runtime.whoamiViews.user(summary.userId, runtime.clock().getTime());
  if (!owner || owner.disabledAt) throw new AppError('UNAUTHENTICATED');
  return owner;
}

/** The account a caller acts for; a service account has none. */
export function accountUserId(principal: Principal): string {
  if (principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED');
  if (!principal.userId) throw new AppError(refusals.serviceAccountHasNoUser);
  return principal.userId;
}
