// Prisma wants one schema file per provider. prisma/schema.prisma (SQLite) is the
// source; this writes prisma/postgresql/schema.prisma from it. A test checks they agree.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const sqliteSchemaPath = fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url));
export const postgresSchemaPath = fileURLToPath(new URL('../prisma/postgresql/schema.prisma', import.meta.url));

export function postgresSchemaFrom(sqliteSchema: string): string {
  const withoutPothosGenerator = sqliteSchema.replace(/\ngenerator pothos \{[^}]*\}\n/, '\n');
  return [
    '// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.ts: do not edit.',
    withoutPothosGenerator
      .replace(/^\/\/ The one data model\.[^\n]*\n\/\/[^\n]*\n/, '')
      .replace('output     = "../src/generated/sqlite"', 'output     = "../../src/generated/postgresql"')
      .replace('provider = "sqlite"', 'provider = "postgresql"'),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(postgresSchemaPath, postgresSchemaFrom(readFileSync(sqliteSchemaPath, 'utf8')));
}
