import { z } from '@hono/zod-openapi';
import { whoami, whoamiUser } from '../accounts/whoami.js';
import { answerByUid } from '../challenges/answer.js';
import { getCookie } from 'hono/cookie';
import { findServiceAccount } from '../service-accounts/service-accounts.js';
import { logoutCaller } from '../sessions/delivery.js';
import { authenticatePassword } from '../sessions/login.js';
import { clearedSessionCookie, sessionCookie, sessionCookieName } from '../sessions/cookies.js';
import { startSecretSession } from '../sessions/session-secret.js';
import { assertTokenNameFree } from '../tokens/tokens.js';
import {
  clientOf,
  json,
  jsonBody,
  optionalJsonBody,
  passwordOf,
  principalOf,
  restDelivery,
  restRoute,
  type RestApi,
  type RouteTable,
} from './api.js';
import { RegisterBody, registerFromBody, UserProfile, userProfile } from './shapes.js';

/** novem (source document 000): /v1/register, password login minting a named session token, logout, challenges, whoami. */
const AuthBody = z
  .object({
    username: z.string().optional().openapi({ description: 'Instead of HTTP Basic' }),
    password: z.string().optional(),
    name: z.string().optional().openapi({ description: "The session's token name (a-z first, then a-z 0-9 - . _); generated from the client when absent" }),
    remember_me: z.boolean().default(false),
  })
  .openapi('NovemAuthBody');

const NamedToken = z
  .object({
    name: z.string(),
    token_name: z.string(),
    token: z.string().openapi({ description: 'The session token, shown once; valid as long as the session (7 days, 30 with remember_me)' }),
    token_type: z.literal('bearer'),
    expires_in: z.number().int(),
    expires_at: z.string().datetime(),
  })
  .openapi('NovemNamedToken');

const Whoami = z
  .object({
    user: UserProfile.nullable().openapi({ description: 'Null when a service-account key calls' }),
    service_account_id: z.string().nullable(),
    credential: z.object({
      kind: z.enum(['session', 'api_key']),
      id: z.string(),
      name: z.string().nullable(),
      environment: z.string().nullable().openapi({ description: 'live or test, for keys' }),
    }),
  })
  .openapi('NovemWhoami');

const ChallengeAnswer = z
  .object({
    purpose: z.enum(['VERIFY_EMAIL', 'RESET_PASSWORD', 'CHANGE_EMAIL']),
    email_verified: z.boolean(),
    reset_token: z.string().nullable().openapi({ description: 'For RESET_PASSWORD: what /v1/auth/reset-password takes' }),
    reset_token_expires_at: z.string().datetime().nullable(),
  })
  .openapi('NovemChallengeAnswer');

