import { z } from 'zod';
import { emailSchema } from '../challenges/answer.js';
import { issueChallenge } from '../challenges/challenge.js';
import { parseRedirectTarget } from '../challenges/redirect.js';
import { sha256 } from '../crypto/hash.js';
import { randomToken } from '../crypto/random.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow } from '../validation.js';

const requestSchema = z.object({ email: emailSchema, redirect: z.string().nullish() });

/**
 * Mails a sign-in code and link to the account with this address (or, with
 * PASSWORDLESS_SIGNUP, to an address with no account yet). Like forgotPassword it
 * answers before looking the address up, with the same throttles (RESEND_INTERVAL,
 * CHALLENGE_MAILS_PER_DAY): an unknown address gets the same answer in the same
 * time. The answer is a nonce for the requesting browser's cookie: only the
 * browser holding it signs in with the link; its hash is stored with the challenge.
 */
export function requestSignInLink(runtime: Runtime, input: { email: string; redirect?: string | null }): { nonce: string } {
  const { email, redirect } = parseOrThrow(requestSchema, input);
  const nonce = randomToken(32);
  const binding = { nonceHash: sha256(nonce), redirectTo: parseRedirectTarget(runtime.config, redirect, 'redirect') };
  runtime.background.run('request-sign-in-link', async () => {
    const user = await runtime.db.user.findUnique({ where: { email }, select: { id: true, email: true, disabledAt: true } });
    if (user && !user.disabledAt) await issueChallenge(runtime, user, 'SIGN_IN', binding);
    else if (!user && runtime.config.passwordlessSignup) await issueChallenge(runtime, { id: null, email }, 'SIGN_IN', binding);
  });
  return { nonce };
}
