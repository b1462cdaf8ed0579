import { z } from '@hono/zod-openapi';
import { maxRollGraceSeconds, rollApiKey } from '../apikeys/manage.js';
import { parsePermissions } from '../apikeys/permissions.js';
import { updateApiKey } from '../apikeys/update.js';
import { usageRefills } from '../principal.js';
import { clientOf, json, jsonBody, optionalJsonBody, restRoute, sessionOf, type RestApi, type RouteTable } from './api.js';
import { apiKeySummary, ApiKeySummary, CreatedKey } from './restume-keys.js';

/** authgraph's additions to RESTume's key routes: change a key's permissions and limits, and roll its secret. */
const RateLimitBody = z.object({ limit: z.number().int(), window_seconds: z.number().int().optional() }).openapi('KeyRateLimit');
const UsageBody = z.object({ limit: z.number().int(), refill: z.enum(usageRefills) }).openapi('KeyUsageBudget');

const ApiKeyDetails = ApiKeySummary.extend({
  permissions: z.array(z.string()),
  rate_limit: RateLimitBody.nullable(),
  usage: UsageBody.nullable(),
}).openapi('ApiKeyDetails');

type KeyRow = Parameters<typeof apiKeySummary>[0] & {
  permissions: string | null;
  rateLimit: number | null;
  rateLimitWindow: number | null;
  usageLimit: number | null;
  usageRefill: string | null;
};

function apiKeyDetails(key: KeyRow, now: Date): z.infer<typeof ApiKeyDetails> {
  return {
    ...apiKeySummary(key, now),
    permissions: parsePermissions(key.permissions),
    rate_limit: key.rateLimit === null ? null : { limit: key.rateLimit, window_seconds: key.rateLimitWindow ?? 60 },
    usage: key.usageLimit === null || key.usageRefill === null ? null : { limit: key.usageLimit, refill: key.usageRefill as (typeof usageRefills)[number] },
  };
}

export function restumeKeyChangeRoutes(api: RestApi, table: RouteTable) {
  const update = restRoute(table, { session: true }, {
    method: 'patch',
    path: '/v1/auth/api-keys/{key_id}',
    summary: 'Change a key: name, permissions, expiry, rate limit, usage budget (a field left out stays; null clears it)',
    operationId: 'restumeUpdateApiKey',
    tags: ['API keys'],
    product: 'RESTume',
    errors: ['NOT_FOUND', 'REAUTHENTICATION_REQUIRED', 'MFA_REQUIRED'],
    request: {
      params: z.object({ key_id: z.string() }),
      ...jsonBody(
        z
          .object({
            name: z.string().optional(),
            permissions: z.array(z.string()).nullable().optional(),
            expires_at: z.iso.datetime().nullable().optional(),
            rate_limit: RateLimitBody.nullable().optional(),
            usage: UsageBody.nullable().optional(),
          })
          .openapi('UpdateApiKeyBody'),
      ),
    },
    responses: { 200: json(ApiKeyDetails, 'The key as it is now') },
  });
  api.openapi(update, async (c) => {
    const body = c.req.valid('json');
    const key = await updateApiKey(
      c.var.runtime,
      sessionOf(c),
      c.req.valid('param').key_id,
      {
        name: body.name,
        permissions: body.permissions,
        expiresAt: body.expires_at === undefined ? undefined : body.expires_at === null ? null : new Date(body.expires_at),
        rateLimit: body.rate_limit === undefined ? undefined : body.rate_limit && { limit: body.rate_limit.limit, windowSeconds: body.rate_limit.window_seconds },
        usage: body.usage,
      },
      clientOf(c),
    );
    return c.json(apiKeyDetails(key, c.var.runtime.clock()), 200);
  });

  const roll = restRoute(table, { session: true }, {
    method: 'post',
    path: '/v1/auth/api-keys/{key_id}/roll',
    summary: 'A new secret for the same key (id, settings, log); the old one works for grace_period_seconds',
    operationId: 'restumeRollApiKey',
    tags: ['API keys'],
    product: 'RESTume',
    errors: ['NOT_FOUND', 'CONFLICT', 'REAUTHENTICATION_REQUIRED', 'MFA_REQUIRED'],
    request: {
      params: z.object({ key_id: z.string() }),
      ...optionalJsonBody(
        z.object({ grace_period_seconds: z.number().int().min(0).max(maxRollGraceSeconds).optional() }).openapi('RollApiKeyBody'),
      ),
    },
    responses: { 200: json(CreatedKey, 'The key, with its new raw_key shown this once') },
  });
  api.openapi(roll, async (c) => {
    const body = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : {};
    const { apiKey, rawKey } = await rollApiKey(c.var.runtime, sessionOf(c), c.req.valid('param').key_id, body.grace_period_seconds ?? 0, clientOf(c));
    c.header('Cache-Control', 'no-store');
    return c.json({ ...apiKeySummary(apiKey, c.var.runtime.clock()), raw_key: rawKey }, 200);
  });
}
