/**
 * Sessions revoked while their access tokens may still be unexpired. Access
 * tokens are checked against this set in memory, so a logout takes effect
 * without a database read per request. Entries drop out once no token of the
 * session can still be valid.
 */
export class RevokedSessions {
  private readonly validUntil = new Map<string, number>();

  add(sessionId: string, untilMs: number): void {
    this.validUntil.set(sessionId, untilMs);
  }

  has(sessionId: string, nowMs: number): boolean {
    const until = this.validUntil.get(sessionId);
    if (until === undefined) return false;
    if (until <= nowMs) {
      this.validUntil.delete(sessionId);
      return false;
    }
    return true;
  }
}
