import { getAccount } from '../accounts/account.js';
import { activeUserOrThrow } from '../accounts/users.js';
import { z } from '@hono/zod-openapi';
import { signInAccessOnly } from '../sessions/login.js';
import { accountStatus, AccountStatus, BearerToken, RegisterBody, registerFromBody, UserProfile, userProfile } from './shapes.js';
import { clientOf, json, jsonBody, principalOf, restRoute, type RestApi, type RouteTable } from './api.js';
import { accountUserId } from '../accounts/whoami.js';

/** RESTume (source documents 002 and 003): /v1/auth/* and /v1/me/*. */
const LoginBody = z
  .object({
    username: z.string().openapi({ description: 'Username or email', example: 'hershel' }),
    password: z.string().openapi({ example: 'secureP@ss123' }),
  })
  .openapi('RestumeLoginBody');

export function restumeRoutes(api: RestApi, table: RouteTable) {
  const register = restRoute(table, 'public', {
    method: 'post',
    path: '/v1/auth/register',
    summary: 'Create a new account',
    operationId: 'restumeRegister',
    tags: ['Accounts'],
    product: 'RESTume',
    errors: ['CONFLICT', 'FORBIDDEN', 'RATE_LIMITED', 'UPSTREAM_UNAVAILABLE'],
    request: jsonBody(RegisterBody),
    responses: { 201: json(UserProfile, 'The new user profile') },
  });
  api.openapi(register, async (c) => {
    const body = c.req.valid('json');
    return c.json(await registerFromBody(c.var.runtime, body, clientOf(c)), 201);
  });

  const signIn = restRoute(table, 'public', {
    method: 'post',
    path: '/v1/auth/login',
    summary: 'Sign in with username or email and receive a JWT',
    operationId: 'restumeLogin',
    tags: ['Sessions'],
    product: 'RESTume',
    errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
    mfaChallenge: true,
    request: jsonBody(LoginBody),
    responses: { 200: json(BearerToken, 'A JWT bearer token') },
  });
  api.openapi(signIn, async (c) => {
    const body = c.req.valid('json');
    const tokens = await signInAccessOnly(c.var.runtime, body.username, body.password, clientOf(c));
    c.header('Cache-Control', 'no-store');
    return c.json({ access_token: tokens.accessToken, token_type: 'bearer' as const }, 200);
  });

  const account = restRoute(table, { scope: 'account:read' }, {
    method: 'get',
    path: '/v1/me/account',
    summary: 'Account summary, plan and sign-in methods',
    operationId: 'restumeGetAccount',
    tags: ['Accounts'],
    product: 'RESTume',
    responses: { 200: json(AccountStatus, 'CLI-safe account and auth state') },
  });
  api.openapi(account, async (c) => c.json(accountStatus(await getAccount(c.var.runtime, accountUserId(principalOf(c)))), 200));

  const profile = restRoute(table, { scope: 'account:read' }, {
    method: 'get',
    path: '/v1/me/profile',
    summary: "The owner's profile",
    operationId: 'restumeGetProfile',
    tags: ['Accounts'],
    product: 'RESTume',
    responses: { 200: json(UserProfile, 'The profile') },
  });
  api.openapi(profile, async (c) => {
    return c.json(userProfile(await activeUserOrThrow(c.var.runtime, accountUserId(principalOf(c)))), 200);
  });
}
