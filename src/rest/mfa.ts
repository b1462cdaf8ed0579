import { z } from '@hono/zod-openapi';
import { verifyMfa } from '../mfa/challenge.js';
import { deliverTokens } from '../sessions/delivery.js';
import { clientOf, json, jsonBody, mfaVerifyPath, restDelivery, restRoute, type RestApi, type RouteTable } from './api.js';
import { tokenPair, TokenPair } from './novavms.js';

const MfaVerifyBody = z
  .object({
    challenge_id: z.string().max(64).openapi({ description: 'From the sign-in answer that said mfa_required.' }),
    code: z.string().max(64).openapi({ example: '123456', description: 'From the authenticator app, or a recovery code.' }),
  })
  .openapi('MfaVerifyBody');

/**
 * authgraph's addition to the products' paths: a RESTume or NovaVMS sign-in of an
 * account with a second factor answers 401 with `mfa_required` and a challenge;
 * this completes it with a TOTP or recovery code, answering NovaVMS's token pair.
 */
export function mfaRoutes(api: RestApi, table: RouteTable) {
  const verify = restRoute(table, 'public', {
    method: 'post',
    path: mfaVerifyPath,
    summary: 'Complete a sign-in that answered mfa_required (authgraph addition)',
    operationId: 'authgraphVerifyMfa',
    tags: ['Sessions'],
    product: 'authgraph',
    errors: ['UNAUTHENTICATED', 'RATE_LIMITED'],
    request: jsonBody(MfaVerifyBody),
    responses: { 200: json(TokenPair, 'The token pair of the new session (its access token says amr ["pwd","otp"], aal2)') },
  });
  api.openapi(verify, async (c) => {
    const body = c.req.valid('json');
    const { user: _user, ...tokens } = await verifyMfa(c.var.runtime, body.challenge_id, body.code, clientOf(c));
    return tokenPair(c, deliverTokens(c.var.runtime, tokens, restDelivery(c)));
  });
}
