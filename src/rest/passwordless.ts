import { z } from '@hono/zod-openapi';
import { AppError, refusals } from '../errors.js';
import { signInNonceCookie } from '../passwordless/cookie.js';
import { requestSignInLink } from '../passwordless/request.js';
import { signInWithEmailCode } from '../passwordless/sign-in.js';
import { deliverTokens } from '../sessions/delivery.js';
import { clientOf, json, jsonBody, restDelivery, restRoute, type RestApi, type RouteTable } from './api.js';
import { tokenPair, TokenPair } from './novavms.js';

export const emailCodeRequestPath = '/v1/auth/email-code/request';
export const emailCodeVerifyPath = '/v1/auth/email-code/verify';

const EmailCodeRequestBody = z
  .object({
    email: z.string().max(254).openapi({ example: 'ada@example.com' }),
    redirect: z
      .string()
      .max(2048)
      .optional()
      .openapi({ description: 'Where the link sends the browser once signed in (default /console/): a path on this server, or an http(s) address REDIRECT_ALLOWLIST allows.' }),
  })
  .openapi('EmailCodeRequestBody');

const EmailCodeRequested = z.object({ requested: z.literal(true) }).openapi('EmailCodeRequested');

const EmailCodeVerifyBody = z
  .object({
    email: z.string().max(254).openapi({ example: 'ada@example.com' }),
    code: z.string().max(32).openapi({ example: '123456', description: 'The six digits from the sign-in mail.' }),
    client_type: z.enum(['api', 'browser']).default('api'),
    remember_me: z.boolean().default(false),
  })
  .openapi('EmailCodeVerifyBody');

/**
 * authgraph's own passwordless sign-in (no product document has it): request a
 * code (and link) by mail, then exchange the code for NovaVMS's token pair, or
 * answer 401 mfa_required when the account has a second factor.
 */
export function passwordlessRoutes(api: RestApi, table: RouteTable) {
  const request = restRoute(table, 'public', {
    method: 'post',
    path: emailCodeRequestPath,
    summary: 'Mail a six-digit sign-in code and link (authgraph addition)',
    description:
      'Answers the same, in the same time, whether or not the address has an account. Sets an HttpOnly cookie: the link signs in only this browser; opened elsewhere it shows the code.',
    operationId: 'authgraphRequestEmailCode',
    tags: ['Sessions'],
    product: 'authgraph',
    errors: ['BAD_USER_INPUT'],
    request: jsonBody(EmailCodeRequestBody),
    responses: { 202: json(EmailCodeRequested, 'Requested; a mail follows if the address may sign in (throttled as the other challenge mails)') },
  });
  api.openapi(request, (c) => {
    const body = c.req.valid('json');
    const { nonce } = requestSignInLink(c.var.runtime, { email: body.email, redirect: body.redirect });
    restDelivery(c).setCookie(signInNonceCookie(c.var.runtime, nonce));
    return c.json({ requested: true as const }, 202);
  });

  const verify = restRoute(table, 'public', {
    method: 'post',
    path: emailCodeVerifyPath,
    summary: 'Sign in with the code from the sign-in mail (authgraph addition)',
    description: 'Five wrong codes end the code; an unknown address fails as a wrong code does. The access token says amr ["email"], aal1.',
    operationId: 'authgraphVerifyEmailCode',
    tags: ['Sessions'],
    product: 'authgraph',
    errors: ['BAD_USER_INPUT', 'UNAUTHENTICATED'],
    mfaChallenge: true,
    request: jsonBody(EmailCodeVerifyBody),
    responses: { 200: json(TokenPair, 'The token pair (refresh token as a cookie for browser clients)') },
  });
  api.openapi(verify, async (c) => {
    const body = c.req.valid('json');
    const clientType = body.client_type === 'browser' ? 'BROWSER' : 'API';
    const result = await signInWithEmailCode(c.var.runtime, { email: body.email, code: body.code, clientType, rememberMe: body.remember_me }, clientOf(c));
    if (result.kind === 'mfa') throw new AppError(refusals.signInNeedsSecondFactor, { mfaChallenge: result.challenge });
    const { kind: _kind, user: _user, ...tokens } = result;
    return tokenPair(c, deliverTokens(c.var.runtime, tokens, restDelivery(c)));
  });
}
