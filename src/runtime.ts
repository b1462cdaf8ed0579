import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { AccessTokenSettings } from './crypto/access-token.js';
import { loadServerSecret } from './crypto/server-secret.js';
import { loadSigningKeys, type SigningKeys } from './crypto/signing-keys.js';
import { openDatabase, parseDatabaseUrl, type Database } from './db.js';
import { createLogger } from './logger.js';
import { migrate } from './migrate.js';
import { RevokedSessions } from './sessions/revoked-sessions.js';
import { loadRecentRevocations } from './sessions/revoke.js';

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
};

/** Opens the database (migrating it first), loads keys and secrets, and warms the revocation cache. */
export async function createRuntime(
  config: Config,
  overrides: { clock?: Clock; logger?: Logger } = {},
): Promise<Runtime> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const target = parseDatabaseUrl(config.databaseUrl);
  const applied = await migrate(target);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const [db, signingKeys] = await Promise.all([
    openDatabase(target),
    loadSigningKeys(config.dataDir, config.jwt.privateJwk),
  ]);
  const runtime: Runtime = {
    config,
    db,
    clock: overrides.clock ?? (() => new Date()),
    logger,
    signingKeys,
    accessTokens: { issuer: config.jwt.issuer, audience: config.jwt.audience, ttlSeconds: config.jwt.accessTokenTtl },
    serverSecret: loadServerSecret(config.dataDir, config.serverSecret),
    revokedSessions: new RevokedSessions(),
  };
  await loadRecentRevocations(runtime);
  return runtime;
}
