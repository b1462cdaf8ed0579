import type { Database } from '../db.js';
import type { User } from '../generated/sqlite/client.js';
import { TtlCache } from '../ttl-cache.js';

export type SessionView = { name: string; revokedAt: Date | null; user: User };

/** How long whoami may show a session's or a user's row without reading it again. */
const viewTtlMs = 5_000;

/**
 * What whoami, the hottest query, reads: a session with its user, or a key's
 * owner, each remembered for a few seconds. A revoked session or a disabled
 * owner's key is refused before its view is read.
 */
export class WhoamiViews {
  private readonly sessions = new TtlCache<string, SessionView>();
  private readonly users = new TtlCache<string, User>();

  constructor(private readonly db: Database) {}

  async session(sessionId: string, nowMs: number): Promise<SessionView | null> {
    const cached = this.sessions.get(sessionId, nowMs);
    if (cached) return cached;
    const session = await this.db.session.findUnique({
      where: { id: sessionId },
      select: { name: true, revokedAt: true, user: true },
    });
    if (session) this.sessions.set(sessionId, session, nowMs + viewTtlMs);
    return session;
  }

  async user(userId: string, nowMs: number): Promise<User | null> {
    const cached = this.users.get(userId, nowMs);
    if (cached) return cached;
    const user = await this.db.user.findUnique({ where: { id: userId } });
    if (user) this.users.set(userId, user, nowMs + viewTtlMs);
    return user;
  }
}
