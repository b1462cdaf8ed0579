import { resolve } from 'node:path';
import { z } from 'zod';
import { postgresWaitDefaults } from './database-connect.js';
import { parseSubnet } from './http/client-address.js';
import type { LimitSettings } from './limits/limits.js';
import { apiKeyScopes } from './apikeys/scopes.js';
import { permissionNamePattern } from './apikeys/permissions.js';
import { accessTokenClaimNames, type AccessTokenClaimName } from './crypto/token-claims.js';
import type { HookSettings } from './hooks/hook-settings.js';

/** A REDIRECT_ALLOWLIST entry: an http(s) origin, or an origin and a path prefix, with nothing else. */
function isRedirectAllowlistEntry(entry: string): boolean {
  if (!URL.canParse(entry)) return false;
  const url = new URL(entry);
  return ['http:', 'https:'].includes(url.protocol) && !url.username && !url.password && !url.search && !url.hash && !entry.includes('\\');
}

const seconds = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
/** The one boolean parser: 'true' / '1' are on, 'false' / '0' off; add `.default(...)`, or `.optional()` when the default depends on another setting. */
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
/** Types the fields as optional (`key?: T`) in the inferred Config; at run time they stay present, possibly undefined. */
const hookUrl = z.string().refine((url) => /^https?:\/\//.test(url) && URL.canParse(url), 'must be an http:// or https:// URL').optional();
const hookTimeoutMs = z.coerce.number().int().positive().max(30_000).default(2000);
const hookOnFailure = z.enum(['closed', 'open']).default('closed');
const hookSettings = (url: string | undefined, timeoutMs: number, onFailure: HookSettings['onFailure']): HookSettings | undefined =>
  url ? { url, timeoutMs, onFailure } : undefined;
const optional = <T extends Record<string, unknown>>(fields: T) => fields as { [K in keyof T]?: Exclude<T[K], undefined> };

/**
 * Every setting, once: the environment variables, then the nested config made from them.
 * Empty strings must be removed before parsing (loadConfig does) so that they count as unset.
 */
const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().default('0.0.0.0'),
    DATA_DIR: z.string().default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^(postgres(ql)?:\/\/|file:)/, 'must be a postgres:// URL or a file: path')
      .optional(),
    /** PostgreSQL at start-up (database-connect.ts): seconds per attempt, seconds to keep retrying (0: no retry), seconds to wait for another instance's migration. */
    DATABASE_CONNECT_TIMEOUT: z.coerce.number().int().positive().default(postgresWaitDefaults.DATABASE_CONNECT_TIMEOUT),
    DATABASE_CONNECT_RETRY: seconds(postgresWaitDefaults.DATABASE_CONNECT_RETRY),
    DATABASE_MIGRATION_LOCK_TIMEOUT: seconds(postgresWaitDefaults.DATABASE_MIGRATION_LOCK_TIMEOUT),
    // 'localhost:4000' parses as a URL of scheme "localhost:": mails would carry scheme-less links.
    PUBLIC_URL: z
      .string()
      .refine((url) => /^https?:\/\/[^/?#]+/.test(url) && URL.canParse(url), 'must be an http:// or https:// URL such as https://auth.example.com')
      .optional(),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((list) => list.split(',').map((origin) => origin.trim()).filter(Boolean))
      .refine((origins) => origins.every((origin) => URL.canParse(origin) && new URL(origin).origin === origin), {
        message: 'must be a comma-separated list of origins such as https://app.example.com (scheme, host and port only)',
      }),
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((list) => list.split(',').map((entry) => entry.trim()).filter(Boolean))
      .refine((subnets) => subnets.every((subnet) => parseSubnet(subnet) !== null), {
        message: 'must be a comma-separated list of addresses or CIDR ranges such as 10.0.0.0/8, ::1/128',
      }),
    JWT_ISSUER: z.string().optional(),
    JWT_AUDIENCE: z.string().default('authgraph'),
    JWT_PRIVATE_JWK: z.string().optional(),
    SERVER_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    ACCESS_TOKEN_TTL: seconds(3600),
    REFRESH_TOKEN_TTL: seconds(7 * 24 * 3600),
    REFRESH_TOKEN_REMEMBER_TTL: seconds(30 * 24 * 3600),
    REFRESH_REUSE_GRACE: seconds(10),
    /** The absolute lifetime of a session, whatever its refreshes (not in NovaVMS's document: our addition); 0 turns it off. */
    SESSION_MAX_AGE: seconds(90 * 24 * 3600),
    /** How recent a session's last password or Google sign-in must be for a sensitive change (keys, Google link, password). */
    REAUTH_WINDOW: z.coerce.number().int().positive().default(600),
    /** Seconds a sign-in's second-factor challenge lives; and how recent a second factor must be for a sensitive change. */
    MFA_CHALLENGE_TTL: z.coerce.number().int().positive().default(300),
    MFA_STEP_UP_WINDOW: z.coerce.number().int().positive().default(600),
    /** Administrators without a second factor are refused every admin operation until they enrol one. */
    REQUIRE_MFA_FOR_ADMINS: flag.default(false),
    USER_AGENT_BINDING: z.enum(['exact', 'family']).default('exact'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `auto`: readable lines when stdout is a terminal, JSON otherwise. */
    LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
    /** Defaults to the introspection setting. */
    GRAPHIQL: flag.optional(),
    /** Defaults to on, except with NODE_ENV=production. */
    GRAPHQL_INTROSPECTION: flag.optional(),
    GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(10),
    GRAPHQL_MAX_ALIASES: z.coerce.number().int().nonnegative().default(10),
    GRAPHQL_MAX_COST: z.coerce.number().int().positive().default(5000),
    GRAPHQL_MAX_TOKENS: z.coerce.number().int().positive().default(1000),
    GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().nonnegative().default(10),
    /** Seconds. */
    REQUEST_TIMEOUT: z.coerce.number().int().positive().default(15),
    /**
     * Seconds a client has to send a request's headers, and the whole request with its body;
     * and an idle keep-alive connection is kept. REQUEST_TIMEOUT is the server's time to answer.
     */
    HTTP_HEADERS_TIMEOUT: z.coerce.number().int().positive().default(10),
    HTTP_RECEIVE_TIMEOUT: z.coerce.number().int().positive().default(30),
    HTTP_KEEP_ALIVE_TIMEOUT: z.coerce.number().int().positive().default(5),
    REDIS_KEY_PREFIX: z.string().default('authgraph'),
    RATE_LIMIT_LOGIN_WINDOW: z.coerce.number().int().positive().default(3600),
    RATE_LIMIT_LOGIN_FREE_FAILURES: z.coerce.number().int().nonnegative().default(5),
    RATE_LIMIT_LOGIN_ACCOUNT_PER_HOUR: z.coerce.number().int().positive().default(100),
    RATE_LIMIT_LOGIN_IP_PER_HOUR: z.coerce.number().int().positive().default(1000),
    RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: z.coerce.number().int().positive().default(20),
    RATE_LIMIT_REFRESH_PER_SESSION_PER_MINUTE: z.coerce.number().int().positive().default(30),
    API_KEY_RPM_FREE: z.coerce.number().int().positive().default(60),
    API_KEY_RPM_PRO: z.coerce.number().int().positive().default(600),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
    SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
    MAIL_FROM: z.string().optional(),
    MAIL_PRODUCT_NAME: z.string().default('authgraph'),
    MAIL_LOGO_URL: z.string().url().optional(),
    MAIL_LOCALE: z.string().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})?$/, 'must be a lowercase language tag such as en or pt-br').default('en'),
    TEMPLATES_DIR: z.string().optional(),
    CHALLENGE_TTL: z.coerce.number().int().positive().default(15 * 60),
    RESEND_INTERVAL: seconds(60),
    /** Per e-mail address and rolling day: wrong codes answered (beyond them every code is refused), and challenge mails sent. */
    CHALLENGE_FAILURES_PER_DAY: z.coerce.number().int().positive().default(20),
    CHALLENGE_MAILS_PER_DAY: z.coerce.number().int().positive().default(10),
    REQUIRE_VERIFIED_EMAIL: flag.default(true),
    /** Whether an e-mailed sign-in code (or link) to an unknown address creates the account. */
    PASSWORDLESS_SIGNUP: flag.default(false),
    /** Seconds between deleteAccount and the deletion, in which the owner may cancel; 0 deletes at once. */
    ACCOUNT_DELETION_GRACE: seconds(0),
    /** Seconds the audit log keeps an entry; 0 keeps every entry. */
    AUDIT_RETENTION: seconds(0),
    API_KEY_PREFIX: z
      .string()
      .regex(/^[a-z][a-z0-9]{0,15}$/, 'must be 1 to 16 lower-case letters or digits, starting with a letter')
      .default('sk'),
    MAX_API_KEYS_PER_USER: z.coerce.number().int().positive().default(25),
    API_KEY_CACHE_TTL: seconds(30),
    /** The product's own permission names, beside authgraph's scopes: what keys may be given and verifyApiKey checks. */
    API_KEY_PERMISSIONS: z
      .string()
      .default('')
      .transform((list) => [...new Set(list.split(',').map((name) => name.trim()).filter(Boolean))])
      .refine((names) => names.every((name) => permissionNamePattern.test(name)), {
        message: 'must be a comma-separated list of names such as cameras:read,exports:run (lower case, digits, : . _ -)',
      })
      .refine((names) => names.every((name) => !(apiKeyScopes as readonly string[]).includes(name)), {
        message: `must not repeat authgraph's own scopes (${apiKeyScopes.join(', ')})`,
      }),
    /** Seconds an access token exchanged for an API key lives: how long a revoked key's tokens may still be accepted offline. */
    API_KEY_TOKEN_TTL: z.coerce.number().int().positive().max(3600).default(300),
    ACCESS_TOKEN_CLAIMS: z
      .string()
      .default('')
      .transform((list) => [...new Set(list.split(',').map((name) => name.trim()).filter(Boolean))])
      .refine((names) => names.every((name) => (accessTokenClaimNames as readonly string[]).includes(name)), {
        message: `must be a comma-separated list of ${accessTokenClaimNames.join(', ')}`,
      }),
    ACCESS_TOKEN_CLAIMS_MAX_BYTES: z.coerce.number().int().min(64).max(8192).default(1024),
    /** Passkeys (WebAuthn): the relying party id (a registrable domain) and the origins allowed to answer; both default to PUBLIC_URL's. */
    WEBAUTHN_RP_ID: z
      .string()
      .regex(/^[a-z0-9.-]+$/, 'must be a host name such as example.com (no scheme, port or path)')
      .optional(),
    WEBAUTHN_ORIGINS: z
      .string()
      .default('')
      .transform((list) => list.split(',').map((origin) => origin.trim()).filter(Boolean))
      .refine((origins) => origins.every((origin) => URL.canParse(origin) && new URL(origin).origin === origin), {
        message: 'must be a comma-separated list of origins such as https://app.example.com (scheme, host and port only)',
      }),
    /**
     * Where pages opened from mails may send the browser on (challenges/redirect.ts), besides this server:
     * origins (any path) or origin + path prefixes, comma-separated.
     */
    REDIRECT_ALLOWLIST: z
      .string()
      .default('')
      .transform((list) => list.split(',').map((entry) => entry.trim()).filter(Boolean))
      .refine((entries) => entries.every(isRedirectAllowlistEntry), {
        message: 'must be a comma-separated list of http(s) origins or origins with a path prefix, such as https://app.example.com or https://example.com/app/ (no user name, query or fragment)',
      }),
    OIDC_ISSUER: z.string().url().default('https://accounts.google.com'),
    OIDC_CLIENT_ID: z.string().optional(),
    OIDC_JWKS_COOLDOWN: seconds(30),
    SHUTDOWN_TIMEOUT: seconds(10),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** OpenTelemetry tracing is on when set (the exporter reads the other OTEL_EXPORTER_OTLP_* variables itself). */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
    /** Signs the synchronous hooks' requests (Standard Webhooks: `whsec_` and at least 24 bytes in base64). */
    HOOK_SECRET: z
      .string()
      .refine((secret) => /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret) && Buffer.from(secret.slice(6), 'base64').length >= 24, 'must be whsec_ followed by at least 24 random bytes in base64')
      .optional(),
    HOOK_BEFORE_USER_CREATED_URL: hookUrl,
    HOOK_BEFORE_USER_CREATED_TIMEOUT_MS: hookTimeoutMs,
    HOOK_BEFORE_USER_CREATED_ON_FAILURE: hookOnFailure,
    HOOK_CUSTOM_ACCESS_TOKEN_CLAIMS_URL: hookUrl,
    HOOK_CUSTOM_ACCESS_TOKEN_CLAIMS_TIMEOUT_MS: hookTimeoutMs,
    HOOK_CUSTOM_ACCESS_TOKEN_CLAIMS_ON_FAILURE: hookOnFailure,
    /** Webhook deliveries may go to loopback, private and link-local addresses (a receiver on the same network). */
    WEBHOOK_ALLOW_PRIVATE: flag.default(false),
    /** Milliseconds a receiver has to answer a delivery. */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** Seconds between the dispatcher's looks at the outbox and the due retries (its own instance's events go at once). */
    WEBHOOK_POLL_INTERVAL: z.coerce.number().int().positive().default(5),
    /** Seconds a finished delivery (and its event) is kept for webhookDeliveries and redelivery. */
    WEBHOOK_RETENTION: z.coerce.number().int().positive().default(30 * 24 * 3600),
  })
  .superRefine((settings, context) => {
    const hooked = settings.HOOK_BEFORE_USER_CREATED_URL || settings.HOOK_CUSTOM_ACCESS_TOKEN_CLAIMS_URL;
    if (hooked && !settings.HOOK_SECRET) context.addIssue({ code: 'custom', path: ['HOOK_SECRET'], message: 'is needed when a HOOK_*_URL is set, to sign its requests' });
  })
  .transform((settings) => {
    const dataDir = resolve(settings.DATA_DIR);
    // Introspection (and GraphiQL, which needs it) is on unless in production, where it must be asked for.
    const introspection = settings.GRAPHQL_INTROSPECTION ?? settings.NODE_ENV !== 'production';
    const databaseUrl = settings.DATABASE_URL ?? `file:${resolve(dataDir, 'authgraph.db')}`;
    const publicUrl = (settings.PUBLIC_URL ?? `http://localhost:${settings.PORT}`).replace(/\/$/, '');
    const limits: LimitSettings = {
      loginWindowSeconds: settings.RATE_LIMIT_LOGIN_WINDOW,
      loginFreeFailures: settings.RATE_LIMIT_LOGIN_FREE_FAILURES,
      loginFailuresPerAccountPerHour: settings.RATE_LIMIT_LOGIN_ACCOUNT_PER_HOUR,
      loginFailuresPerIpPerHour: settings.RATE_LIMIT_LOGIN_IP_PER_HOUR,
      registrationsPerIpPerHour: settings.RATE_LIMIT_REGISTER_PER_IP_PER_HOUR,
      refreshesPerSessionPerMinute: settings.RATE_LIMIT_REFRESH_PER_SESSION_PER_MINUTE,
      apiKeyRequestsPerMinute: { FREE: settings.API_KEY_RPM_FREE, PRO: settings.API_KEY_RPM_PRO },
    };
    return {
      env: settings.NODE_ENV,
      port: settings.PORT,
      host: settings.HOST,
      dataDir,
      databaseUrl,
      databaseProvider: databaseUrl.startsWith('file:') ? ('sqlite' as const) : ('postgresql' as const),
      /** How long a start waits on PostgreSQL (migrate.ts); a migration lock timeout of 0 waits for ever. */
      database: {
        connectTimeoutMs: settings.DATABASE_CONNECT_TIMEOUT * 1000,
        connectRetryMs: settings.DATABASE_CONNECT_RETRY * 1000,
        migrationLockTimeoutMs: settings.DATABASE_MIGRATION_LOCK_TIMEOUT * 1000,
      },
      /** Without a trailing slash; defaults to http://localhost:<PORT>. */
      publicUrl,
      /** Browser origins that may call /graphql and REST with credentials (CORS); none by default. */
      corsOrigins: settings.CORS_ORIGINS,
      /** Load balancers whose X-Forwarded-For names the client (http/client-address.ts); none by default. */
      trustedProxies: settings.TRUSTED_PROXIES,
      jwt: {
        /** Defaults to publicUrl. */
        issuer: settings.JWT_ISSUER ?? publicUrl,
        /** Neither JWT_ISSUER nor PUBLIC_URL is set: the issuer names this instance's port (see startup-warnings.ts). */
        issuerFromPort: !settings.JWT_ISSUER && !settings.PUBLIC_URL,
        audience: settings.JWT_AUDIENCE,
        ...optional({ privateJwk: settings.JWT_PRIVATE_JWK }),
        accessTokenTtl: settings.ACCESS_TOKEN_TTL,
        /** Extra claims in access tokens (crypto/token-claims.ts), and the bytes their JSON may take; past it the last ones are left out. */
        claims: settings.ACCESS_TOKEN_CLAIMS as AccessTokenClaimName[],
        claimsMaxBytes: settings.ACCESS_TOKEN_CLAIMS_MAX_BYTES,
        keyTokenTtl: settings.API_KEY_TOKEN_TTL,
      },
      ...optional({ serverSecret: settings.SERVER_SECRET }),
      refresh: {
        ttl: settings.REFRESH_TOKEN_TTL,
        rememberTtl: settings.REFRESH_TOKEN_REMEMBER_TTL,
        reuseGrace: settings.REFRESH_REUSE_GRACE,
        sessionMaxAge: settings.SESSION_MAX_AGE,
        userAgentBinding: settings.USER_AGENT_BINDING,
      },
      /** Seconds since the session's last sign-in within which a sensitive change is allowed (accounts/reauth.ts). */
      reauthWindow: settings.REAUTH_WINDOW,
      /** Second factors (mfa/): challenge lifetime and step-up window, in seconds. */
      mfa: { challengeTtl: settings.MFA_CHALLENGE_TTL, stepUpWindow: settings.MFA_STEP_UP_WINDOW, requireForAdmins: settings.REQUIRE_MFA_FOR_ADMINS },
      /** Passkeys (passkeys/): who the browser signs for, and which pages may ask; challenges live MFA_CHALLENGE_TTL. */
      webauthn: {
        rpId: settings.WEBAUTHN_RP_ID ?? new URL(publicUrl).hostname,
        rpName: settings.MAIL_PRODUCT_NAME,
        origins: settings.WEBAUTHN_ORIGINS.length > 0 ? settings.WEBAUTHN_ORIGINS : [new URL(publicUrl).origin],
      },
      /** On when publicUrl is https. */
      secureCookies: publicUrl.startsWith('https://'),
      logLevel: settings.LOG_LEVEL as string,
      logFormat: settings.LOG_FORMAT,
      graphiql: settings.GRAPHIQL ?? introspection,
      graphql: {
        introspection,
        maxDepth: settings.GRAPHQL_MAX_DEPTH,
        maxAliases: settings.GRAPHQL_MAX_ALIASES,
        maxCost: settings.GRAPHQL_MAX_COST,
        maxTokens: settings.GRAPHQL_MAX_TOKENS,
        maxDirectives: settings.GRAPHQL_MAX_DIRECTIVES,
      },
      requestTimeoutMs: settings.REQUEST_TIMEOUT * 1000,
      /** How long a slow or idle client may hold a connection (http/listen.ts). */
      httpTimeouts: {
        headersMs: settings.HTTP_HEADERS_TIMEOUT * 1000,
        receiveMs: settings.HTTP_RECEIVE_TIMEOUT * 1000,
        keepAliveMs: settings.HTTP_KEEP_ALIVE_TIMEOUT * 1000,
      },
      ...optional({ redisUrl: settings.REDIS_URL }),
      redisKeyPrefix: settings.REDIS_KEY_PREFIX,
      limits,
      /** Without smtpUrl, mail is written as .eml files to DATA_DIR/outbox. */
      mail: {
        ...optional({ smtpUrl: settings.SMTP_URL }),
        from: settings.MAIL_FROM ?? `${settings.MAIL_PRODUCT_NAME} <no-reply@${new URL(publicUrl).hostname}>`,
        productName: settings.MAIL_PRODUCT_NAME,
        /** The mails' language when the request's Accept-Language names none with strings (mail/mail-templates.ts). */
        locale: settings.MAIL_LOCALE,
        ...optional({ logoUrl: settings.MAIL_LOGO_URL, templatesDir: settings.TEMPLATES_DIR && resolve(settings.TEMPLATES_DIR) }),
      },
      /** E-mail challenges: lifetime and the minimum gap between two mails to one address, in seconds; per address and day, the wrong codes and mails allowed. */
      challenges: {
        ttl: settings.CHALLENGE_TTL,
        resendInterval: settings.RESEND_INTERVAL,
        failuresPerDay: settings.CHALLENGE_FAILURES_PER_DAY,
        mailsPerDay: settings.CHALLENGE_MAILS_PER_DAY,
      },
      requireVerifiedEmail: settings.REQUIRE_VERIFIED_EMAIL,
      /** Besides this server, where pages opened from mails may send the browser on: each origin with the path prefix it allows ('/' for all). */
      redirectAllowlist: settings.REDIRECT_ALLOWLIST.map((entry) => ({ origin: new URL(entry).origin, pathPrefix: new URL(entry).pathname })),
      /** Passwordless sign-in (passwordless/): a code to an unknown address creates the account when true. */
      passwordlessSignup: settings.PASSWORDLESS_SIGNUP,
      /** Seconds (0: at once); see accounts/deletion.ts. */
      accountDeletionGrace: settings.ACCOUNT_DELETION_GRACE,
      /** Seconds (0: for ever); the maintenance job prunes older entries. */
      auditRetention: settings.AUDIT_RETENTION,
      /** `prefix` starts users' and service accounts' keys, `<prefix>_<live|test>_<random>` (RESTume's are always `rst_<random>`); verified keys are cached in process for cacheTtl seconds (0: off). */
      apiKeys: {
        prefix: settings.API_KEY_PREFIX,
        maxPerUser: settings.MAX_API_KEYS_PER_USER,
        cacheTtl: settings.API_KEY_CACHE_TTL,
        permissions: settings.API_KEY_PERMISSIONS,
      },
      /** Sign in with Google or another OpenID Connect issuer; off without a client id. */
      oidc: { issuer: settings.OIDC_ISSUER, ...optional({ clientId: settings.OIDC_CLIENT_ID }), jwksCooldownSeconds: settings.OIDC_JWKS_COOLDOWN },
      /** Synchronous hooks (hooks/), each off unless its URL is set; the secret signs their requests. */
      hooks: {
        secret: settings.HOOK_SECRET ?? '',
        ...optional({
          before_user_created: hookSettings(settings.HOOK_BEFORE_USER_CREATED_URL, settings.HOOK_BEFORE_USER_CREATED_TIMEOUT_MS, settings.HOOK_BEFORE_USER_CREATED_ON_FAILURE),
          custom_access_token_claims: hookSettings(
            settings.HOOK_CUSTOM_ACCESS_TOKEN_CLAIMS_URL,
            settings.HOOK_CUSTOM_ACCESS_TOKEN_CLAIMS_TIMEOUT_MS,
            settings.HOOK_CUSTOM_ACCESS_TOKEN_CLAIMS_ON_FAILURE,
          ),
        }),
      },
      /** Outgoing webhooks (webhooks/): the receiver's time to answer, the dispatcher's polling, and the SSRF guard's exception. */
      webhooks: {
        allowPrivate: settings.WEBHOOK_ALLOW_PRIVATE,
        timeoutMs: settings.WEBHOOK_TIMEOUT_MS,
        pollIntervalSeconds: settings.WEBHOOK_POLL_INTERVAL,
        retentionSeconds: settings.WEBHOOK_RETENTION,
      },
      /** Seconds a graceful shutdown waits for in-flight requests before cutting them. */
      shutdownTimeout: settings.SHUTDOWN_TIMEOUT,
      ...optional({
        /** When set, /metrics wants it as a bearer token. */
        metricsToken: settings.METRICS_TOKEN,
        /** OTLP/HTTP collector for traces; tracing is off without it. */
        otlpEndpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT,
      }),
    };
  });

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {}

/** Reads every setting from the environment once; throws naming each bad variable. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(
    Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}
