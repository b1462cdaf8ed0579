import { exchangeApiKey } from '../apikeys/exchange.js';
import { verificationCodes, verifyKeyForProduct, type KeyVerification } from '../apikeys/product-verify.js';
import type { ApiKeyPrincipal } from '../principal.js';
import { KeyEnvironmentEnum } from './apikeys.js';
import { builder } from './builder.js';

const KeyVerificationCode = builder.enumType('KeyVerificationCode', { values: verificationCodes });
const KeyOwnerKind = builder.enumType('KeyOwnerKind', { values: ['USER', 'SERVICE_ACCOUNT'] as const });

const KeyOwner = builder.objectRef<ApiKeyPrincipal>('KeyOwner').implement({
  description: "Who a verified key acts for: a user or a service account, with its role and plan.",
  fields: (t) => ({
    kind: t.field({ type: KeyOwnerKind, resolve: (key) => (key.userId ? 'USER' : 'SERVICE_ACCOUNT') }),
    id: t.id({ resolve: (key) => (key.userId ?? key.serviceAccountId)! }),
    role: t.exposeString('role'),
    plan: t.exposeString('plan'),
  }),
});

const LimitState = builder.objectRef<{ limit: number; remaining: number; resetAt: Date }>('LimitState').implement({
  fields: (t) => ({
    limit: t.exposeInt('limit'),
    remaining: t.exposeInt('remaining'),
    reset: t.field({ type: 'DateTime', description: 'When the window or period starts afresh.', resolve: (state) => state.resetAt }),
  }),
});

const KeyVerificationRef = builder.objectRef<KeyVerification>('KeyVerification').implement({
  description: "What authgraph knows of a key a product's caller sent; `code` says why it is not valid.",
  fields: (t) => ({
    valid: t.exposeBoolean('valid'),
    code: t.field({ type: KeyVerificationCode, resolve: (verification) => verification.code }),
    keyId: t.id({ nullable: true, resolve: (verification) => verification.keyId }),
    name: t.string({ nullable: true, resolve: (verification) => verification.principal?.keyName ?? null }),
    owner: t.field({ type: KeyOwner, nullable: true, resolve: (verification) => verification.principal }),
    environment: t.field({ type: KeyEnvironmentEnum, nullable: true, resolve: (verification) => verification.principal?.environment ?? null }),
    permissions: t.exposeStringList('permissions', { description: "authgraph's scopes and this server's permissions the key holds." }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (verification) => verification.principal?.expiresAt ?? null }),
    rateLimit: t.field({ type: LimitState, nullable: true, resolve: (verification) => verification.quota?.rateLimit ?? null }),
    usage: t.field({ type: LimitState, nullable: true, resolve: (verification) => verification.quota?.usage ?? null }),
  }),
});

const KeyAccessToken = builder.objectRef<Awaited<ReturnType<typeof exchangeApiKey>>>('KeyAccessToken').implement({
  fields: (t) => ({
    accessToken: t.exposeString('accessToken', { description: 'A JWT for the key\'s owner and permissions; verify it with the keys at jwks_uri.' }),
    expiresIn: t.exposeInt('expiresIn'),
    keyId: t.exposeID('keyId'),
  }),
});

builder.mutationFields((t) => ({
  verifyApiKey: t.field({
    type: KeyVerificationRef,
    description:
      "For a product's backend: checks a key its caller sent against a permission query (`a AND (b OR c)`), spends `cost` of the key's rate limit and budget, and logs `operation` and `tags` in the key's log. Needs a service account's key holding keys:verify.",
    authScopes: { verifier: true },
    args: {
      key: t.arg.string({ required: true }),
      permissions: t.arg.string(),
      operation: t.arg.string(),
      cost: t.arg.int({ description: 'Omitted: 1; 0 checks without spending.' }),
      tags: t.arg.stringList(),
    },
    resolve: (_root, args, context) => verifyKeyForProduct(context.runtime, args, context.client),
  }),
  exchangeApiKey: t.field({
    type: KeyAccessToken,
    description: "A short-lived access token (API_KEY_TOKEN_TTL) for a key's owner and permissions, to verify offline through JWKS.",
    args: { key: t.arg.string({ required: true }) },
    resolve: (_root, { key }, context) => exchangeApiKey(context.runtime, key, context.client),
  }),
}));
