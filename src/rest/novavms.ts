import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { parseScopes } from '../apikeys/scopes.js';
import { resolveCredentials } from '../context.js';
import { deliverTokens, refreshPresented, type DeliveredTokens } from '../sessions/delivery.js';
import { listServiceAccounts } from '../service-accounts/service-accounts.js';
import { login } from '../sessions/login.js';
import { clientOf, json, jsonBody, restDelivery, restRefreshPath, restRoute, type RestApi, type RestEnv, type RouteTable } from './api.js';

/**
 * NovaVMS (source document 001): login with client_type and remember_me, rotating refresh bound to
 * the User-Agent, and one production-only resource under /api/v1, where a TEST key gets 404.
 */

const LoginBody = z
  .object({
    email: z.string().openapi({ example: 'ops@example.com' }),
    password: z.string().openapi({ example: 'CorrectHorseBattery!' }),
    client_type: z.enum(['api', 'browser']).default('api'),
    remember_me: z.boolean().default(false),
  })
  .openapi('NovaLoginBody');

export const TokenPair = z
  .object({
    access_token: z.string(),
    refresh_token: z.string().optional().openapi({ description: 'Absent for browser clients: it is set as an HttpOnly cookie.' }),
    token_type: z.literal('bearer'),
    expires_in: z.number().int(),
    refresh_expires_at: z.string().datetime(),
  })
  .openapi('NovaTokenPair');

const ServiceAccountList = z
  .object({
    service_accounts: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        description: z.string().nullable(),
        role: z.enum(['USER', 'ADMIN']),
        scopes: z.array(z.string()),
        created_at: z.string().datetime(),
      }),
    ),
  })
  .openapi('NovaServiceAccountList');

export function tokenPair(c: Context<RestEnv>, { tokens, refreshInBody }: DeliveredTokens) {
  c.header('Cache-Control', 'no-store');
  return c.json(
    {
      access_token: tokens.accessToken,
      ...(refreshInBody ? { refresh_token: tokens.refreshToken } : {}),
      token_type: 'bearer' as const,
      expires_in: tokens.expiresIn,
      refresh_expires_at: tokens.refreshExpiresAt.toISOString(),
    },
    200,
  );
}

export function novavmsRoutes(api: RestApi, table: RouteTable) {
  const loginRoute = restRoute(table, 'public', {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Exchange e-mail and password for a 1 h access JWT and a rotating refresh token',
    operationId: 'novavmsLogin',
    tags: ['Sessions'],
    product: 'NovaVMS',
    errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
    mfaChallenge: true,
    request: jsonBody(LoginBody),
    responses: { 200: json(TokenPair, 'The token pair (refresh token as a cookie for browser clients)') },
  });
  api.openapi(loginRoute, async (c) => {
    const body = c.req.valid('json');
    const clientType = body.client_type === 'browser' ? 'BROWSER' : 'API';
    const tokens = await login(
      c.var.runtime,
      { login: body.email, password: body.password, clientType, rememberMe: body.remember_me },
      clientOf(c),
    );
    return tokenPair(c, deliverTokens(c.var.runtime, tokens, restDelivery(c)));
  });

  const refreshRoute = restRoute(table, 'public', {
    method: 'post',
    path: restRefreshPath,
    summary: 'Rotate the refresh token (Authorization: Bearer <refresh token>, or the cookie)',
    operationId: 'novavmsRefresh',
    tags: ['Sessions'],
    product: 'NovaVMS',
    errors: ['UNAUTHENTICATED', 'SESSION_MISMATCH', 'RATE_LIMITED'],
    responses: { 200: json(TokenPair, 'The new pair; the old refresh token is spent') },
  });
  api.openapi(refreshRoute, async (c) => {
    const credentials = await resolveCredentials(c.var.runtime, c.req.raw, clientOf(c));
    return tokenPair(c, await refreshPresented(c.var.runtime, { credentials, client: clientOf(c) }, restDelivery(c)));
  });

  const serviceAccountsRoute = restRoute(table, { admin: true }, {
    method: 'get',
    path: '/api/v1/service-accounts',
    summary: 'The service accounts (an admin or owner session, or a LIVE key with the admin scope; a TEST key gets 404)',
    operationId: 'novavmsListServiceAccounts',
    tags: ['Service accounts'],
    product: 'NovaVMS',
    errors: ['NOT_FOUND'],
    responses: { 200: json(ServiceAccountList, 'Every service account, newest first') },
  });
  api.openapi(serviceAccountsRoute, async (c) => {
    const accounts = await listServiceAccounts(c.var.runtime);
    return c.json(
      {
        service_accounts: accounts.map((account) => ({
          id: account.id,
          name: account.name,
          description: account.description,
          role: account.role as 'USER' | 'ADMIN',
          scopes: parseScopes(account.scopes),
          created_at: account.createdAt.toISOString(),
        })),
      },
      200,
    );
  });
}
