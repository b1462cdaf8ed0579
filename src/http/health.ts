import type { Context } from 'hono';
import { isStorageFull } from '../database/storage.js';
import { parseDatabaseUrl, tableName } from '../db.js';
import { migrationsTable, readMigrations } from '../migrate.js';
import type { Runtime } from '../runtime.js';
import type { RestEnv } from '../rest/api.js';

const checkTimeoutMs = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `/healthz`: the process answers. Nothing else is checked, so a slow database never gets a live process restarted. */
export const liveness = (c: Context) => c.json({ status: 'ok' });

/**
 * `/readyz`: the database answers within 2 s and holds every migration file
 * this build ships, and a SQLite database's disk has room to write (see
 * database/storage.ts). 503 otherwise, so a load balancer holds traffic back.
 * A shared Redis that is away makes it "degraded" but still 200: the instance
 * serves with its own limits, and pulling every instance would stop the service.
 */
export function readiness(runtime: Runtime) {
  const target = parseDatabaseUrl(runtime.config.databaseUrl);
  const expected = readMigrations(target.provider).map((migration) => migration.name);
  const query = `SELECT "name" FROM ${tableName(target, migrationsTable)}`;

  return async (c: Context<RestEnv>) => {
    let applied: Set<string>;
    try {
      const rows = await withTimeout(runtime.db.$queryRawUnsafe<{ name: string }[]>(query), checkTimeoutMs);
      applied = new Set(rows.map((row) => row.name));
    } catch (error) {
      // Type and code only: a driver's message may quote the connection string or SQL.
      const { name, code } = error as { name?: string; code?: unknown };
      c.var.runtime.logger.warn({ err: { type: name, code } }, 'readiness: database check failed');
      return c.json({ status: 'unavailable', database: 'unreachable' }, 503);
    }
    const pending = expected.filter((name) => !applied.has(name));
    if (pending.length > 0) return c.json({ status: 'unavailable', database: 'ok', pendingMigrations: pending }, 503);
    if (target.provider === 'sqlite' && (await isStorageFull(target.file))) return c.json({ status: 'unavailable', database: 'ok', storage: 'full' }, 503);
    const redis = runtime.redis && { redis: runtime.redis.available ? 'ok' : 'unavailable' };
    const status = runtime.redis?.available === false ? 'degraded' : 'ready';
    return c.json({ status, database: 'ok', ...redis, migrations: expected.length });
  };
}
