import type { AccessTokenClaims } from '../crypto/access-token.js';

const maxEntries = 10_000;

/**
 * Access tokens whose signature and claims were already verified, until they
 * expire, so that a client's next requests skip the signature check. Whether
 * the session was revoked since is still checked on every request.
 */
export class VerifiedAccessTokens {
  private readonly claimsByToken = new Map<string, AccessTokenClaims>();

  get(token: string, nowMs: number): AccessTokenClaims | undefined {
    const claims = this.claimsByToken.get(token);
    if (claims && claims.expiresAt.getTime() <= nowMs) {
      this.claimsByToken.delete(token);
      return undefined;
    }
    return claims;
  }

  set(token: string, claims: AccessTokenClaims): void {
    if (this.claimsByToken.size >= maxEntries) {
      const oldest = this.claimsByToken.keys().next().value;
      if (oldest !== undefined) this.claimsByToken.delete(oldest);
    }
    this.claimsByToken.set(token, claims);
  }
}
