// Writes the next migration for both providers: `npm run db:migration -- <name>`.
// Each provider keeps a snapshot of the schema its last migration reached; the new
// SQL is `prisma migrate diff` from that snapshot to the current schema.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { postgresSchemaFrom, postgresSchemaPath, sqliteSchemaPath } from './prisma-schemas.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <snake_case_name>');
  process.exit(1);
}
writeFileSync(postgresSchemaPath, postgresSchemaFrom(readFileSync(sqliteSchemaPath, 'utf8')));

const prisma = fileURLToPath(new URL('./prisma-offline', import.meta.url));
const providers = [
  { provider: 'sqlite', schema: sqliteSchemaPath },
  { provider: 'postgresql', schema: postgresSchemaPath },
];

for (const { provider, schema } of providers) {
  const dir = fileURLToPath(new URL(`../prisma/migrations/${provider}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  const snapshot = `${dir}schema.snapshot.prisma`;
  const from = existsSync(snapshot) ? ['--from-schema-datamodel', snapshot] : ['--from-empty'];
  const sql = execFileSync(prisma, ['migrate', 'diff', ...from, '--to-schema-datamodel', schema, '--script'], {
    env: { ...process.env, PRISMA_PROVIDER: provider },
    encoding: 'utf8',
  })
    .replace(/-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n/, '')
    .trim();
  if (!sql || sql === '-- This is an empty migration.') {
    console.log(`${provider}: no changes`);
    continue;
  }
  const number = readdirSync(dir).filter((file) => file.endsWith('.sql')).length + 1;
  const file = `${dir}${String(number).padStart(4, '0')}_${name}.sql`;
  writeFileSync(file, `${sql}\n`);
  copyFileSync(schema, snapshot);
  console.log(`${provider}: wrote ${file}`);
}
