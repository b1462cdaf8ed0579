import type { Logger } from 'pino';
import type { WhoamiViews } from './accounts/whoami-views.js';
import type { VerifiedKeyCache } from './apikeys/cache.js';
import type { BackgroundTasks } from './background.js';
import type { Config } from './config.js';
import type { AccessTokenClaims, AccessTokenSettings } from './crypto/access-token.js';
import type { SigningKeys } from './crypto/signing-keys.js';
import type { Database } from './db.js';
import type { Limits } from './limits/limits.js';
import type { Mailer } from './mail/mailer.js';
import type { MailTemplates } from './mail/mail-templates.js';
import type { OidcProvider } from './oidc/provider.js';
import type { SharedRedis } from './redis.js';
import type { RevokedSessions } from './sessions/revoked-sessions.js';
import type { Revocations } from './sessions/revocations.js';
import type { TokenEventWriter } from './token-events/writer.js';
import type { TtlCache } from './ttl-cache.js';
import type { WebhookDispatcher } from './webhooks/dispatcher.js';

export type Clock = () => Date;

/**
 * Everything the service layer needs: built once at start-up by createRuntime
 * (create-runtime.ts), or by a test with its own clock, logger and mail transport.
 * This module declares it only, so every capability can take it without importing
 * the code that builds it.
 */
export type Runtime = {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  signingKeys: SigningKeys;
  accessTokens: AccessTokenSettings;
  serverSecret: string;
  /** Work that requests start and do not wait for; `idle()` awaits it. */
  background: BackgroundTasks;
  mailer: Mailer;
  mailTemplates: MailTemplates;
  /** Null when OIDC_CLIENT_ID is not set. */
  oidc: OidcProvider | null;
  /** REDIS_URL's connection, whose `available` /readyz reports. */
  redis: SharedRedis | undefined;
  /** Abuse limits; shared through Redis when REDIS_URL is set. */
  limits: Limits;
  /** The activity log and keys' lastUsedAt, written in batches (`flush()` writes what is pending). */
  tokenEvents: TokenEventWriter;
  /** Fans the webhook outbox out into deliveries and posts them; `nudge()` after a commit that wrote events. */
  webhooks: WebhookDispatcher;
  /** Applies revocations here and, with Redis, on every other instance. */
  revocations: Revocations;
  /** Sessions whose access tokens are refused although unexpired (filled by `revocations`). */
  revokedSessions: RevokedSessions;
  /**
   * Access tokens already verified, until they expire: a client's next requests
   * skip the signature check (revocation is still checked on every request).
   */
  verifiedAccessTokens: TtlCache<string, AccessTokenClaims>;
  /** Verified API keys by secret hash (emptied of a key by `revocations`). */
  apiKeyCache: VerifiedKeyCache;
  /** What whoami shows of a session or a key's owner, for a few seconds. */
  whoamiViews: WhoamiViews;
  /** For a graceful shutdown: finishes background work and mail, writes what is batched, closes connections. */
  close(): Promise<void>;
};
