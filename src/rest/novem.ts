import { z } from '@hono/zod-openapi';
import { whoami, whoamiUser } from '../accounts/whoami.js';
import { answerByUid } from '../challenges/answer.js';
import { deliverTokens, logoutCaller } from '../sessions/delivery.js';
import { login } from '../sessions/login.js';
import { clientOf, json, jsonBody, principalOf, restDelivery, restRoute, type RestApi, type RouteTable } from './api.js';
import { RegisterBody, registerFromBody, UserProfile, userProfile } from './shapes.js';

/** novem (source document 000): /v1/register, Basic login minting a named token, token checks, whoami. */
const AuthBody = z
  .object({
    name: z.string().optional().openapi({ description: 'A name for the token; defaults to the client (User-Agent) summary' }),
    remember_me: z.boolean().default(false),
  })
  .openapi('NovemAuthBody');

const NamedToken = z
  .object({
    name: z.string(),
    token: z.string().openapi({ description: 'The token value, shown once' }),
    token_type: z.literal('bearer'),
    expires_in: z.number().int(),
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
    purpose: z.enum(['VERIFY_EMAIL', 'RESET_PASSWORD']),
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
    tags: ['novem'],
    request: jsonBody(RegisterBody),
    responses: { 201: json(UserProfile, 'The new user') },
  });
  api.openapi(register, async (c) => {
    const body = c.req.valid('json');
    return c.json(await registerFromBody(c.var.runtime, body, clientOf(c)), 201);
  });

  const auth = restRoute(table, 'basic', {
    method: 'post',
    path: '/v1/auth',
    summary: 'Log in with username + password; creates a named token and sets a session cookie',
    tags: ['novem'],
    request: { body: { content: { 'application/json': { schema: AuthBody } }, required: false } },
    responses: { 200: json(NamedToken, 'The token, shown once; the refresh cookie is set') },
  });
  api.openapi(auth, async (c) => {
    const body = c.req.header('content-type')?.includes('application/json') ? c.req.valid('json') : { remember_me: false };
    const { username, password } = c.get('basic');
    const tokens = await login(
      c.var.runtime,
      { login: username, password, clientType: 'BROWSER', rememberMe: body.remember_me, sessionName: body.name },
      clientOf(c),
    );
    deliverTokens(c.var.runtime, tokens, restDelivery(c));
    c.header('Cache-Control', 'no-store');
    return c.json({ name: tokens.sessionName, token: tokens.accessToken, token_type: 'bearer' as const, expires_in: tokens.expiresIn }, 200);
  });

  const verify = restRoute(table, { signedIn: true }, {
    method: 'get',
    path: '/v1/token',
    summary: 'Verify credentials; 200 when the token is valid',
    tags: ['novem'],
    responses: { 200: json(z.object({ valid: z.literal(true) }).openapi('NovemTokenValid'), 'The token is valid') },
  });
  api.openapi(verify, (c) => c.json({ valid: true as const }, 200));

  const logout = restRoute(table, { session: true }, {
    method: 'post',
    path: '/v1/logout',
    summary: 'Invalidate the current session',
    tags: ['novem'],
    responses: { 200: json(z.object({ logged_out: z.literal(true) }).openapi('NovemLoggedOut'), 'The session is over') },
  });
  api.openapi(logout, async (c) => {
    await logoutCaller(c.var.runtime, principalOf(c), restDelivery(c));
    return c.json({ logged_out: true as const }, 200);
  });

  const challenge = restRoute(table, 'public', {
    method: 'post',
    path: '/v1/admin/challenge',
    summary: 'Answer a challenge by its uid (knowing the uid from the e-mail is the proof)',
    tags: ['novem'],
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
    summary: 'The user the current token authenticates as',
    tags: ['novem'],
    responses: { 200: json(Whoami, 'The user and the credential') },
  });
  api.openapi(whoamiRoute, async (c) => {
    const summary = await whoami(c.var.runtime, principalOf(c));
    const user = await whoamiUser(c.var.runtime, summary);
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
