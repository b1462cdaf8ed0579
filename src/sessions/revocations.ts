import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { VerifiedKeyCache } from '../apikeys/cache.js';
import type { RevokedSessions } from './revoked-sessions.js';

type Message = { kind: 'session'; id: string; untilMs: number } | { kind: 'key'; id: string };

/**
 * Revocations must reach every instance: each instance keeps revoked sessions
 * and verified keys in memory, so a logout, a key revocation or a detected
 * reuse is applied here and, with REDIS_URL, published to the others, which
 * apply it as it arrives (well within a second on a healthy Redis).
 */
export class Revocations {
  private constructor(
    private readonly revokedSessions: RevokedSessions,
    private readonly apiKeyCache: VerifiedKeyCache,
    private readonly channel: { name: string; publisher: Redis; subscriber: Redis } | undefined,
  ) {}

  static async start(
    local: { revokedSessions: RevokedSessions; apiKeyCache: VerifiedKeyCache; logger: Logger },
    redis?: { client: Redis; keyPrefix: string },
  ): Promise<Revocations> {
    if (!redis) return new Revocations(local.revokedSessions, local.apiKeyCache, undefined);
    const name = `${redis.keyPrefix}:revocations`;
    const subscriber = redis.client.duplicate();
    await subscriber.connect();
    await subscriber.subscribe(name);
    const revocations = new Revocations(local.revokedSessions, local.apiKeyCache, { name, publisher: redis.client, subscriber });
    subscriber.on('message', (_channel, payload: string) => {
      try {
        revocations.apply(JSON.parse(payload) as Message);
      } catch {
        local.logger.warn({ event: 'revocation-message-refused' }, 'unreadable revocation message');
      }
    });
    return revocations;
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
    await this.channel?.subscriber.quit();
  }

  private applyAndPublish(message: Message): void {
    this.apply(message);
    void this.channel?.publisher.publish(this.channel.name, JSON.stringify(message)).catch(() => undefined);
  }

  private apply(message: Message): void {
    if (message.kind === 'session') this.revokedSessions.add(message.id, message.untilMs);
    else this.apiKeyCache.evictKey(message.id);
  }
}
