import { PrismaPg } from '@prisma/adapter-pg';
import type { Database, DatabaseTarget } from '../db.js';
import { AppError } from '../errors.js';

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>;
type Queryable = Pick<Adapter, 'queryRaw' | 'executeRaw'>;
type Query = Parameters<Adapter['queryRaw']>[0];

/** The adapter's names for a lost or refused connection. */
const lostConnectionKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TlsConnectionError']);
/** PostgreSQL's: class 08 (connection exception), 57P01-57P03 (shut down, crashed, still starting). */
const lostConnectionCodes = /^(08|57P0[123])/;
/** pg's own, which the adapter passes on as they are. */
const lostConnectionMessages = /^(Connection terminated|timeout expired|Query read timeout|Client has encountered a connection error)/;

export function isConnectionLost(error: unknown): boolean {
  const { cause, message } = error as { cause?: { kind?: string; code?: string; originalCode?: string }; message?: unknown };
  if (cause?.kind) return lostConnectionKinds.has(cause.kind) || lostConnectionCodes.test(cause.originalCode ?? cause.code ?? '');
  return typeof message === 'string' && lostConnectionMessages.test(message);
}

/** A read outside a transaction has no effect to repeat: retried once, it runs on another connection of the pool. */
const isRead = (query: Query) => /^\s*SELECT\b/i.test(query.sql);

async function attempt<T>(run: () => Promise<T>, retry: boolean): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isConnectionLost(error)) throw error;
    if (retry) return attempt(run, false);
    throw new AppError('UPSTREAM_UNAVAILABLE');
  }
}

function survivingLostConnections<T extends Queryable>(queryable: T, retryReads: boolean): T {
  const { queryRaw, executeRaw } = queryable;
  queryable.queryRaw = (query) => attempt(() => queryRaw.call(queryable, query), retryReads && isRead(query));
  queryable.executeRaw = (query) => attempt(() => executeRaw.call(queryable, query), retryReads && isRead(query));
  return queryable;
}

type Transaction = Awaited<ReturnType<Adapter['startTransaction']>>;

/**
 * Prisma ends a transaction by sending COMMIT or ROLLBACK and only then handing the
 * connection back; when that statement fails (the connection was lost meanwhile) it never
 * hands it back, and the pool, and a shutdown with it, waits for it for ever. So the
 * connection goes back here (pg drops a broken one), once. A ROLLBACK on a lost
 * connection has nothing left to undo (PostgreSQL ended the transaction with it); a
 * failed COMMIT still fails.
 */
function releasedWhenEndingFails(transaction: Transaction): Transaction {
  const { executeRaw, commit, rollback } = transaction;
  let released = false;
  const once = (end: () => Promise<void>) => async () => {
    if (released) return;
    released = true;
    await end.call(transaction);
  };
  transaction.commit = once(commit);
  transaction.rollback = once(rollback);
  transaction.executeRaw = async (query) => {
    try {
      return await executeRaw.call(transaction, query);
    } catch (error) {
      const ending = /^\s*(COMMIT|ROLLBACK)\b/i.exec(query.sql)?.[1]?.toUpperCase();
      if (!ending) throw error;
      await transaction.rollback();
      if (ending === 'ROLLBACK') return 0;
      throw error;
    }
  };
  return transaction;
}

/**
 * PrismaPg that gets over a database outage at once: pg's pool drops a connection
 * that fails (the adapter listens for idle ones' errors, so none ends the process),
 * keep-alive finds the silently dead ones, a read that meets a dead connection is
 * retried once on another, a transaction that cannot begin tries one more
 * connection, one whose end fails still frees its connection, and what still fails answers UPSTREAM_UNAVAILABLE, naming nothing internal.
 */
export class PostgresAdapterFactory extends PrismaPg {
  constructor(target: Extract<DatabaseTarget, { provider: 'postgresql' }>, poolSize: number) {
    super(
      // A connection (or a free one of the pool) within 5 s, else the request fails rather than waits out REQUEST_TIMEOUT.
      { connectionString: target.connectionString, max: poolSize, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 10_000, keepAlive: true },
      target.schema ? { schema: target.schema } : undefined,
    );
  }

  override async connect(): Promise<Adapter> {
    const adapter = await super.connect();
    const { startTransaction } = adapter;
    adapter.startTransaction = async (isolationLevel) =>
      releasedWhenEndingFails(survivingLostConnections(await attempt(() => startTransaction.call(adapter, isolationLevel), true), false));
    return survivingLostConnections(adapter, true);
  }
}

/**
 * Outside a transaction Prisma wraps what the adapter throws in its own error,
 * keeping only the code: the refusal is made an AppError again, for the doors to answer.
 */
export function answeringUnavailable(db: Database): Database {
  return db.$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (error) {
          if (!(error instanceof AppError) && (error as { code?: unknown }).code === 'UPSTREAM_UNAVAILABLE') throw new AppError('UPSTREAM_UNAVAILABLE');
          throw error;
        }
      },
    },
  }) as unknown as Database;
}
