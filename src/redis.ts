import { Redis } from 'ioredis';

/** Connects before the server starts listening, so a wrong REDIS_URL fails at start-up, not on the first login. */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  await redis.connect();
  return redis;
}
