/** What ACCESS_TOKEN_CLAIMS may name; `amr` and `aal` are always in a session's token (named, they change nothing). */
export const accessTokenClaimNames = ['role', 'plan', 'email', 'email_verified', 'username', 'permissions', 'amr', 'aal'] as const;
export type AccessTokenClaimName = (typeof accessTokenClaimNames)[number];

/**
 * The claims in `names`' order while their JSON stays within `maxBytes`; a claim
 * that does not fit is left out (a verifier then reads it as absent, never as empty).
 */
export function claimsWithin(names: readonly AccessTokenClaimName[], values: Partial<Record<AccessTokenClaimName, unknown>>, maxBytes: number) {
  const claims: Record<string, unknown> = {};
  for (const name of names) {
    if (values[name] === undefined) continue;
    const next = { ...claims, [name]: values[name] };
    if (Buffer.byteLength(JSON.stringify(next)) <= maxBytes) Object.assign(claims, { [name]: values[name] });
  }
  return claims;
}
