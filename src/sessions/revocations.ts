import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { VerifiedKeyCache } from '../apikeys/cache.js';
import type { SharedRedis } from '../redis.js';
import type { RevokedSessions } from './revoked-sessions.js';

type Message = { kind: 'session'; id: string; untilMs: number } | { kind: 'key'; id: string };

/** Messages kept while Redis is away, sent when it returns; beyond this many the oldest go (other instances reload anyway). */
const maxUnsent = 10_000;
const reloadRetryMs = 2_000;

/**
 * Revocations must reach every instance: each instance keeps revoked sessions
 * and verified keys in memory, so a logout, a key revocation or a detected
 * reuse is applied here and, with REDIS_URL, published to the others, which
 * apply it as it arrives (well within a second on a healthy Redis).
 *
 * The database row is the revocation; the message only makes it fast. A message
 * that could not be sent is sent again when Redis returns. An instance whose
 * subscription is cut checks sessions against their rows and caches no key
 * meanwhile, and reloads every revocation it may have missed (`reload`: sessions
 * revoked within an access token's lifetime) as soon as it is back: a logout
 * made during an outage is honoured everywhere, at once where the database is
 * read, and from memory again within seconds of Redis's return.
 */
export class Revocations {
  private readonly unsent: Message[] = [];
  /**
   * False while the subscription is cut: other instances' revocations may be
   * missed, so sessions are checked against their rows (sessions/revoke.ts
   * sessionStillLive) and keys are not cached until the reload has run.
   */
  hearing = true;

  private constructor(
    private readonly revokedSessions: RevokedSessions,
    private readonly apiKeyCache: VerifiedKeyCache,
    private readonly channel: { name: string; publisher: Redis; subscriber: Redis } | undefined,
  ) {}

  static async start(
    local: { revokedSessions: RevokedSessions; apiKeyCache: VerifiedKeyCache; logger: Logger; reload: () => Promise<void> },
    redis?: SharedRedis,
  ): Promise<Revocations> {
    if (!redis) return new Revocations(local.revokedSessions, local.apiKeyCache, undefined);
    const name = `${redis.keyPrefix}:revocations`;
    const subscriber = await redis.duplicate();
    await subscriber.subscribe(name);
    const revocations = new Revocations(local.revokedSessions, local.apiKeyCache, { name, publisher: redis.client, subscriber });
    subscriber.on('message', (_channel, payload: string) => {
      try {
        revocations.apply(JSON.parse(payload) as Message);
      } catch {
        local.logger.warn({ event: 'revocation-message-refused' }, 'unreadable revocation message');
      }
    });
    subscriber.on('close', () => {
      revocations.hearing = false;
      local.apiKeyCache.suspend();
    });
    subscriber.on('ready', () => {
      if (!revocations.hearing) revocations.catchUp(local);
    });
    redis.client.on('ready', () => revocations.sendUnsent());
    return revocations;
  }

  /** Reloads what may have been missed (retrying while the database is away too), then trusts messages again. */
  private catchUp(local: { apiKeyCache: VerifiedKeyCache; logger: Logger; reload: () => Promise<void> }): void {
    local.reload().then(
      () => {
        this.hearing = true;
        local.apiKeyCache.resume();
      },
      (error: unknown) => {
        local.logger.error({ event: 'revocation-reload-failed', err: { type: (error as Error).name } }, 'could not reload revocations; retrying');
        setTimeout(() => this.catchUp(local), reloadRetryMs).unref();
      },
    );
  }

  /** Access tokens of this session are refused until `untilMs`, when the last of them expires anyway. */
  sessionRevoked(sessionId: string, untilMs: number): void {
    this.applyAndPublish({ kind: 'session', id: sessionId, untilMs });
  }

  /** The key was revoked or rolled: every instance verifies it again on its next use. */
  keyChanged(keyId: string): void {
    this.applyAndPublish({ kind: 'key', id: keyId });
  }

  async close(): Promise<void> {
    await this.channel?.subscriber.quit().catch(() => this.channel?.subscriber.disconnect());
  }

  private applyAndPublish(message: Message): void {
    this.apply(message);
    this.publish(message);
  }

  private publish(message: Message): void {
    if (!this.channel) return;
    this.channel.publisher.publish(this.channel.name, JSON.stringify(message)).catch(() => {
      this.unsent.push(message);
      if (this.unsent.length > maxUnsent) this.unsent.shift();
    });
  }

  private sendUnsent(): void {
    for (const message of this.unsent.splice(0)) this.publish(message);
  }

  private apply(message: Message): void {
    if (message.kind === 'session') this.revokedSessions.add(message.id, message.untilMs);
    else this.apiKeyCache.evictKey(message.id);
  }
}
