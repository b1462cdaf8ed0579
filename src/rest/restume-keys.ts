import { z } from '@hono/zod-openapi';
import { createApiKey } from '../apikeys/create.js';
import { listApiKeys, revokeApiKey } from '../apikeys/manage.js';
import { maxPageSize } from '../pagination.js';
import { clientOf, json, jsonBody, restRoute, sessionOf, type RestApi, type RouteTable } from './api.js';

/** RESTume's API-key management (source documents 002 and 003): a JWT session only; a key gets 403. Keys are `rst_...`. */
export const ApiKeySummary = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first 8 characters of the key', example: 'rst_a1b2' }),
    created_at: z.string().datetime(),
    last_used_at: z.string().datetime().nullable(),
    expires_at: z.string().datetime().nullable(),
    is_active: z.boolean(),
  })
  .openapi('ApiKeySummary');

export const CreatedKey = ApiKeySummary.extend({
  raw_key: z.string().openapi({ description: 'The full key, shown once' }),
}).openapi('CreatedApiKey');

type KeyRow = { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null; revokedAt: Date | null };

export function apiKeySummary(key: KeyRow, now: Date): z.infer<typeof ApiKeySummary> {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    created_at: key.createdAt.toISOString(),
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    expires_at: key.expiresAt?.toISOString() ?? null,
    is_active: !key.revokedAt && (!key.expiresAt || key.expiresAt > now),
  };
}

export function restumeKeyRoutes(api: RestApi, table: RouteTable) {
  const create = restRoute(table, { session: true }, {
    method: 'post',
    path: '/v1/auth/api-keys',
    summary: 'Create an API key. The raw key is shown only once.',
    operationId: 'restumeCreateApiKey',
    tags: ['API keys'],
    product: 'RESTume',
    errors: ['REAUTHENTICATION_REQUIRED', 'MFA_REQUIRED'],
    request: jsonBody(
      z
        .object({
          name: z.string().openapi({ description: 'Human-readable key label', example: 'my-app-key' }),
          expires_at: z.iso.datetime().optional(),
          scopes: z
            .array(z.string())
            .optional()
            .openapi({ description: "Narrows the key; without it the key holds its owner's scopes but account:write", example: ['account:read'] }),
        })
        .openapi('CreateApiKeyBody'),
    ),
    responses: { 201: json(CreatedKey, 'The key, with raw_key shown this once') },
  });
  api.openapi(create, async (c) => {
    const principal = sessionOf(c);
    const body = c.req.valid('json');
    const { apiKey, rawKey } = await createApiKey(
      c.var.runtime,
      { userId: principal.userId },
      { name: body.name, scopes: body.scopes, expiresAt: body.expires_at ? new Date(body.expires_at) : null, format: 'restume' },
      { userId: principal.userId, client: clientOf(c), proof: principal },
    );
    c.header('Cache-Control', 'no-store');
    return c.json({ ...apiKeySummary(apiKey, c.var.runtime.clock()), raw_key: rawKey }, 201);
  });

  const list = restRoute(table, { session: true }, {
    method: 'get',
    path: '/v1/auth/api-keys',
    summary: 'List API keys for the authenticated user (prefixes only)',
    operationId: 'restumeListApiKeys',
    tags: ['API keys'],
    product: 'RESTume',
    responses: { 200: json(z.array(ApiKeySummary), 'The keys, newest first') },
  });
  api.openapi(list, async (c) => {
    const page = await listApiKeys(c.var.runtime, sessionOf(c).userId, { first: maxPageSize });
    const now = c.var.runtime.clock();
    return c.json(page.nodes.map((key) => apiKeySummary(key, now)), 200);
  });

  const revoke = restRoute(table, { session: true }, {
    method: 'delete',
    path: '/v1/auth/api-keys/{key_id}',
    summary: 'Revoke one API key; it is refused from the next request on',
    operationId: 'restumeRevokeApiKey',
    tags: ['API keys'],
    product: 'RESTume',
    errors: ['NOT_FOUND', 'CONFLICT', 'REAUTHENTICATION_REQUIRED', 'MFA_REQUIRED'],
    request: { params: z.object({ key_id: z.string() }) },
    responses: { 200: json(ApiKeySummary, 'The revoked key') },
  });
  api.openapi(revoke, async (c) => {
    const key = await revokeApiKey(c.var.runtime, sessionOf(c), c.req.valid('param').key_id, clientOf(c));
    return c.json(apiKeySummary(key, c.var.runtime.clock()), 200);
  });
}
