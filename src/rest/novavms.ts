import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { resolveCredentials } from '../context.js';
import { AppError } from '../errors.js';
import { clearedRefreshCookie, readCookie, refreshCookie, refreshCookieName } from '../http/cookies.js';
import type { Runtime } from '../runtime.js';
import { login } from '../sessions/login.js';
import { refreshSession } from '../sessions/refresh.js';
import type { SessionTokens } from '../sessions/session-tokens.js';
import { clientOf, json, jsonBody, restRoute, type RestApi, type RestEnv, type RouteTable } from './api.js';

/** NovaVMS (source document 001): login with client_type and remember_me, rotating refresh bound to the User-Agent. */
export const novavmsRefreshPath = '/api/auth/refresh';

const LoginBody = z
  .object({
    email: z.string().openapi({ example: 'ops@example.com' }),
    password: z.string().openapi({ example: 'CorrectHorseBattery!' }),
    client_type: z.enum(['api', 'browser']).default('api'),
    remember_me: z.boolean().default(false),
  })
  .openapi('NovaLoginBody');

const TokenPair = z
  .object({
    access_token: z.string(),
    refresh_token: z.string().optional().openapi({ description: 'Absent for browser clients: it is set as an HttpOnly cookie.' }),
    token_type: z.literal('bearer'),
    expires_in: z.number().int(),
    refresh_expires_at: z.string().datetime(),
  })
  .openapi('NovaTokenPair');

function tokenPair(c: Context<RestEnv>, runtime: Runtime, tokens: SessionTokens, viaCookie: boolean) {
  c.header('Cache-Control', 'no-store');
  if (viaCookie) c.header('Set-Cookie', refreshCookie(c.var.runtime, tokens.refreshToken, tokens.refreshExpiresAt, novavmsRefreshPath));
  return c.json(
    {
      access_token: tokens.accessToken,
      ...(viaCookie ? {} : { refresh_token: tokens.refreshToken }),
      token_type: 'bearer' as const,
      expires_in: tokens.expiresIn,
      refresh_expires_at: tokens.refreshExpiresAt.toISOString(),
    },
    200,
  );
}

export function novavmsRoutes(api: RestApi, runtime: Runtime, table: RouteTable) {
  const loginRoute = restRoute(runtime, table, 'public', {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Exchange e-mail and password for a 1 h access JWT and a rotating refresh token',
    tags: ['NovaVMS'],
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
    return tokenPair(c, c.var.runtime, tokens, clientType === 'BROWSER');
  });

  const refreshRoute = restRoute(runtime, table, 'public', {
    method: 'post',
    path: novavmsRefreshPath,
    summary: 'Rotate the refresh token (Authorization: Bearer <refresh token>, or the cookie)',
    tags: ['NovaVMS'],
    responses: { 200: json(TokenPair, 'The new pair; the old refresh token is spent') },
  });
  api.openapi(refreshRoute, async (c) => {
    const { bearerRefreshToken } = await resolveCredentials(c.var.runtime, c.req.raw.headers);
    const cookieToken = readCookie(c.req.raw.headers, refreshCookieName);
    const refreshToken = bearerRefreshToken ?? cookieToken;
    if (!refreshToken) throw new AppError('UNAUTHENTICATED', { message: 'No refresh token was presented.' });
    try {
      const tokens = await refreshSession(c.var.runtime, refreshToken, clientOf(c));
      return tokenPair(c, c.var.runtime, tokens, refreshToken === cookieToken && !bearerRefreshToken);
    } catch (error) {
      if (cookieToken && !bearerRefreshToken) c.header('Set-Cookie', clearedRefreshCookie(c.var.runtime, novavmsRefreshPath));
      throw error;
    }
  });
}
