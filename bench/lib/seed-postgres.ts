import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { parseDatabaseUrl } from '../../src/db.js';
import { migrate } from '../../src/migrate.js';
import {
  hotEventCount,
  hotKeyIndex,
  hotUserIndex,
  keyOwner,
  readerKeyIndex,
  seedEpochMs,
  seedId,
  seedKeyHash,
  seedRawKey,
  sessionOwner,
  spreadAt,
  type SeedSizes,
} from './seed-data.js';

type PostgresTarget = { connectionString: string; schema: string };
type Table = { name: string; columns: string[]; rows: number; lines: (index: number) => string };
export type SeedReport = { table: string; rows: number; seconds: number }[];

const loadedTables = ['User', 'ApiKey', 'Session', 'TokenEvent'];
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const iso = (ms: number) => new Date(ms).toISOString();
const rowsPerChunk = 5000;

/** `postgres://...?schema=name` as the app reads it; the schema is required so a seed never lands in `public` by accident. */
export function seedTarget(databaseUrl: string | undefined): PostgresTarget {
  if (!databaseUrl?.startsWith('postgres')) throw new Error('DATABASE_URL must be a postgres:// URL');
  const target = parseDatabaseUrl(databaseUrl);
  if (target.provider !== 'postgresql' || !target.schema) throw new Error('DATABASE_URL needs ?schema=<name>: the seed goes into a schema of its own');
  return { connectionString: target.connectionString, schema: target.schema };
}

async function connect(target: PostgresTarget) {
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  await client.query(`SET search_path TO ${quote(target.schema)}`);
  return client;
}

