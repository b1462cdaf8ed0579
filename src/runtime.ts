import type { Logger } from 'pino';
import { VerifiedKeyCache } from './apikeys/cache.js';
import { BackgroundTasks } from './background.js';
import type { Config } from './config.js';
import type { AccessTokenSettings } from './crypto/access-token.js';
import { loadServerSecret } from './crypto/server-secret.js';
import { loadSigningKeys, type SigningKeys } from './crypto/signing-keys.js';
import { openDatabase, parseDatabaseUrl, tableName, type Database } from './db.js';
import { createLogger } from './logger.js';
import { Mailer } from './mail/mailer.js';
import { createMailTransport, type MailTransport } from './mail/transport.js';
import { createLimits, type Limits } from './limits/limits.js';
import { migrate } from './migrate.js';
import { connectRedis } from './redis.js';
import type { Redis } from 'ioredis';
import { createOidcProvider, type OidcProvider } from './oidc/provider.js';
import { RevokedSessions } from './sessions/revoked-sessions.js';
import { Revocations } from './sessions/revocations.js';
import { TtlCache } from './ttl-cache.js';
import type { AccessTokenClaims } from './crypto/access-token.js';
import type { SessionView } from './accounts/whoami.js';
import type { User } from './generated/sqlite/client.js';
import { loadRecentRevocations } from './sessions/revoke.js';
import { prismaEventStore, sqliteEventStore } from './token-events/event-store.js';
import { TokenEventWriter } from './token-events/writer.js';

export type Clock = () => Date;

/** Everything the service layer needs, built once at start-up (tests build their own). */
export type Runtime = {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  signingKeys: SigningKeys;
  accessTokens: AccessTokenSettings;
  serverSecret: string;
  revokedSessions: RevokedSessions;
  /** Work that requests start and do not wait for; `idle()` awaits it. */
  background: BackgroundTasks;
  mailer: Mailer;
  /** Null when OIDC_CLIENT_ID is not set. */
  oidc: OidcProvider | null;
  apiKeyCache: VerifiedKeyCache;
  /** The activity log and keys' lastUsedAt, written in batches. */
  tokenEvents: TokenEventWriter;
  /** Writes what is batched (the activity log); tests call it before reading the log. */
  flush(): Promise<void>;
  /**
   * Access tokens already verified, until they expire: a client's next requests
   * skip the signature check (revocation is still checked on every request).
   */
  verifiedAccessTokens: TtlCache<string, AccessTokenClaims>;
  /** What whoami reads for a session, for a few seconds (a revoked session is refused before it is read). */
  sessionViews: TtlCache<string, SessionView>;
  /** What whoami reads for a key's owner, for a few seconds (a disabled owner's keys are evicted, so refused, first). */
  userViews: TtlCache<string, User>;
  /** Applies revocations here and, with Redis, on every other instance. */
  revocations: Revocations;
  /** Abuse limits; shared through Redis when REDIS_URL is set. */
  limits: Limits;
  /** Set when REDIS_URL is. */
  redis?: Redis;
  /** For a graceful shutdown: finishes background work, writes what is batched, closes the database. */
  close(): Promise<void>;
};

/** Opens the database (migrating it first), loads keys and secrets, and warms the revocation cache. */
export async function createRuntime(
  config: Config,
  overrides: { clock?: Clock; logger?: Logger; mailTransport?: MailTransport } = {},
): Promise<Runtime> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const background = new BackgroundTasks(logger);
  const target = parseDatabaseUrl(config.databaseUrl);
  const applied = await migrate(target);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const clock = overrides.clock ?? (() => new Date());
  const redis = config.redisUrl ? await connectRedis(config.redisUrl) : undefined;
  const [db, signingKeys] = await Promise.all([
    openDatabase(target),
    loadSigningKeys(config.dataDir, config.jwt.privateJwk),
  ]);
  const eventTables = { events: tableName(target, 'TokenEvent'), apiKeys: tableName(target, 'ApiKey') };
  const eventStore = target.provider === 'sqlite' ? await sqliteEventStore(target.file, eventTables) : prismaEventStore(db, eventTables);
  const revokedSessions = new RevokedSessions(() => clock().getTime());
  const apiKeyCache = new VerifiedKeyCache(config.apiKeys.cacheTtl * 1000);
  const shared = redis && { client: redis, keyPrefix: config.redisKeyPrefix };
  const revocations = await Revocations.start({ revokedSessions, apiKeyCache, logger }, shared);
  const runtime: Runtime = {
    config,
    db,
    clock,
    logger,
    signingKeys,
    accessTokens: { issuer: config.jwt.issuer, audience: config.jwt.audience, ttlSeconds: config.jwt.accessTokenTtl },
    serverSecret: loadServerSecret(config.dataDir, config.serverSecret),
    revokedSessions,
    verifiedAccessTokens: new TtlCache(),
    sessionViews: new TtlCache(),
    userViews: new TtlCache(),
    revocations,
    background,
    mailer: new Mailer(overrides.mailTransport ?? createMailTransport(config), { from: config.mail.from, logger, background }),
    oidc: createOidcProvider(config.oidc, { logger }),
    apiKeyCache,
    tokenEvents: new TokenEventWriter(eventStore, clock, logger),
    limits: createLimits(config.limits, shared),
    redis,
    flush: () => runtime.tokenEvents.flush(),
    close: async () => {
      await background.idle();
      await runtime.tokenEvents.close();
      await db.$disconnect();
      await revocations.close();
      await redis?.quit();
    },
  };
  await loadRecentRevocations(runtime);
  return runtime;
}
