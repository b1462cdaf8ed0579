import type { KeyEnvironment } from '../apikeys/scopes.js';
import type { Principal } from '../context.js';
import { AppError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { findActiveUser } from './users.js';

export type WhoamiCredential = {
  kind: 'SESSION' | 'API_KEY';
  id: string;
  name: string | null;
  /** Keys only. */
  environment: KeyEnvironment | null;
  scopes: string[] | null;
};

export type WhoamiSummary = { userId: string | null; serviceAccountId: string | null; credential: WhoamiCredential };

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
  const [user, session] = await Promise.all([
    findActiveUser(runtime, principal.userId),
    runtime.db.session.findUnique({ where: { id: principal.sessionId }, select: { name: true } }),
  ]);
  if (!user || !session) throw new AppError('UNAUTHENTICATED');
  return {
    userId: principal.userId,
    serviceAccountId: null,
    credential: { kind: 'SESSION', id: principal.sessionId, name: session.name, environment: null, scopes: null },
  };
}

/** The account a caller acts for; a service account has none. */
export function accountUserId(principal: Principal): string {
  if (principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED');
  if (!principal.userId) throw new AppError('FORBIDDEN', { message: 'A service account has no user account.' });
  return principal.userId;
}