export async function dropSeedSchema(target: PostgresTarget) {
  if (target.schema === 'public' || target.schema.startsWith('test_')) throw new Error(`refusing to drop schema ${target.schema}`);
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quote(target.schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

function tables(sizes: SeedSizes): Table[] {
  const hot = Math.min(hotEventCount(sizes), sizes.events);
  const rest = sizes.events - hot;
  const createdAt = iso(seedEpochMs - 100 * 24 * 3600 * 1000);
  return [
    {
      name: 'User',
      columns: ['id', 'username', 'email', 'emailVerified', 'role', 'plan', 'createdAt', 'updatedAt'],
      rows: sizes.users,
      lines: (i) => `${seedId('user', i)}\tseed${i}\tseed${i}@seed.example.com\tt\tUSER\t${i % 10 === 0 ? 'PRO' : 'FREE'}\t${createdAt}\t${createdAt}\n`,
    },
    {
      name: 'ApiKey',
      columns: ['id', 'name', 'prefix', 'environment', 'secretHash', 'userId', 'createdAt'],
      rows: sizes.keys,
      lines: (i) => {
        const raw = seedRawKey(i);
        const display = raw.slice(0, raw.indexOf('_live_') + 6 + 4);
        return `${seedId('key', i)}\tseed key ${i}\t${display}\tLIVE\t${seedKeyHash(i)}\t${seedId('user', keyOwner(i, sizes))}\t${createdAt}\n`;
      },
    },
    {
      name: 'Session',
      columns: ['id', 'userId', 'name', 'userAgent', 'clientType', 'rememberMe', 'createdAt', 'lastUsedAt', 'expiresAt'],
      rows: sizes.sessions,
      lines: (i) =>
        `${seedId('session', i)}\t${seedId('user', sessionOwner(i, sizes))}\tseed session\tauthgraph-seed/1.0\tAPI\tf\t${createdAt}\t${createdAt}\t${iso(seedEpochMs + 30 * 24 * 3600 * 1000)}\n`,
    },
    {
      name: 'TokenEvent',
      columns: ['id', 'at', 'action', 'outcome', 'operation', 'ip', 'userAgent', 'userId', 'sessionId', 'apiKeyId'],
      rows: sizes.events,
      lines: (i) => {
        const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
        if (i < hot) {
          const owner = seedId('user', keyOwner(hotKeyIndex, sizes));
          return `${seedId('event', i)}\t${spreadAt(i, hot).toISOString()}\trequest\tsuccess\twhoami\t${ip}\tauthgraph-seed/1.0\t${owner}\t\\N\t${seedId('key', hotKeyIndex)}\n`;
        }
        const j = i - hot;
        const at = spreadAt(j, rest).toISOString();
        // A third of the rest are session events (when there are sessions), the others key uses.
        if (sizes.sessions > 0 && j % 3 === 2) {
          const session = j % sizes.sessions;
          const action = j % 12 === 2 ? 'login' : 'refresh';
          return `${seedId('event', i)}\t${at}\t${action}\tsuccess\t\\N\t${ip}\tauthgraph-seed/1.0\t${seedId('user', sessionOwner(session, sizes))}\t${seedId('session', session)}\t\\N\n`;
        }
        const key = j % sizes.keys;
        const outcome = j % 50 === 0 ? 'UNAUTHENTICATED' : 'success';
        return `${seedId('event', i)}\t${at}\trequest\t${outcome}\twhoami\t${ip}\tauthgraph-seed/1.0\t${seedId('user', keyOwner(key, sizes))}\t\\N\t${seedId('key', key)}\n`;
      },
    },
  ];
}

async function* chunks(table: Table, progress: (rows: number) => void) {
  for (let start = 0; start < table.rows; start += rowsPerChunk) {
    const end = Math.min(table.rows, start + rowsPerChunk);
    let text = '';
    for (let i = start; i < end; i++) text += table.lines(i);
    progress(end);
    yield text;
  }
}

/**
 * Secondary indexes, unique and primary keys and the foreign keys touching the loaded tables:
 * dropped before COPY and rebuilt after (a sorted build is several times faster than
 * maintaining B-trees row by row), from their own definitions so the schema ends up identical.
 */
async function detachIndexes(client: pg.Client, schema: string) {
  const { rows: constraints } = await client.query<{ name: string; table: string; type: string; definition: string }>(
    `SELECT c.conname AS name, t.relname AS "table", c.contype AS type, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       LEFT JOIN pg_class r ON r.oid = c.confrelid
      WHERE c.connamespace = $1::regnamespace AND c.contype IN ('p', 'u', 'f')
        AND (t.relname = ANY($2) OR r.relname = ANY($2))`,
    [quote(schema), loadedTables],
  );
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
      WHERE schemaname = $1 AND tablename = ANY($2) AND NOT (indexname = ANY($3))`,
    [schema, loadedTables, constraints.map((constraint) => constraint.name)],
  );
  const foreign = constraints.filter((constraint) => constraint.type === 'f');
  const keys = constraints.filter((constraint) => constraint.type !== 'f');
  for (const constraint of [...foreign, ...keys]) await client.query(`ALTER TABLE ${quote(constraint.table)} DROP CONSTRAINT ${quote(constraint.name)}`);
  for (const index of indexes) await client.query(`DROP INDEX ${quote(index.name)}`);
  return async () => {
    await client.query(`SET maintenance_work_mem = '512MB'`);
    for (const constraint of keys) await client.query(`ALTER TABLE ${quote(constraint.table)} ADD CONSTRAINT ${quote(constraint.name)} ${constraint.definition}`);
    for (const index of indexes) await client.query(index.definition);
    for (const constraint of foreign) await client.query(`ALTER TABLE ${quote(constraint.table)} ADD CONSTRAINT ${quote(constraint.name)} ${constraint.definition}`);
  };
}

/** Adds the reader key (see readerKeyIndex) unless it is there. */
export async function ensureReaderKey(client: pg.Client) {
  const raw = seedRawKey(readerKeyIndex);
  await client.query(
    `INSERT INTO "ApiKey" ("id", "name", "prefix", "environment", "secretHash", "userId", "createdAt")
     VALUES ($1, 'seed reader key', $2, 'LIVE', $3, $4, now()) ON CONFLICT DO NOTHING`,
    [seedId('key', readerKeyIndex), raw.slice(0, raw.indexOf('_live_') + 10), seedKeyHash(readerKeyIndex), seedId('user', hotUserIndex)],
  );
}

/**
 * Migrates the target schema, then fills it with COPY: users, keys and sessions on one
 * connection while the log streams on another. The tables must be empty.
 */
export async function seedPostgres(target: PostgresTarget, sizes: SeedSizes, log: (line: string) => void): Promise<SeedReport> {
  if (sizes.keys > 0 && sizes.users === 0) throw new Error('keys need at least one user');
  if (sizes.events > 0 && sizes.keys === 0) throw new Error('events need at least one key');
  await migrate({ provider: 'postgresql', connectionString: target.connectionString, schema: target.schema });
  const [main, side] = [await connect(target), await connect(target)];
  const report: SeedReport = [];
  try {
    for (const table of loadedTables) {
      const { rows } = await main.query(`SELECT 1 FROM ${quote(table)} LIMIT 1`);
      if (rows.length > 0) throw new Error(`${target.schema}.${table} is not empty: seed into a fresh schema (npm run bench:seed -- --drop first)`);
    }
    const reattach = await detachIndexes(main, target.schema);
    const done = new Map<string, number>();
    const ticker = setInterval(() => log([...done].map(([name, rows]) => `${name} ${rows.toLocaleString('en')}`).join(', ')), 10_000);
    const copy = async (client: pg.Client, table: Table) => {
      const startedAt = performance.now();
      const sql = `COPY ${quote(table.name)} (${table.columns.map(quote).join(', ')}) FROM STDIN`;
      await pipeline(Readable.from(chunks(table, (rows) => done.set(table.name, rows))), client.query(copyFrom(sql)));
      const seconds = (performance.now() - startedAt) / 1000;
      report.push({ table: table.name, rows: table.rows, seconds });
      log(`${table.name}: ${table.rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s (${Math.round(table.rows / seconds).toLocaleString('en')} rows/s)`);
    };
    const [users, keys, sessions, events] = tables(sizes) as [Table, Table, Table, Table];
    try {
      await Promise.all([
        (async () => {
          for (const table of [users, keys, sessions]) await copy(side, table);
        })(),
        copy(main, events),
      ]);
    } finally {
      clearInterval(ticker);
    }
    let startedAt = performance.now();
    await reattach();
    report.push({ table: 'indexes and keys', rows: 0, seconds: (performance.now() - startedAt) / 1000 });
    log(`indexes and constraints rebuilt in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
    // Vacuumed now, so autovacuum does not start on these tables in the middle of a measurement.
    startedAt = performance.now();
    await Promise.all([
      (async () => {
        for (const table of ['User', 'ApiKey', 'Session']) await side.query(`VACUUM (ANALYZE) ${quote(table)}`);
      })(),
      main.query(`VACUUM (ANALYZE) "TokenEvent"`),
    ]);
    report.push({ table: 'vacuum analyze', rows: 0, seconds: (performance.now() - startedAt) / 1000 });
    if (sizes.users > 0) await ensureReaderKey(main);
    log(`vacuum (analyze) in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
    return report;
  } finally {
    await Promise.all([main.end(), side.end()]);
  }
}
