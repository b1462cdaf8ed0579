import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../src/db.js';
import { migrate, readMigrations } from '../src/migrate.js';
import { dropTestDatabase, freshDatabaseUrl } from './helpers/app.js';

const dataDir = mkdtempSync(join(tmpdir(), 'authgraph-migrate-'));
const databaseUrl = freshDatabaseUrl(dataDir);
const target = parseDatabaseUrl(databaseUrl);
afterAll(() => dropTestDatabase(databaseUrl, dataDir));

describe(`migrations on ${target.provider}`, () => {
  it('several instances migrating at once apply each file exactly once', async () => {
    const runs = await Promise.all([migrate(target), migrate(target), migrate(target)]);
    const applied = runs.flat();
    expect(applied.sort()).toEqual(readMigrations(target.provider).map((migration) => migration.name));
  });

  it('a second start applies nothing', async () => {
    expect(await migrate(target)).toEqual([]);
  });

  it('both providers have the same migration names', () => {
    const names = (provider: 'sqlite' | 'postgresql') => readMigrations(provider).map((migration) => migration.name);
    expect(names('sqlite')).toEqual(names('postgresql'));
  });
});
