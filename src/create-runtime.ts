import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Logger } from 'pino';
import { WhoamiViews } from './accounts/whoami-views.js';
import { VerifiedKeyCache } from './apikeys/cache.js';
import { BackgroundTasks } from './background.js';
import type { Config } from './config.js';
import { loadServerSecret } from './crypto/server-secret.js';
import { loadSigningKeys } from './crypto/signing-keys.js';
import { openDatabase, parseDatabaseUrl, tableName } from './db.js';
import { createLimits } from './limits/limits.js';
import { createLogger, readableLog } from './logger.js';
import { Mailer } from './mail/mailer.js';
import { MailTemplates } from './mail/mail-templates.js';
import { createMailTransport, type MailTransport } from './mail/transport.js';
import { startMaintenance } from './maintenance/job.js';
import { migrate } from './migrate.js';
import { createOidcProvider } from './oidc/provider.js';
import { makePrivateDirectory } from './private-files.js';
import { SharedRedis } from './redis.js';
import type { Clock, Runtime } from './runtime.js';
import { Revocations } from './sessions/revocations.js';
import { loadRecentRevocations } from './sessions/revoke.js';
import { RevokedSessions } from './sessions/revoked-sessions.js';
import { warnAboutSettings } from './startup-warnings.js';
import { prismaEventStore, sqliteEventStore } from './token-events/event-store.js';
import { TokenEventWriter } from './token-events/writer.js';
import { startTracing, traceDatabase } from './tracing.js';
import { TtlCache } from './ttl-cache.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';

/** Opens the database (migrating it first), loads keys and secrets, and warms the revocation cache. */
export async function createRuntime(
  config: Config,
  overrides: { clock?: Clock; logger?: Logger; mailTransport?: MailTransport; spanExporter?: SpanExporter } = {},
): Promise<Runtime> {
  const logger = overrides.logger ?? createLogger(config.logLevel, await readableLog(config.logFormat));
  warnAboutSettings(config, logger);
  // Before anything is opened: a template that does not parse stops the start with one line.
  const mailTemplates = MailTemplates.load({ templatesDir: config.mail.templatesDir, defaultLocale: config.mail.locale });
  const background = new BackgroundTasks(logger);
  const target = parseDatabaseUrl(config.databaseUrl);
  makePrivateDirectory(config.dataDir);
  const applied = await migrate(target, config.database);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const clock = overrides.clock ?? (() => new Date());
  const redis = config.redisUrl ? await SharedRedis.connect(config.redisUrl, config.redisKeyPrefix, logger) : undefined;
  const stopTracing = await startTracing(config.otlpEndpoint, overrides.spanExporter);
  const [openedDb, signingKeys] = await Promise.all([
    openDatabase(target),
    loadSigningKeys(config.dataDir, config.jwt.privateJwk),
  ]);
  const db = stopTracing ? traceDatabase(openedDb, target.provider) : openedDb;
  const eventTables = { events: tableName(target, 'TokenEvent'), apiKeys: tableName(target, 'ApiKey') };
  const eventStore = target.provider === 'sqlite' ? await sqliteEventStore(target.file, eventTables) : prismaEventStore(db, eventTables);
  const revokedSessions = new RevokedSessions(() => clock().getTime());
  const apiKeyCache = new VerifiedKeyCache(config.apiKeys.cacheTtl * 1000);
  // Async, so that a reconnection before `runtime` exists is a rejected reload (retried), not a throw.
  const reload = async () => loadRecentRevocations(runtime);
  const revocations = await Revocations.start({ revokedSessions, apiKeyCache, logger, reload }, redis);
  const mailer = new Mailer(overrides.mailTransport ?? createMailTransport(config), { from: config.mail.from, logger, background });
  const tokenEvents = new TokenEventWriter(eventStore, clock, logger);
  const webhooks = new WebhookDispatcher({
    provider: target.provider,
    eventsTable: tableName(target, 'WebhookEvent'),
    deliveriesTable: tableName(target, 'WebhookDelivery'),
    endpointsTable: tableName(target, 'WebhookEndpoint'),
  });
  const runtime: Runtime = {
    config,
    db,
    clock,
    logger,
    signingKeys,
    accessTokens: { issuer: config.jwt.issuer, audience: config.jwt.audience, ttlSeconds: config.jwt.accessTokenTtl },
    serverSecret: loadServerSecret(config.dataDir, config.serverSecret),
    background,
    mailer,
    mailTemplates,
    oidc: createOidcProvider(config.oidc, { logger }),
    redis,
    limits: createLimits(config.limits, redis),
    tokenEvents,
    webhooks,
    revocations,
    revokedSessions,
    verifiedAccessTokens: new TtlCache(),
    apiKeyCache,
    whoamiViews: new WhoamiViews(db),
    close: async () => {
      stopMaintenance();
      webhooks.stop();
      await mailer.close();
      await background.idle();
      await tokenEvents.close();
      await db.$disconnect();
      await revocations.close();
      await redis?.quit();
      await stopTracing?.();
    },
  };
  await reload();
  const stopMaintenance = startMaintenance(runtime);
  webhooks.start(runtime, config.webhooks.pollIntervalSeconds * 1000);
  return runtime;
}
