import { z } from '@hono/zod-openapi';
import { exchangeApiKey } from '../apikeys/exchange.js';
import { verificationCodes, verifyKeyForProduct, type KeyVerification } from '../apikeys/product-verify.js';
import { clientOf, json, jsonBody, restRoute, type RestApi, type RouteTable } from './api.js';

const LimitState = z.object({ limit: z.number().int(), remaining: z.number().int(), reset: z.string().datetime() });

const KeyVerificationBody = z
  .object({
    valid: z.boolean(),
    code: z.enum(verificationCodes),
    key_id: z.string().nullable(),
    name: z.string().nullable(),
    owner: z.object({ type: z.enum(['user', 'service_account']), id: z.string(), role: z.string(), plan: z.string() }).nullable(),
    environment: z.enum(['LIVE', 'TEST']).nullable(),
    permissions: z.array(z.string()),
    expires_at: z.string().datetime().nullable(),
    ratelimit: LimitState.nullable(),
    usage: LimitState.nullable(),
  })
  .openapi('KeyVerification');

const limitState = (state: { limit: number; remaining: number; resetAt: Date } | null | undefined) =>
  state ? { limit: state.limit, remaining: state.remaining, reset: state.resetAt.toISOString() } : null;

export function keyVerificationBody({ valid, code, keyId, principal, permissions, quota }: KeyVerification): z.infer<typeof KeyVerificationBody> {
  return {
    valid,
    code,
    key_id: keyId,
    name: principal?.keyName ?? null,
    owner: principal
      ? { type: principal.userId ? 'user' : 'service_account', id: (principal.userId ?? principal.serviceAccountId)!, role: principal.role, plan: principal.plan }
      : null,
    environment: principal?.environment ?? null,
    permissions,
    expires_at: principal?.expiresAt?.toISOString() ?? null,
    ratelimit: limitState(quota?.rateLimit),
    usage: limitState(quota?.usage),
  };
}

const tokenExchangeGrant = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const apiKeyTokenType = 'urn:authgraph:params:oauth:token-type:api-key';

/** authgraph's own routes for a product's backend: verify a key its caller sent, or exchange a key for a JWT (RFC 8693). */
export function keyVerificationRoutes(api: RestApi, table: RouteTable) {
  const verify = restRoute(table, { verifier: true }, {
    method: 'post',
    path: '/v1/keys/verify',
    summary: "Verify a key a product's caller sent: permissions, limits, and the product's operation in the key's log",
    operationId: 'authgraphVerifyApiKey',
    tags: ['Key verification'],
    product: 'authgraph',
    request: jsonBody(
      z
        .object({
          key: z.string().openapi({ example: 'sk_live_...' }),
          permissions: z.string().optional().openapi({ description: 'A permission query', example: 'cameras:read AND (exports:run OR admin)' }),
          operation: z.string().optional().openapi({ example: 'GET /api/v1/cameras' }),
          cost: z.number().int().optional().openapi({ description: "Of the key's rate limit and budget; 0 checks without spending. Default 1" }),
          tags: z.array(z.string()).optional().openapi({ example: ['region:eu'] }),
        })
        .openapi('VerifyApiKeyBody'),
    ),
    responses: { 200: json(KeyVerificationBody, 'The verdict: `valid`, and `code` saying why not') },
  });
  api.openapi(verify, async (c) => c.json(keyVerificationBody(await verifyKeyForProduct(c.var.runtime, c.req.valid('json'), clientOf(c))), 200));

  const exchange = restRoute(table, 'public', {
    method: 'post',
    path: '/oauth/token',
    summary: 'Exchange an API key for a short-lived access JWT (RFC 8693 token exchange), verifiable offline through JWKS',
    operationId: 'authgraphExchangeApiKey',
    tags: ['Key verification'],
    product: 'authgraph',
    errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
    request: {
      body: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: z
              .object({
                grant_type: z.literal(tokenExchangeGrant),
                subject_token: z.string().openapi({ description: 'The API key' }),
                subject_token_type: z.literal(apiKeyTokenType),
              })
              .openapi('TokenExchangeBody'),
          },
        },
      },
    },
    responses: {
      200: json(
        z
          .object({
            access_token: z.string(),
            issued_token_type: z.literal('urn:ietf:params:oauth:token-type:access_token'),
            token_type: z.literal('Bearer'),
            expires_in: z.number().int(),
          })
          .openapi('TokenExchangeAnswer'),
        'A JWT for the key\'s owner and permissions',
      ),
    },
  });
  api.openapi(exchange, async (c) => {
    const { accessToken, expiresIn } = await exchangeApiKey(c.var.runtime, c.req.valid('form').subject_token, clientOf(c));
    c.header('Cache-Control', 'no-store');
    return c.json(
      { access_token: accessToken, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' as const, token_type: 'Bearer' as const, expires_in: expiresIn },
      200,
    );
  });
}