export function novemRoutes(api: RestApi, table: RouteTable) {
  const register = restRoute(table, 'public', {
    method: 'post',
    path: '/v1/register',
    summary: 'Register a new user account',
    operationId: 'novemRegister',
    tags: ['Accounts'],
    product: 'novem',
    errors: ['CONFLICT', 'FORBIDDEN', 'RATE_LIMITED', 'UPSTREAM_UNAVAILABLE'],
    request: jsonBody(RegisterBody),
    responses: { 201: json(UserProfile, 'The new user') },
  });
  api.openapi(register, async (c) => {
    const body = c.req.valid('json');
    return c.json(await registerFromBody(c.var.runtime, body, clientOf(c)), 201);
  });

  const auth = restRoute(table, 'password', {
    method: 'post',
    path: '/v1/auth',
    summary: 'Log in with username + password; creates a named session token and sets it as a cookie for /v1',
    operationId: 'novemLogin',
    tags: ['Sessions'],
    product: 'novem',
    errors: ['CONFLICT'],
    request: optionalJsonBody(AuthBody),
    responses: { 200: json(NamedToken, 'The token, shown once; the session cookie is set') },
  });
  api.openapi(auth, async (c) => {
    const body = c.req.header('content-type')?.includes('application/json') ? c.req.valid('json') : { remember_me: false };
    const { username, password } = passwordOf(c, body);
    const { runtime } = c.var;
    const user = await authenticatePassword(runtime, username, password, clientOf(c));
    if (body.name !== undefined) await assertTokenNameFree(runtime, user.id, body.name);
    const session = await startSecretSession(runtime, user.id, { rememberMe: body.remember_me, name: body.name }, clientOf(c));
    c.header('Set-Cookie', sessionCookie(runtime, session.secret, session.expiresAt));
    c.header('Cache-Control', 'no-store');
    const expiresIn = Math.floor((session.expiresAt.getTime() - runtime.clock().getTime()) / 1000);
    return c.json(
      {
        name: session.sessionName,
        token_name: session.sessionName,
        token: session.secret,
        token_type: 'bearer' as const,
        expires_in: expiresIn,
        expires_at: session.expiresAt.toISOString(),
      },
      200,
    );
  });

  const logout = restRoute(table, { signedIn: true }, {
    method: 'post',
    path: '/v1/logout',
    summary: 'Invalidate the current session, or revoke the token that calls',
    operationId: 'novemLogout',
    tags: ['Sessions'],
    product: 'novem',
    responses: { 200: json(z.object({ logged_out: z.literal(true) }).openapi('NovemLoggedOut'), 'The session is over, or the token revoked') },
  });
  api.openapi(logout, async (c) => {
    const { runtime } = c.var;
    await logoutCaller(runtime, principalOf(c), restDelivery(c), clientOf(c));
    if (getCookie(c, sessionCookieName(runtime)) !== undefined) c.header('Set-Cookie', clearedSessionCookie(runtime), { append: true });
    return c.json({ logged_out: true as const }, 200);
  });

  const challenge = restRoute(table, 'public', {
    method: 'post',
    path: '/v1/admin/challenge',
    summary: 'Answer a challenge by its uid (knowing the uid from the e-mail is the proof)',
    operationId: 'novemAnswerChallenge',
    tags: ['E-mail verification', 'Password recovery'],
    product: 'novem',
    request: jsonBody(z.object({ uid: z.string() }).openapi('NovemChallengeBody')),
    responses: { 200: json(ChallengeAnswer, 'The challenge is answered') },
  });
  api.openapi(challenge, async (c) => {
    const result = await answerByUid(c.var.runtime, c.req.valid('json'));
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        purpose: result.purpose,
        email_verified: result.emailVerified,
        reset_token: result.resetToken,
        reset_token_expires_at: result.resetTokenExpiresAt?.toISOString() ?? null,
      },
      200,
    );
  });

  const whoamiRoute = restRoute(table, { scope: 'account:read' }, {
    method: 'get',
    path: '/v1/whoami',
    summary: 'The user the current token authenticates as: the bare username as text/plain (what novem answers), the object with Accept: application/json',
    operationId: 'novemWhoami',
    tags: ['Accounts'],
    product: 'novem',
    responses: {
      200: {
        content: { 'text/plain': { schema: z.string().openapi({ example: 'yourname' }) }, 'application/json': { schema: Whoami } },
        description: 'The username, or the user and the credential',
      },
    },
  });
  api.openapi(whoamiRoute, async (c) => {
    const { runtime } = c.var;
    const summary = await whoami(runtime, principalOf(c));
    const user = await whoamiUser(runtime, summary);
    if (!c.req.header('accept')?.includes('application/json')) {
      const serviceAccount = user ? null : await findServiceAccount(runtime, summary.serviceAccountId!, { select: { name: true } });
      return c.text(user?.username ?? serviceAccount?.name ?? '', 200);
    }
    const { credential } = summary;
    return c.json(
      {
        user: user && userProfile(user),
        service_account_id: summary.serviceAccountId,
        credential: {
          kind: credential.kind === 'SESSION' ? ('session' as const) : ('api_key' as const),
          id: credential.id,
          name: credential.name,
          environment: credential.environment?.toLowerCase() ?? null,
        },
      },
      200,
    );
  });
}
