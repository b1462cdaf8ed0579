import { z } from '@hono/zod-openapi';
import { passkeysOf, removePasskey, renamePasskey, type PasskeyView } from '../passkeys/manage.js';
import { passkeyRegistrationOptions, registerPasskey } from '../passkeys/registration.js';
import { passkeyAuthenticationOptions, signInWithPasskey, verifyMfaWithPasskey } from '../passkeys/sign-in.js';
import { deliverTokens } from '../sessions/delivery.js';
import { clientOf, json, jsonBody, restDelivery, restRoute, sessionOf, type RestApi, type RouteTable } from './api.js';
import { tokenPair, TokenPair } from './novavms.js';

const WebauthnOptions = z.record(z.string(), z.unknown()).openapi('WebauthnOptions', {
  description: "PublicKeyCredential options as JSON: pass them to @simplewebauthn/browser's startAuthentication / startRegistration as optionsJSON.",
});
const CredentialResponse = z
  .object({ id: z.string().max(1024), type: z.literal('public-key'), response: z.record(z.string(), z.unknown()) })
  .passthrough()
  .openapi('WebauthnResponse', { description: 'What startAuthentication / startRegistration answered, as it came.' });

const OptionsBody = z
  .object({ challenge_id: z.string().max(64).optional().openapi({ description: 'A sign-in challenge (mfa_required) to answer with a passkey; without it, a sign-in with any passkey.' }) })
  .openapi('PasskeyOptionsBody');
const SignInBody = z
  .object({
    response: CredentialResponse,
    client_type: z.enum(['api', 'browser']).default('api').openapi({ description: 'browser: the refresh token goes in an HttpOnly cookie' }),
    remember_me: z.boolean().default(false),
  })
  .openapi('PasskeySignInBody');
const VerifyBody = z.object({ challenge_id: z.string().max(64), response: CredentialResponse }).openapi('PasskeyVerifyBody');
const RenameBody = z.object({ name: z.string().max(64) }).openapi('PasskeyRenameBody');
const RegisterBody = z.object({ response: CredentialResponse, name: z.string().max(64).optional() }).openapi('PasskeyRegisterBody');
const PasskeyBody = z
  .object({ id: z.string(), name: z.string(), device_type: z.string(), backed_up: z.boolean(), created_at: z.string().datetime(), last_used_at: z.string().datetime().nullable() })
  .openapi('Passkey');

const passkeyBody = (passkey: PasskeyView): z.infer<typeof PasskeyBody> => ({
  id: passkey.id,
  name: passkey.name,
  device_type: passkey.deviceType,
  backed_up: passkey.backedUp,
  created_at: passkey.createdAt.toISOString(),
  last_used_at: passkey.lastUsedAt?.toISOString() ?? null,
});

const docs = { tags: ['Passkeys'] as ['Passkeys'], product: 'authgraph' as const };

