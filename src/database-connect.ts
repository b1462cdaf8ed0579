import type pg from 'pg';
import { StartupError } from './startup-error.js';

/** How long a start waits for PostgreSQL: per attempt, and in all when retrying (0: one attempt). */
export type ConnectSettings = { connectTimeoutMs: number; connectRetryMs: number };

/** The start's waits on PostgreSQL, in seconds: config.ts's defaults, and migrate()'s when called without a config. */
export const postgresWaitDefaults = { DATABASE_CONNECT_TIMEOUT: 10, DATABASE_CONNECT_RETRY: 0, DATABASE_MIGRATION_LOCK_TIMEOUT: 60 };

const firstBackoffMs = 250;
const maxBackoffMs = 5_000;

/**
 * The start's first connection to PostgreSQL: connected and answering a query
 * (behind PgBouncer a login succeeds while the server behind it is down), or a
 * StartupError naming DATABASE_URL's host and port, never its password.
 */
export async function connectPostgres(connectionString: string, settings: ConnectSettings): Promise<pg.Client> {
  const { default: pg } = await import('pg');
  const retryUntil = Date.now() + settings.connectRetryMs;
  for (let backoffMs = firstBackoffMs; ; backoffMs = Math.min(2 * backoffMs, maxBackoffMs)) {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: settings.connectTimeoutMs });
    // A connection lost while idle must not end the process; the query that next uses it fails instead.
    client.on('error', () => undefined);
    try {
      await client.connect();
      // pg reads a per-query query_timeout, which its types leave out.
      const probe = { text: 'SELECT 1', query_timeout: settings.connectTimeoutMs };
      await client.query(probe);
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (!isTransient(error) || Date.now() + backoffMs > retryUntil) {
        throw new StartupError(`Cannot reach PostgreSQL at ${address(connectionString)} (DATABASE_URL): ${reasonOf(error, settings)}.`);
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs));
    }
  }
}

function address(connectionString: string): string {
  const { hostname, port } = new URL(connectionString);
  return `${hostname}:${port || 5432}`;
}

/** PostgreSQL refusing the login (class 28) or naming no such database (3D000) will not change by waiting. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return !(typeof code === 'string' && (code.startsWith('28') || code === '3D000'));
}

function reasonOf(error: unknown, settings: ConnectSettings): string {
  const { code, message = '' } = error as { code?: string; message?: string };
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host';
  if (/timeout/i.test(message)) return `no answer within ${settings.connectTimeoutMs / 1000} s (DATABASE_CONNECT_TIMEOUT)`;
  // PostgreSQL's own messages name the user or database, never the password.
  return message.split('\n')[0]?.replace(/\.$/, '') || code || 'unknown error';
}
