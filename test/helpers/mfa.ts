import { Secret, TOTP } from 'otpauth';
import type { TestApp } from './app.js';

/** The code an authenticator app shows for `secret` at the server's time. */
export const totpCode = (app: TestApp, secret: string) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: app.clock().getTime() });

/** Adds a confirmed authenticator app to the signed-in account; answers its secret (the next time step is the first usable one). */
export async function confirmedTotp(app: TestApp, auth: Record<string, string>): Promise<string> {
  const enrolled = await app.gql('mutation { enrollTotp { factor { id } secret } }', {}, auth);
  const { factor, secret } = enrolled.data.enrollTotp;
  await app.gql('mutation($id: ID!, $code: String!) { confirmTotp(factorId: $id, code: $code) { factor { id } } }', { id: factor.id, code: totpCode(app, secret) }, auth);
  app.clock.advance(30_000);
  return secret;
}
