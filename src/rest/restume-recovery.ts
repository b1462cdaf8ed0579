import { z } from '@hono/zod-openapi';
import { resendVerification, verifyEmail } from '../challenges/email-verification.js';
import { forgotPassword, resetPassword, resetPasswordWithCode } from '../challenges/password-recovery.js';
import { authenticateGoogle, unlinkGoogle } from '../oidc/google-account.js';
import { startAccessOnlySession } from '../sessions/login.js';
import { clientOf, json, jsonBody, principalOf, restRoute, type RestApi, type RouteTable } from './api.js';
import { accountStatus, AccountStatus, BearerToken } from './shapes.js';

/** RESTume's e-mail, recovery and Google routes (source document 002). */
const EmailBody = z.object({ email: z.string().openapi({ example: 'you@example.com' }) }).openapi('EmailBody');
const Accepted = z
  .object({ detail: z.string() })
  .openapi('Accepted', { description: 'The same answer whether or not the address has an account' });

export function restumeRecoveryRoutes(api: RestApi, table: RouteTable) {
  const verify = restRoute(table, 'public', {
    method: 'post',
    path: '/v1/auth/verify-email',
    summary: 'Verify email with a six-digit code',
    operationId: 'restumeVerifyEmail',
    tags: ['E-mail verification'],
    product: 'RESTume',
    request: jsonBody(
      z.object({ email: z.string(), code: z.string().openapi({ example: '123456' }) }).openapi('VerifyEmailBody'),
    ),
    responses: { 200: json(z.object({ email_verified: z.literal(true) }).openapi('EmailVerified'), 'The address is verified') },
  });
  api.openapi(verify, async (c) => {
    await verifyEmail(c.var.runtime, c.req.valid('json'));
    return c.json({ email_verified: true as const }, 200);
  });

  const resend = restRoute(table, 'public', {
    method: 'post',
    path: '/v1/auth/resend-verification',
    summary: 'Request a fresh verification code',
    operationId: 'restumeResendVerification',
    tags: ['E-mail verification'],
    product: 'RESTume',
    request: jsonBody(EmailBody),
    responses: { 202: json(Accepted, 'Accepted') },
  });
  api.openapi(resend, (c) => {
    resendVerification(c.var.runtime, c.req.valid('json').email);
    return c.json({ detail: 'If that address has an unverified account, a new code is on its way.' }, 202);
  });

  const google = restRoute(table, 'public', {
    method: 'post',
    path: '/v1/auth/google',
    summary: 'Sign in or sign up with a Google credential (an ID token)',
    operationId: 'restumeSignInWithGoogle',
    tags: ['Sessions'],
    product: 'RESTume',
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT', 'NOT_CONFIGURED'],
    mfaChallenge: true,
    request: jsonBody(
      z
        .object({
          credential: z.string().openapi({ description: 'A Google ID token' }),
          remember_me: z.boolean().default(false).openapi({ description: 'Ignored: the session ends with its access token' }),
        })
        .openapi('GoogleBody'),
    ),
    responses: { 200: json(BearerToken, 'A JWT bearer token') },
  });
  api.openapi(google, async (c) => {
    const userId = await authenticateGoogle(c.var.runtime, c.req.valid('json').credential, clientOf(c));
    const tokens = await startAccessOnlySession(c.var.runtime, userId, clientOf(c));
    c.header('Cache-Control', 'no-store');
    return c.json({ access_token: tokens.accessToken, token_type: 'bearer' as const }, 200);
  });

  const forgot = restRoute(table, 'public', {
    method: 'post',
    path: '/v1/auth/forgot-password',
    summary: 'Start password recovery without leaking account existence',
    operationId: 'restumeForgotPassword',
    tags: ['Password recovery'],
    product: 'RESTume',
    request: jsonBody(EmailBody),
    responses: { 202: json(Accepted, 'Accepted') },
  });
  api.openapi(forgot, (c) => {
    forgotPassword(c.var.runtime, c.req.valid('json').email);
    return c.json({ detail: 'If that address has an account, a recovery e-mail is on its way.' }, 202);
  });

  const reset = restRoute(table, 'public', {
    method: 'post',
    path: '/v1/auth/reset-password',
    summary:
      'Reset a password with the recovery token from the link, or the e-mail and the code from the mail; every session of the account ends (unless end_sessions is false), API keys are revoked with revoke_api_keys',
    operationId: 'restumeResetPassword',
    tags: ['Password recovery'],
    product: 'RESTume',
    request: jsonBody(
      z
        .object({
          token: z.string().optional().openapi({ description: 'The reset token (from the link, or from verifying the code)' }),
          email: z.string().optional().openapi({ description: 'With code: instead of token' }),
          code: z.string().optional().openapi({ description: 'The six-digit code from the recovery mail' }),
          new_password: z.string(),
          end_sessions: z.boolean().default(true).openapi({ description: 'End every session of the account (default true)' }),
          revoke_api_keys: z.boolean().default(false).openapi({ description: 'Revoke every API key of the account (default false)' }),
        })
        .refine((body) => body.token !== undefined || (body.email !== undefined && body.code !== undefined), {
          message: 'send token, or email and code',
          path: ['token'],
        })
        .openapi('ResetPasswordBody'),
    ),
    responses: { 200: json(z.object({ password_reset: z.literal(true) }).openapi('PasswordReset'), 'The password is changed') },
  });
  api.openapi(reset, async (c) => {
    const { token, email, code, new_password: newPassword, end_sessions: endSessions, revoke_api_keys: revokeApiKeys } = c.req.valid('json');
    const options = { endSessions, revokeApiKeys };
    if (token !== undefined) await resetPassword(c.var.runtime, { token, newPassword }, options);
    else await resetPasswordWithCode(c.var.runtime, { email: email!, code: code!, newPassword }, options);
    return c.json({ password_reset: true as const }, 200);
  });

  const unlink = restRoute(table, { scope: 'account:write' }, {
    method: 'post',
    path: '/v1/me/google/unlink',
    summary: 'Unlink Google when password sign-in is already available (a key needs account:write, given by name)',
    operationId: 'restumeUnlinkGoogle',
    tags: ['Accounts'],
    product: 'RESTume',
    errors: ['NOT_FOUND', 'REAUTHENTICATION_REQUIRED', 'MFA_REQUIRED'],
    responses: { 200: json(AccountStatus, 'The account after unlinking') },
  });
  api.openapi(unlink, async (c) => {
    return c.json(accountStatus(await unlinkGoogle(c.var.runtime, principalOf(c))), 200);
  });
}
