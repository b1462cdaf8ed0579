import { z } from '@hono/zod-openapi';
import { createApiKey } from '../apikeys/create.js';
import { revokeApiKey } from '../apikeys/manage.js';
import { authenticatePassword } from '../sessions/login.js';
import { revokeSession } from '../sessions/manage.js';
import { tokenLog } from '../token-events/queries.js';
import { createNamedToken, currentToken, findToken, listTokens, type NamedToken } from '../tokens/tokens.js';
import { clientOf, json, optionalJsonBody, passwordOf, principalOf, restRoute, userCredentialOf, type RestApi, type RouteTable } from './api.js';

/**
 * novem's named tokens (source document 000): created with a username and password,
 * then used, audited and revoked by name with any of the user's tokens.
 */
const TokenInfo = z
  .object({
    name: z.string(),
    id: z.string(),
    kind: z.enum(['session', 'api_key']),
    created_at: z.string().datetime(),
    last_used_at: z.string().datetime().nullable(),
    expires_at: z.string().datetime().nullable(),
  })
  .openapi('NovemTokenInfo');

const TokenEvent = z
  .object({
    at: z.string().datetime(),
    action: z.string(),
    operation: z.string().nullable(),
    outcome: z.string(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
  })
  .openapi('NovemTokenEvent');

const TokenBody = z
  .object({
    username: z.string().optional().openapi({ description: "novem's client sends the credentials here; HTTP Basic works too" }),
    password: z.string().optional(),
    token_name: z.string().optional().openapi({ example: 'np-laptop-k3x9a2bq', description: 'a-z first, then a-z 0-9 - . _; at most 128; unique among your active tokens' }),
    name: z.string().optional().openapi({ description: 'The same as token_name' }),
    token_description: z.string().nullish(),
  })
  .openapi('NovemTokenBody');

const CreatedToken = TokenInfo.extend({
  status: z.literal('Success'),
  token: z.string().openapi({ description: 'The token value, shown once' }),
  token_id: z.string(),
  token_name: z.string(),
  token_description: z.string().nullable(),
  comment: z.string(),
}).openapi('NovemCreatedToken');

const CurrentToken = z
  .object({
    valid: z.literal(true),
    token_name: z.string(),
    token_id: z.string(),
    kind: z.enum(['session', 'api_key']),
    expires_at: z.string().datetime().nullable(),
  })
  .openapi('NovemTokenValid');

const tokenInfo = (token: NamedToken): z.infer<typeof TokenInfo> => ({
  name: token.name,
  id: token.id,
  kind: token.kind,
  created_at: token.createdAt.toISOString(),
  last_used_at: token.lastUsedAt?.toISOString() ?? null,
  expires_at: token.expiresAt?.toISOString() ?? null,
});

const tokenParam = { params: z.object({ token: z.string().openapi({ description: 'The token name (or id)' }) }) };

export function novemTokenRoutes(api: RestApi, table: RouteTable) {
  const create = restRoute(table, 'password', {
    method: 'post',
    path: '/v1/token',
    summary: 'Create a new named API token; the token value is returned in the response, once',
    operationId: 'novemCreateToken',
    tags: ['API keys'],
    product: 'novem',
    errors: ['FORBIDDEN', 'CONFLICT'],
    request: optionalJsonBody(TokenBody),
    responses: { 201: json(CreatedToken, 'The new token, shown once') },
  });
  api.openapi(create, async (c) => {
    const body = c.req.header('content-type')?.includes('application/json') ? c.req.valid('json') : {};
    const { username, password } = passwordOf(c, body);
    const client = clientOf(c);
    const user = await authenticatePassword(c.var.runtime, username, password, client);
    const input = { name: body.token_name ?? body.name, description: body.token_description };
    const { apiKey, rawKey } = await createNamedToken(c.var.runtime, user.id, input, client);
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        status: 'Success' as const,
        ...tokenInfo({ kind: 'api_key', ...apiKey }),
        token: rawKey,
        token_id: apiKey.id,
        token_name: apiKey.name,
        token_description: apiKey.description,
        comment: `Token "${apiKey.name}" created. Store it now: it is shown only this once.`,
      },
      201,
    );
  });

  const verify = restRoute(table, { signedIn: true }, {
    method: 'get',
    path: '/v1/token',
    summary: 'Verify credentials; 200 with the token\'s name, id, kind and expiry when the token is valid',
    operationId: 'novemVerifyToken',
    tags: ['API keys'],
    product: 'novem',
    responses: { 200: json(CurrentToken, 'The token is valid') },
  });
  api.openapi(verify, async (c) => {
    const token = await currentToken(c.var.runtime, principalOf(c));
    const expiresAt = token.expiresAt?.toISOString() ?? null;
    return c.json({ valid: true as const, token_name: token.name, token_id: token.id, kind: token.kind, expires_at: expiresAt }, 200);
  });

  const list = restRoute(table, { scope: 'tokens:read' }, {
    method: 'get',
    path: '/v1/admin/tokens',
    summary: 'List your tokens (sessions and API tokens)',
    operationId: 'novemListTokens',
    tags: ['API keys'],
    product: 'novem',
    responses: { 200: json(z.array(TokenInfo), 'Your active tokens, newest first') },
  });
  api.openapi(list, async (c) => c.json((await listTokens(c.var.runtime, userCredentialOf(c).userId)).map(tokenInfo), 200));

  const folder = restRoute(table, { scope: 'tokens:read' }, {
    method: 'get',
    path: '/v1/admin/tokens/{token}',
    summary: "A token's folder",
    operationId: 'novemGetTokenFolder',
    tags: ['API keys'],
    product: 'novem',
    errors: ['NOT_FOUND', 'CONFLICT'],
    request: tokenParam,
    responses: {
      200: json(z.object({ name: z.string(), entries: z.array(z.enum(['info', 'log'])) }).openapi('NovemTokenFolder'), 'The folder'),
    },
  });
  api.openapi(folder, async (c) => {
    const token = await findToken(c.var.runtime, userCredentialOf(c).userId, c.req.valid('param').token);
    return c.json({ name: token.name, entries: ['info' as const, 'log' as const] }, 200);
  });

  const info = restRoute(table, { scope: 'tokens:read' }, {
    method: 'get',
    path: '/v1/admin/tokens/{token}/info',
    summary: 'Token metadata: name, creation time, last use',
    operationId: 'novemGetTokenInfo',
    tags: ['API keys'],
    product: 'novem',
    errors: ['NOT_FOUND', 'CONFLICT'],
    request: tokenParam,
    responses: { 200: json(TokenInfo, 'The metadata') },
  });
  api.openapi(info, async (c) => c.json(tokenInfo(await findToken(c.var.runtime, userCredentialOf(c).userId, c.req.valid('param').token)), 200));

  const log = restRoute(table, { scope: 'tokens:read' }, {
    method: 'get',
    path: '/v1/admin/tokens/{token}/log',
    summary: "That token's activity log, newest first",
    operationId: 'novemGetTokenLog',
    tags: ['API keys'],
    product: 'novem',
    errors: ['NOT_FOUND', 'CONFLICT'],
    request: {
      ...tokenParam,
      query: z.object({ limit: z.coerce.number().int().min(1).max(100).optional(), after: z.string().optional() }),
    },
    responses: {
      200: json(z.object({ events: z.array(TokenEvent), next: z.string().nullable() }).openapi('NovemTokenLog'), 'A page of events'),
    },
  });
  api.openapi(log, async (c) => {
    const principal = userCredentialOf(c);
    const token = await findToken(c.var.runtime, principal.userId, c.req.valid('param').token);
    const { limit, after } = c.req.valid('query');
    const page = await tokenLog(c.var.runtime, principal, token.id, { first: limit, after });
    const events = page.nodes.map((event) => ({
      at: event.at.toISOString(),
      action: event.action,
      operation: event.operation,
      outcome: event.outcome,
      ip: event.ip,
      user_agent: event.userAgent,
    }));
    return c.json({ events, next: page.hasNextPage ? (page.cursors.at(-1) ?? null) : null }, 200);
  });

  const revoke = restRoute(table, { scope: 'tokens:write' }, {
    method: 'delete',
    path: '/v1/admin/tokens/{token}',
    summary: 'Revoke the token',
    operationId: 'novemRevokeToken',
    tags: ['API keys'],
    product: 'novem',
    errors: ['NOT_FOUND', 'CONFLICT', 'REAUTHENTICATION_REQUIRED', 'MFA_REQUIRED'],
    request: tokenParam,
    responses: { 200: json(z.object({ name: z.string(), revoked: z.literal(true) }).openapi('NovemTokenRevoked'), 'Revoked') },
  });
  api.openapi(revoke, async (c) => {
    const principal = userCredentialOf(c);
    const token = await findToken(c.var.runtime, principal.userId, c.req.valid('param').token);
    if (token.kind === 'session') await revokeSession(c.var.runtime, principal, token.id);
    else await revokeApiKey(c.var.runtime, principal, token.id, clientOf(c));
    return c.json({ name: token.name, revoked: true as const }, 200);
  });
}
