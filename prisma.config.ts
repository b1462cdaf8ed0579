// Used only by the Prisma CLI (generate, migrate diff). The native schema engine
// cannot be downloaded offline, so the CLI runs its bundled wasm engine through a
// driver adapter. PRISMA_PROVIDER=postgresql points it at the generated PostgreSQL schema.
import { defineConfig } from 'prisma/config';

const postgres = process.env.PRISMA_PROVIDER === 'postgresql';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: postgres ? 'prisma/postgresql/schema.prisma' : 'prisma/schema.prisma',
  async adapter() {
    if (postgres) {
      const { PrismaPg } = await import('@prisma/adapter-pg');
      return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
    }
    const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
    return new PrismaBetterSQLite3({ url: ':memory:' });
  },
});
