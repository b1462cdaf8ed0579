import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import argon2 from 'argon2';
import { parseDatabaseUrl } from '../../src/db.js';
import type { MailMessage, MailTransport } from '../../src/mail/transport.js';
import type { TestApp } from './app.js';

/** A mail transport that keeps every message in memory, for reading codes and links. */
export function capturingTransport() {
  const sent: MailMessage[] = [];
  const transport: MailTransport = {
    async deliver(message) {
      sent.push(message);
      return { messageId: `<${sent.length}@test>` };
    },
    close: () => undefined,
  };
  return {
    transport,
    sent,
    mailsTo: (address: string) => sent.filter((mail) => mail.to === address),
  };
}

/** The code and the link's uid of a captured challenge mail. */
export function challengeIn(mail: MailMessage | undefined) {
  const code = /Your code: (\d{6})/.exec(mail?.text ?? '')?.[1];
  const uid = /\/challenge\/([\w-]+)/.exec(mail?.text ?? '')?.[1];
  if (!code || !uid) throw new Error('no challenge in that mail');
  return { code, uid };
}

/** Every table the migrations create, read from the SQL files of the app's provider. */
export function migratedTables(app: TestApp): string[] {
  const provider = parseDatabaseUrl(app.config.databaseUrl).provider;
  const directory = join(import.meta.dirname, '../../prisma/migrations', provider);
  const tables = new Set<string>();
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.sql'))) {
    // In order, as SQLite redefines a table: CREATE "new_X", DROP "X", RENAME "new_X" TO "X".
    const statements = /CREATE TABLE (?:IF NOT EXISTS )?"(\w+)"|DROP TABLE "(\w+)"|ALTER TABLE "(\w+)" RENAME TO "(\w+)"/g;
    for (const [, created, dropped, renamedFrom, renamedTo] of readFileSync(join(directory, file), 'utf8').matchAll(statements)) {
      if (created) tables.add(created);
      if (dropped) tables.delete(dropped);
      if (renamedFrom && renamedTo) {
        tables.delete(renamedFrom);
        tables.add(renamedTo);
      }
    }
  }
  return [...tables];
}

/** A table's name for raw SQL: PostgreSQL test apps live in a schema of their own, off the search path. */
function tableName(app: TestApp, table: string): string {
  const target = parseDatabaseUrl(app.config.databaseUrl);
  return target.provider === 'postgresql' && target.schema ? `"${target.schema}"."${table}"` : `"${table}"`;
}

/** Every row of every migrated table, as one JSON string. */
export async function dumpDatabase(app: TestApp): Promise<{ tables: string[]; text: string }> {
  const tables = migratedTables(app);
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) rows[table] = await app.runtime.db.$queryRawUnsafe(`SELECT * FROM ${tableName(app, table)}`);
  const text = JSON.stringify(rows, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
  return { tables, text };
}

export const stateTables = ['User', 'Session', 'RefreshToken', 'ApiKey', 'Challenge', 'ServiceAccount'] as const;

/** Row counts of the tables a request could add to, in one query; waits for background work first. */
export async function rowCounts(app: TestApp): Promise<Record<string, number>> {
  await app.runtime.background.idle();
  const select = stateTables.map((table) => `(SELECT COUNT(*) FROM ${tableName(app, table)}) AS "${table}"`).join(', ');
  const [row] = await app.runtime.db.$queryRawUnsafe<Record<string, bigint | number>[]>(`SELECT ${select}`);
  return Object.fromEntries(stateTables.map((table) => [table, Number(row![table])]));
}

/**
 * Counts argon2 hash and verify calls while `run` goes. The app imports the same
 * CommonJS module object, so wrapping its methods sees every call.
 */
export async function argon2CallsDuring(run: () => Promise<unknown>): Promise<{ hash: number; verify: number }> {
  const calls = { hash: 0, verify: 0 };
  const { hash, verify } = argon2;
  argon2.hash = ((...args: Parameters<typeof hash>) => ((calls.hash += 1), hash(...args))) as typeof hash;
  argon2.verify = ((...args: Parameters<typeof verify>) => ((calls.verify += 1), verify(...args))) as typeof verify;
  try {
    await run();
  } finally {
    argon2.hash = hash;
    argon2.verify = verify;
  }
  return calls;
}

export class InjectedFault extends Error {
  constructor() {
    super('injected: connection to 10.0.0.1:5432 lost during INSERT INTO "Session"');
    this.name = 'InjectedFault';
  }
}

type Model = 'user' | 'session' | 'refreshToken' | 'apiKey' | 'challenge' | 'tokenEvent';

/**
 * Makes one Prisma operation fail, inside transactions too, while `run` goes:
 * the app's client is swapped for an extension that throws on that operation.
 */
export async function withDatabaseFault<T>(app: TestApp, model: Model, operation: string, run: () => Promise<T>): Promise<T> {
  const original = app.runtime.db;
  const faulty = original.$extends({
    query: {
      $allModels: {
        $allOperations({ model: name, operation: called, args, query }) {
          const hit = name.charAt(0).toLowerCase() + name.slice(1) === model && called === operation;
          return hit ? Promise.reject(new InjectedFault()) : query(args);
        },
      },
    },
  });
  app.runtime.db = faulty as unknown as typeof original;
  try {
    return await run();
  } finally {
    app.runtime.db = original;
  }
}
