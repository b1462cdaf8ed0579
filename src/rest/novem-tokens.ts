import { z } from '@hono/zod-openapi';
import { createApiKey } from '../apikeys/create.js';
import { revokeApiKey } from '../apikeys/manage.js';
import { authenticatePassword } from '../sessions/login.js';
import { revokeSession } from '../sessions/manage.js';
import { tokenLog } from '../token-events/queries.js';
import { findToken, listTokens, type NamedToken } from '../tokens/tokens.js';
import { clientOf, json, jsonBody, restRoute, sessionOf, type RestApi, type RouteTable } from './api.js';

/** novem's named tokens (source document 000): created with Basic credentials, audited and revoked by name. */
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
  const create = restRoute(table, 'basic', {
    method: 'post',
    path: '/v1/token',
    summary: 'Create a new named API token; the token value is returned in the response, once',
    tags: ['novem'],
    request: jsonBody(z.object({ name: z.string().openapi({ example: 'ci-runner' }) }).openapi('NovemTokenBody')),
    responses: { 201: json(TokenInfo.extend({ token: z.string() }).openapi('NovemCreatedToken'), 'The new token, shown once') },
  });
  api.openapi(create, async (c) => {
    const { username, password } = c.get('basic');
    const client = clientOf(c);
    const user = await authenticatePassword(c.var.runtime, username, password, client);
    const { apiKey, rawKey } = await createApiKey(c.var.runtime, { userId: user.id }, { name: c.req.valid('json').name }, { userId: user.id, client });
    c.header('Cache-Control', 'no-store');
    return c.json({ ...tokenInfo({ kind: 'api_key', ...apiKey }), token: rawKey }, 201);
  });

  const list = restRoute(table, { session: true }, {
    method: 'get',
    path: '/v1/admin/tokens',
    summary: 'List your tokens (sessions and API tokens)',
    tags: ['novem'],
    responses: { 200: json(z.array(TokenInfo), 'Your active tokens, newest first') },
  });
  api.openapi(list, async (c) => c.json((await listTokens(c.var.runtime, sessionOf(c).userId)).map(tokenInfo), 200));

  const folder = restRoute(table, { session: true }, {
    method: 'get',
    path: '/v1/admin/tokens/{token}',
    summary: "A token's folder",
    tags: ['novem'],
    request: tokenParam,
    responses: {
      200: json(z.object({ name: z.string(), entries: z.array(z.enum(['info', 'log'])) }).openapi('NovemTokenFolder'), 'The folder'),
    },
  });
  api.openapi(folder, async (c) => {
    const token = await findToken(c.var.runtime, sessionOf(c).userId, c.req.valid('param').token);
    return c.json({ name: token.name, entries: ['info' as const, 'log' as const] }, 200);
  });

  const info = restRoute(table, { session: true }, {
    method: 'get',
    path: '/v1/admin/tokens/{token}/info',
    summary: 'Token metadata: name, creation time, last use',
    tags: ['novem'],
    request: tokenParam,
    responses: { 200: json(TokenInfo, 'The metadata') },
  });
  api.openapi(info, async (c) => c.json(tokenInfo(await findToken(c.var.runtime, sessionOf(c).userId, c.req.valid('param').token)), 200));

  const log = restRoute(table, { session: true }, {
    method: 'get',
    path: '/v1/admin/tokens/{token}/log',
    summary: "That token's activity log, newest first",
    tags: ['novem'],
    request: {
      ...tokenParam,
      query: z.object({ limit: z.coerce.number().int().min(1).max(100).optional(), after: z.string().optional() }),
    },
    responses: {
      200: json(z.object({ events: z.array(TokenEvent), next: z.string().nullable() }).openapi('NovemTokenLog'), 'A page of events'),
    },
  });
  api.openapi(log, async (c) => {
    const principal = sessionOf(c);
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

  const revoke = restRoute(table, { session: true }, {
    method: 'delete',
    path: '/v1/admin/tokens/{token}',
    summary: 'Revoke the token',
    tags: ['novem'],
    request: tokenParam,
    responses: { 200: json(z.object({ name: z.string(), revoked: z.literal(true) }).openapi('NovemTokenRevoked'), 'Revoked') },
  });
  api.openapi(revoke, async (c) => {
    const principal = sessionOf(c);
    const token = await findToken(c.var.runtime, principal.userId, c.req.valid('param').token);
    if (token.kind === 'session') await revokeSession(c.var.runtime, principal, token.id);
    else await revokeApiKey(c.var.runtime, principal, token.id, clientOf(c));
    return c.json({ name: token.name, revoked: true as const }, 200);
  });
}
