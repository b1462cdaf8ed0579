import type { KeyEnvironment } from '../apikeys/scopes.js';
import type { Principal } from '../context.js';
import { AppError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import type { User } from '../generated/sqlite/client.js';

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
  /** Already read for a session; a key's owner is read only when asked for. */
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
  const session = await sessionView(runtime, principal.sessionId);
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

export type SessionView = { name: string; revokedAt: Date | null; user: User };

/** How long whoami may show a session's or a user's row without reading it again. */
const viewTtlMs = 5_000;

/** The session with its user, in one read, remembered for a few seconds: whoami is the hottest query. */
async function sessionView(runtime: Runtime, sessionId: string): Promise<SessionView | null> {
  const nowMs = runtime.clock().getTime();
  const cached = runtime.sessionViews.get(sessionId, nowMs);
  if (cached) return cached;
  const session = await runtime.db.session.findUnique({
    where: { id: sessionId },
    select: { name: true, revokedAt: true, user: true },
  });
  if (session) runtime.sessionViews.set(sessionId, session, nowMs + viewTtlMs);
  return session;
}

/** The account a key acts for, as whoami shows it: read once per few seconds per user. */
export async function keyOwnerView(runtime: Runtime, userId: string): Promise<User | null> {
  const nowMs = runtime.clock().getTime();
  const cached = runtime.userViews.get(userId, nowMs);
  if (cached) return cached;
  const user = await runtime.db.user.findUnique({ where: { id: userId } });
  if (user) runtime.userViews.set(userId, user, nowMs + viewTtlMs);
  return user;
}

/** The account a caller acts for; a service account has none. */
export function accountUserId(principal: Principal): string {
  if (principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED');
  if (!principal.userId) throw new AppError('FORBIDDEN', { message: 'A service account has no user account.' });
  return principal.userId;
}
