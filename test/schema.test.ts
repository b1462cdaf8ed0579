import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { postgresSchemaFrom, postgresSchemaPath, sqliteSchemaPath } from '../scripts/prisma-schemas.js';
import { printedSchema } from '../src/schema/index.js';

describe('checked-in schema files', () => {
  it('schema.graphql matches the code-first schema (run `npm run schema:print`)', () => {
    expect(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8')).toBe(printedSchema());
  });

  it('the PostgreSQL Prisma schema is generated from the SQLite one (run `npm run db:generate`)', () => {
    expect(readFileSync(postgresSchemaPath, 'utf8')).toBe(postgresSchemaFrom(readFileSync(sqliteSchemaPath, 'utf8')));
  });

  it('each provider has the same migrations, and its last snapshot is the current schema', () => {
    for (const [provider, schemaPath] of [
      ['sqlite', sqliteSchemaPath],
      ['postgresql', postgresSchemaPath],
    ] as const) {
      const snapshot = readFileSync(new URL(`../prisma/migrations/${provider}/schema.snapshot.prisma`, import.meta.url), 'utf8');
      expect(snapshot, `${provider}: run npm run db:migration -- <name>`).toBe(readFileSync(schemaPath, 'utf8'));
    }
  });
});
