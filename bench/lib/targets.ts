import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildServer } from '../../scripts/build.js';
import { makeTempDir, onCleanUp, removeTempDir, startServer, type ServerProcess } from './processes.js';

export type Target = ServerProcess & { run: string; dataDir?: string };

const runId = () => randomBytes(4).toString('hex');

/** Extra settings for authgraph, `KEY=value,KEY=value` (e.g. to raise a rate limit for a run). */
function extraAuthgraphEnv(): Record<string, string> {
  const raw = process.env.BENCH_AUTHGRAPH_ENV ?? '';
  return Object.fromEntries(
    raw
      .split(',')
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')).trim(), pair.slice(pair.indexOf('=') + 1).trim()]),
  );
}

async function dropSchema(connectionString: string, schema: string) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

const unlimited = [
  'RATE_LIMIT_LOGIN_ACCOUNT_PER_HOUR',
  'RATE_LIMIT_LOGIN_IP_PER_HOUR',
  'RATE_LIMIT_REGISTER_PER_IP_PER_HOUR',
  'RATE_LIMIT_REFRESH_PER_SESSION_PER_MINUTE',
  'API_KEY_RPM_FREE',
  'API_KEY_RPM_PRO',
];

/** The process settings `npm start` gives the server (`NAME=${NAME:-value}` before `exec node`), so the bench measures the same. */
function npmStartEnv(): Record<string, string> {
  const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  return Object.fromEntries([...scripts.start.matchAll(/(\w+)=\$\{\1:-([^}]*)\}/g)].map(([, name, value]) => [name!, value!]));
}

let built: Promise<void> | undefined;

/** authgraph as `npm start` runs it (the bundle, dist/main.js, built by the benchmark first), production mode, fresh data directory. */
export async function startAuthgraph(
  database: 'sqlite' | 'postgresql',
  reuse?: { run: string; dataDir: string; databaseUrl: string },
  /** Settings of one run (the scale benchmark's SERVER_SECRET and API_KEY_CACHE_TTL), applied last. */
  env: Record<string, string> = {},
) {
  built ??= buildServer();
  await built;
  const run = reuse?.run ?? runId();
  const dataDir = reuse?.dataDir ?? makeTempDir('authgraph');
  let databaseUrl = reuse?.databaseUrl ?? `file:${join(dataDir, 'authgraph.db')}`;
  if (database === 'postgresql' && !reuse) {
    const base = process.env.DATABASE_URL;
    if (!base?.startsWith('postgres')) throw new Error('DATABASE_URL must be a postgres:// URL for the PostgreSQL run');
    const url = new URL(base);
    const schema = `bench_${run}`;
    url.searchParams.set('schema', schema);
    databaseUrl = url.toString();
    onCleanUp(() => dropSchema(base, schema));
  }
  const server = await startServer({
    name: `authgraph (${database})`,
    script: 'dist/main.js',
    readyPath: '/healthz',
    // BENCH_CPU_PROF=<dir>: authgraph writes a V8 CPU profile there when it stops.
    nodeArgs: process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
    env: {
      ...npmStartEnv(),
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      // API keys need a proven address by default; the benchmark has no mailbox to prove it with.
      REQUIRE_VERIFIED_EMAIL: 'false',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      // All load comes from one address and a few accounts: the limits stay on (their cost is
      // measured) but so high that they never refuse; Better Auth's are off.
      ...Object.fromEntries(unlimited.map((name) => [name, '1000000000'])),
      ...(process.env.REDIS_URL && process.env.BENCH_REDIS === '1' ? { REDIS_URL: process.env.REDIS_URL } : {}),
      ...extraAuthgraphEnv(),
      ...env,
    },
  });
  return { ...server, run, dataDir, databaseUrl };
}

export async function startBareYoga(): Promise<Target> {
  const server = await startServer({ name: 'bare graphql-yoga', script: 'bench/targets/bare-yoga.ts', readyPath: '/graphql?query=%7Bhello%7D', env: { NODE_ENV: 'production' } });
  return { ...server, run: runId() };
}

export async function startBareHttp(): Promise<Target> {
  const server = await startServer({ name: 'bare node:http', script: 'bench/targets/bare-http.ts', readyPath: '/', env: { NODE_ENV: 'production' } });
  return { ...server, run: runId() };
}

export async function startBetterAuth(): Promise<Target> {
  const dataDir = makeTempDir('better-auth');
  const server = await startServer({
    name: 'Better Auth',
    script: 'bench/targets/better-auth.ts',
    readyPath: '/api/auth/ok',
    env: { NODE_ENV: 'production', DATA_DIR: dataDir, BETTER_AUTH_SECRET: randomBytes(32).toString('hex'), BETTER_AUTH_TELEMETRY: '0' },
  });
  const stop = server.stop;
  return {
    ...server,
    run: runId(),
    dataDir,
    stop: async () => {
      await stop();
      removeTempDir(dataDir);
    },
  };
}
