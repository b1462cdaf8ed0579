import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { AppError, refusals } from '../errors.js';

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3['connect']>>;
type Transaction = Awaited<ReturnType<Adapter['startTransaction']>>;
type Queryable = Pick<Adapter, 'queryRaw' | 'executeRaw'>;

const rollback = { sql: 'ROLLBACK', args: [], argTypes: [] };

/** SQLITE_FULL: the disk (or its quota) is full. Told to the client at once, as a refusal it can retry later. */
const isStorageFull = (error: unknown) => (error as { code?: unknown }).code === 'SQLITE_FULL';

function refuseWhenFull<T extends Queryable>(queryable: T): T {
  const { queryRaw, executeRaw } = queryable;
  const translated = (error: unknown) => (isStorageFull(error) ? new AppError(refusals.storageFull) : error);
  queryable.queryRaw = (query) => queryRaw.call(queryable, query).catch((error: unknown) => Promise.reject(translated(error)));
  queryable.executeRaw = (query) => executeRaw.call(queryable, query).catch((error: unknown) => Promise.reject(translated(error)));
  return queryable;
}

/**
 * Prisma's adapter serialises transactions with a lock that only the transaction's
 * commit() or rollback() releases, and Prisma calls them only once its COMMIT (or
 * ROLLBACK) statement has succeeded. A COMMIT that fails, on a full disk, would keep
 * the lock until a restart, and every later write would wait for it. Here a failed
 * COMMIT or ROLLBACK rolls back what SQLite has not and releases the lock.
 */
function releasedWhenEndFails(transaction: Transaction): Transaction {
  const { executeRaw } = transaction;
  transaction.executeRaw = async (query) => {
    try {
      return await executeRaw.call(transaction, query);
    } catch (error) {
      if (query.sql === 'COMMIT' || query.sql === 'ROLLBACK') {
        // SQLite may have rolled back by itself (it does on some SQLITE_FULL): "no transaction is active".
        await executeRaw.call(transaction, rollback).catch(() => undefined);
        await transaction.rollback();
      }
      throw error;
    }
  };
  return refuseWhenFull(transaction);
}

/** PrismaBetterSQLite3 that survives a full disk: writes fail at once while it lasts, and succeed again once space is freed. */
export class SQLiteAdapterFactory extends PrismaBetterSQLite3 {
  override async connect(): Promise<Adapter> {
    const adapter = await super.connect();
    const { startTransaction } = adapter;
    adapter.startTransaction = async (isolationLevel) => releasedWhenEndFails(await startTransaction.call(adapter, isolationLevel));
    return refuseWhenFull(adapter);
  }
}
