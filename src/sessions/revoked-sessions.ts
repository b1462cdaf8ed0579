/**
 * Sessions revoked while their access tokens may still be unexpired. Access
 * tokens are checked against this set in memory, so a logout takes effect
 * without a database read per request. An entry is dropped once no token of
 * the session can still be valid: when looked up after that, or by the sweep
 * that runs whenever the set has doubled since the last one (so a long-running
 * instance holds only the revocations of the last access-token lifetime).
 */
export class RevokedSessions {
  static readonly minimumSweepSize = 1024;
  private readonly validUntil = new Map<string, number>();
  private sweepAtSize = RevokedSessions.minimumSweepSize;

  constructor(private readonly nowMs: () => number) {}

  get size(): number {
    return this.validUntil.size;
  }

  add(sessionId: string, untilMs: number): void {
    this.validUntil.set(sessionId, untilMs);
    if (this.validUntil.size >= this.sweepAtSize) this.sweep();
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

  private sweep(): void {
    const now = this.nowMs();
    for (const [sessionId, until] of this.validUntil) if (until <= now) this.validUntil.delete(sessionId);
    this.sweepAtSize = Math.max(RevokedSessions.minimumSweepSize, this.validUntil.size * 2);
  }
}