/** authgraph's own paths for passkeys (WebAuthn): sign in, answer a sign-in challenge, register, list and remove. */
export function passkeyRoutes(api: RestApi, table: RouteTable) {
  const options = restRoute(table, 'public', {
    ...docs,
    method: 'post',
    path: '/v1/auth/passkeys/authentication-options',
    summary: 'Options for a passkey sign-in, or for answering a sign-in challenge with a passkey (authgraph addition)',
    operationId: 'authgraphPasskeyAuthenticationOptions',
    errors: ['UNAUTHENTICATED', 'NOT_FOUND'],
    request: jsonBody(OptionsBody),
    responses: { 200: json(WebauthnOptions, 'Single use, for MFA_CHALLENGE_TTL seconds, from this client only') },
  });
  api.openapi(options, async (c) => {
    const body = c.req.valid('json');
    const request = body.challenge_id ? { purpose: 'SECOND_FACTOR' as const, mfaChallengeId: body.challenge_id } : { purpose: 'SIGN_IN' as const };
    return c.json(await passkeyAuthenticationOptions(c.var.runtime, request, clientOf(c)), 200);
  });

  const signIn = restRoute(table, 'public', {
    ...docs,
    method: 'post',
    path: '/v1/auth/passkeys/sign-in',
    summary: 'Sign in with a passkey, no username typed (authgraph addition)',
    operationId: 'authgraphPasskeySignIn',
    errors: ['UNAUTHENTICATED'],
    request: jsonBody(SignInBody),
    responses: { 200: json(TokenPair, 'The token pair of the new session (amr ["hwk","user"], aal2)') },
  });
  api.openapi(signIn, async (c) => {
    const body = c.req.valid('json');
    const options = { clientType: body.client_type === 'browser' ? ('BROWSER' as const) : ('API' as const), rememberMe: body.remember_me };
    const { user: _user, ...tokens } = await signInWithPasskey(c.var.runtime, body.response, options, clientOf(c));
    return tokenPair(c, deliverTokens(c.var.runtime, tokens, restDelivery(c)));
  });

  const verify = restRoute(table, 'public', {
    ...docs,
    method: 'post',
    path: '/v1/auth/passkeys/verify',
    summary: 'Complete a sign-in that answered mfa_required with a passkey (authgraph addition)',
    operationId: 'authgraphPasskeyVerifyMfa',
    errors: ['UNAUTHENTICATED'],
    request: jsonBody(VerifyBody),
    responses: { 200: json(TokenPair, 'The token pair of the new session (amr ["pwd","hwk"], aal2)') },
  });
  api.openapi(verify, async (c) => {
    const body = c.req.valid('json');
    const { user: _user, ...tokens } = await verifyMfaWithPasskey(c.var.runtime, body.challenge_id, body.response, clientOf(c));
    return tokenPair(c, deliverTokens(c.var.runtime, tokens, restDelivery(c)));
  });

  const registrationOptions = restRoute(table, { session: true }, {
    ...docs,
    method: 'post',
    path: '/v1/auth/passkeys/registration-options',
    summary: 'Options for adding a passkey; needs a recent sign-in (authgraph addition)',
    operationId: 'authgraphPasskeyRegistrationOptions',
    errors: ['REAUTHENTICATION_REQUIRED', 'MFA_REQUIRED', 'CONFLICT'],
    responses: { 200: json(WebauthnOptions, 'Single use, for MFA_CHALLENGE_TTL seconds, for this session only') },
  });
  api.openapi(registrationOptions, async (c) => c.json(await passkeyRegistrationOptions(c.var.runtime, sessionOf(c), clientOf(c)), 200));

  const register = restRoute(table, { session: true }, {
    ...docs,
    method: 'post',
    path: '/v1/auth/passkeys',
    summary: 'Add the passkey the browser created (authgraph addition)',
    operationId: 'authgraphPasskeyRegister',
    errors: ['UNAUTHENTICATED', 'REAUTHENTICATION_REQUIRED', 'MFA_REQUIRED', 'CONFLICT'],
    request: jsonBody(RegisterBody),
    responses: { 201: json(PasskeyBody, 'The new passkey') },
  });
  api.openapi(register, async (c) => {
    const body = c.req.valid('json');
    return c.json(passkeyBody(await registerPasskey(c.var.runtime, sessionOf(c), body.response, body.name, clientOf(c))), 201);
  });

  const list = restRoute(table, { session: true }, {
    ...docs,
    method: 'get',
    path: '/v1/auth/passkeys',
    summary: "The account's passkeys (authgraph addition)",
    operationId: 'authgraphPasskeyList',
    responses: { 200: json(z.array(PasskeyBody), 'Oldest first') },
  });
  api.openapi(list, async (c) => c.json((await passkeysOf(c.var.runtime, sessionOf(c).userId)).map(passkeyBody), 200));

  const rename = restRoute(table, { session: true }, {
    ...docs,
    method: 'patch',
    path: '/v1/auth/passkeys/{id}',
    summary: 'Rename a passkey (authgraph addition)',
    operationId: 'authgraphPasskeyRename',
    errors: ['NOT_FOUND'],
    request: { params: z.object({ id: z.string().max(64) }), ...jsonBody(RenameBody) },
    responses: { 200: json(PasskeyBody, 'The renamed passkey') },
  });
  api.openapi(rename, async (c) => {
    const passkey = await renamePasskey(c.var.runtime, sessionOf(c), c.req.valid('param').id, c.req.valid('json').name, clientOf(c));
    return c.json(passkeyBody(passkey), 200);
  });

  const remove = restRoute(table, { session: true }, {
    ...docs,
    method: 'delete',
    path: '/v1/auth/passkeys/{id}',
    summary: "Remove a passkey; refused when it is the account's last way to sign in (authgraph addition)",
    operationId: 'authgraphPasskeyRemove',
    errors: ['NOT_FOUND', 'REAUTHENTICATION_REQUIRED', 'MFA_REQUIRED'],
    request: { params: z.object({ id: z.string().max(64) }) },
    responses: { 204: { description: 'Removed' } },
  });
  api.openapi(remove, async (c) => {
    await removePasskey(c.var.runtime, sessionOf(c), c.req.valid('param').id, clientOf(c));
    return c.body(null, 204);
  });
}
