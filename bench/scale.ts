// `npm run bench:scale`: key verification and tokenLog pages against a small seeded PostgreSQL
// schema (1k keys) and a large one (default 1M users, 1M keys, 10M events), the two measured
// back to back per scenario so that both see the same machine load. The large schema is seeded
// unless it already holds data (BENCH_SCALE_SCHEMA, default bench_scale); what this command
// seeds it drops at the end, a schema seeded beforehand it leaves (drop it with bench:seed --drop).
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { encodeCursor } from '../src/pagination.js';
import { answerWithUser, userAgent } from './lib/http.js';
import { runLoad, sendOnce, type BenchRequest, type LoadResult } from './lib/load.js';
import { cleanUp, makeTempDir, repoRoot } from './lib/processes.js';
import { markdownTable, textTable } from './lib/report.js';
import { hotKeyIndex, readerKeyIndex, seedId, seedKeyHash, seedRawKey, seedServerSecret } from './lib/seed-data.js';
import { dropSeedSchema, ensureReaderKey, seedPostgres } from './lib/seed-postgres.js';
import { startAuthgraph, type Target } from './lib/targets.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000000' },
    keys: { type: 'string', default: '1000000' },
    events: { type: 'string', default: '10000000' },
  },
});
const seconds = Number(process.env.BENCH_DURATION ?? 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP ?? 3);
const latencySeconds = Number(process.env.BENCH_LATENCY_DURATION ?? Math.min(seconds, 5));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ceiling = 1.5;

const log = (message: string) => process.stderr.write(`bench:scale: ${message}\n`);
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

const base = process.env.DATABASE_URL;
if (!base?.startsWith('postgres')) throw new Error('bench:scale needs DATABASE_URL=postgres://...');
const baseUrl = new URL(base);
baseUrl.searchParams.delete('schema');
const connectionString = baseUrl.toString();
const schemaUrl = (schema: string) => {
  const url = new URL(connectionString);
  url.searchParams.set('schema', schema);
  return url.toString();
};

type Size = { label: 'small' | 'large'; schema: string; keys: number; hotKeyId: string; hotEvents: number; deepCursor: string; seededHere: boolean };

async function withClient<T>(schema: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${quote(schema)}`);
    return await work(client);
  } finally {
    await client.end();
  }
}

async function hasRows(schema: string): Promise<boolean> {
  return withClient(schema, async (client) => {
    const { rows } = await client.query(`SELECT to_regclass('"ApiKey"') IS NOT NULL AS present`);
    if (!rows[0].present) return false;
    return (await client.query('SELECT 1 FROM "ApiKey" LIMIT 1')).rows.length > 0;
  });
}

/** Seeds a schema unless it is already filled, then reads what the scenarios need from it. */
async function prepare(label: Size['label'], schema: string, sizes: { users: number; keys: number; events: number }): Promise<Size> {
  let seededHere = false;
  if (!(await hasRows(schema))) {
    log(`seeding ${schema}: ${sizes.users} users, ${sizes.keys} keys, ${sizes.events} events`);
    await seedPostgres({ connectionString, schema }, { ...sizes, sessions: sizes.users }, (line) => log(`  ${line}`));
    seededHere = true;
  } else log(`${schema} is already seeded; using it as it is`);
  return withClient(schema, async (client) => {
    await ensureReaderKey(client);
    const keys = Number((await client.query('SELECT count(*) AS n FROM "ApiKey" WHERE "id" <> $1', [seedId('key', readerKeyIndex)])).rows[0].n);
    const hotKeyId = seedId('key', hotKeyIndex);
    const hotEvents = Number((await client.query('SELECT count(*) AS n FROM "TokenEvent" WHERE "apiKeyId" = $1', [hotKeyId])).rows[0].n);
    // A one-off OFFSET to find the row half-way down the key's log; the measured page then starts there by cursor.
    const { rows } = await client.query<{ at: Date; id: string }>(
      'SELECT "at", "id" FROM "TokenEvent" WHERE "apiKeyId" = $1 ORDER BY "at" DESC, "id" DESC OFFSET $2 LIMIT 1',
      [hotKeyId, Math.floor(hotEvents / 2)],
    );
    if (!rows[0]) throw new Error(`${schema}: the hot key has no events`);
    return { label, schema, keys, hotKeyId, hotEvents, deepCursor: encodeCursor(rows[0]), seededHere };
  });
}

const json = { 'content-type': 'application/json', 'user-agent': userAgent };
const whoamiBody = JSON.stringify({ query: '{ whoami { user { id username } credential { kind id name } } }' });
const tokenLogQuery =
  'query T($id: ID!, $after: String) { tokenLog(tokenId: $id, first: 20, after: $after) { nodes { at action outcome } pageInfo { hasNextPage endCursor } } }';

/** whoami with a different seeded key on every request, drawn uniformly from all of the schema's keys. */
const whoamiRandomKey = (size: Size): BenchRequest => ({
  kind: 'whoami',
  method: 'POST',
  path: '/graphql',
  headers: json,
  body: whoamiBody,
  expect: answerWithUser,
  prepare: (request) => {
    request.headers['x-api-key'] = seedRawKey(Math.floor(Math.random() * size.keys));
  },
});

const tokenLogPage = (size: Size, deep: boolean): BenchRequest => ({
  kind: 'tokenLog',
  method: 'POST',
  path: '/graphql',
  headers: { ...json, 'x-api-key': seedRawKey(readerKeyIndex) },
  body: JSON.stringify({ query: tokenLogQuery, variables: { id: size.hotKeyId, after: deep ? size.deepCursor : null } }),
  expect: /"nodes":\[/,
});

type Scenario = { name: string; server: 'cached' | 'uncached'; request: (size: Size) => BenchRequest };
const scenarios: Scenario[] = [
  { name: 'verify key, cache on (TTL 30 s)', server: 'cached', request: whoamiRandomKey },
  { name: 'verify key, API_KEY_CACHE_TTL=0', server: 'uncached', request: whoamiRandomKey },
  { name: 'tokenLog first page', server: 'cached', request: (size) => tokenLogPage(size, false) },
  { name: 'tokenLog page half-way (cursor)', server: 'cached', request: (size) => tokenLogPage(size, true) },
];

type Result = { scenario: string; size: Size['label']; loaded: LoadResult; latency: LoadResult };

async function measure(target: Target, request: BenchRequest): Promise<{ loaded: LoadResult; latency: LoadResult }> {
  const problem = await sendOnce(target.url, request);
  if (problem) throw new Error(`${target.name}: ${problem}`);
  if (warmupSeconds > 0) await runLoad({ url: target.url, requests: [request], connections, seconds: warmupSeconds });
  const loaded = await runLoad({ url: target.url, requests: [request], connections, seconds, pid: target.child.pid });
  await sendOnce(target.url, request); // waits behind what the loaded pass left in flight
  const latency = await runLoad({ url: target.url, requests: [request], connections: 1, seconds: latencySeconds });
  return { loaded, latency };
}

/** EXPLAIN (ANALYZE, BUFFERS) of the statements Prisma sends for both scenarios (captured with its query log). */
async function explain(size: Size): Promise<string[]> {
  const probeKey = Math.floor(size.keys / 2);
  const hash = seedKeyHash(probeKey);
  const [at, id] = JSON.parse(Buffer.from(size.deepCursor, 'base64url').toString('utf8')) as [string, string];
  const statements: [string, string, unknown[]][] = [
    [
      'key lookup',
      `SELECT "id", "name", "environment", "scopes", "secretHash", "previousSecretHash", "previousSecretExpiresAt", "expiresAt", "revokedAt", "userId", "serviceAccountId"
         FROM "ApiKey" WHERE ("secretHash" = $1 OR "previousSecretHash" = $2) LIMIT $3 OFFSET $4`,
      [hash, hash, 1, 0],
    ],
    ['key owner', `SELECT "id", "role", "plan", "disabledAt" FROM "User" WHERE "id" IN ($1) OFFSET $2`, [seedId('user', probeKey), 0]],
    [
      'tokenLog first page',
      `SELECT * FROM "TokenEvent" WHERE "apiKeyId" = $1 ORDER BY "at" DESC, "id" DESC LIMIT $2 OFFSET $3`,
      [size.hotKeyId, 21, 0],
    ],
    [
      'tokenLog page half-way',
      `SELECT * FROM "TokenEvent"
        WHERE ("apiKeyId" = $1 AND ("at" < $2 OR ("at" = $3 AND "id" < $4))) ORDER BY "at" DESC, "id" DESC LIMIT $5 OFFSET $6`,
      [size.hotKeyId, new Date(at), new Date(at), id, 21, 0],
    ],
    // Not what the server sends: the same page with the cursor's time also as a plain bound,
    // which the planner can turn into an index condition (see the README's Scale section).
    [
      'tokenLog page half-way, with "at" <= cursor added',
      `SELECT * FROM "TokenEvent"
        WHERE ("apiKeyId" = $1 AND "at" <= $2 AND ("at" < $2 OR ("at" = $2 AND "id" < $3))) ORDER BY "at" DESC, "id" DESC LIMIT $4 OFFSET $5`,
      [size.hotKeyId, new Date(at), id, 21, 0],
    ],
    [
      'tokenLog page half-way, row comparison',
      `SELECT * FROM "TokenEvent" WHERE "apiKeyId" = $1 AND ("at", "id") < ($2, $3) ORDER BY "at" DESC, "id" DESC LIMIT $4`,
      [size.hotKeyId, new Date(at), id, 21],
    ],
  ];
  return withClient(size.schema, async (client) => {
    const lines: string[] = [];
    for (const [name, sql, parameters] of statements) {
      await client.query(sql, parameters); // once to warm the cache, as the server's own runs have
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, parameters);
      const plan = rows.map((row) => row['QUERY PLAN']);
      const indexes = [...new Set(plan.flatMap((line) => [...line.matchAll(/(?:Index(?: Only)? Scan(?: Backward)?|Bitmap Index Scan) (?:using |on )"?([\w]+)"?/g)].map((match) => match[1])))];
      const scans = plan.filter((line) => /Seq Scan/.test(line)).length;
      const filtered = plan.map((line) => /Rows Removed by Filter: (\d+)/.exec(line)?.[1]).find(Boolean);
      const buffers = /Buffers: (.*)/.exec(plan.join('\n'))?.[1];
      const time = plan.find((line) => line.startsWith('Execution Time'))?.replace('Execution Time: ', '') ?? '?';
      lines.push(`${size.label} ${name}: ${time}, ${indexes.length ? `index ${indexes.join(', ')}` : 'no index'}${scans ? `, ${scans} sequential scan(s)` : ''}${filtered ? `, ${filtered} rows removed by filter` : ''}${buffers ? `, buffers ${buffers}` : ''}`);
      if (process.env.BENCH_SCALE_PLANS === '1') lines.push(...plan.map((line) => `    ${line}`));
    }
    return lines;
  });
}

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

async function main() {
  const date = new Date().toISOString().slice(0, 10);
  const loadBefore = loadavg()[0]!;
  const largeSizes = { users: Number(values.users), keys: Number(values.keys), events: Number(values.events) };
  const small = await prepare('small', 'bench_scale_small', { users: 1000, keys: 1000, events: 10_000 });
  const large = await prepare('large', process.env.BENCH_SCALE_SCHEMA ?? 'bench_scale', largeSizes);
  const sizes = [small, large];
  const servers = new Map<string, Target>();
  try {
    for (const size of sizes) {
      for (const server of ['cached', 'uncached'] as const) {
        const dataDir = makeTempDir(`scale-${size.label}`);
        const started = await startAuthgraph('postgresql', { run: size.label, dataDir, databaseUrl: schemaUrl(size.schema) }, {
          SERVER_SECRET: seedServerSecret,
          ...(server === 'uncached' ? { API_KEY_CACHE_TTL: '0' } : {}),
        });
        servers.set(`${size.label} ${server}`, { ...started, name: `authgraph ${size.label} ${server}` });
      }
    }
    const results: Result[] = [];
    for (const scenario of scenarios) {
      for (const size of sizes) {
        log(`${scenario.name}: ${size.label}`);
        const measured = await measure(servers.get(`${size.label} ${scenario.server}`)!, scenario.request(size));
        results.push({ scenario: scenario.name, size: size.label, ...measured });
        const errors = measured.loaded.errors + measured.latency.errors;
        log(`  ${measured.loaded.requestsPerSecond.toFixed(0)} req/s, p50 ${measured.loaded.p50.toFixed(2)} ms, 1c p50 ${measured.latency.p50.toFixed(2)} ms${errors ? `, ${errors} errors: ${measured.loaded.firstError ?? measured.latency.firstError}` : ''}`);
      }
    }
    const plans = [...(await explain(small)), ...(await explain(large))];

    const header = ['scenario', 'db', 'req/s', 'p50 ms', 'p99 ms', 'p50 1c', 'p99 1c', 'slower (req/s)', 'x p50 1c', 'errors'];
    const body = results.map((result) => {
      const smallResult = results.find((other) => other.scenario === result.scenario && other.size === 'small')!;
      const isLarge = result.size === 'large';
      return [
        result.scenario,
        result.size,
        fixed(result.loaded.requestsPerSecond, 0),
        fixed(result.loaded.p50),
        fixed(result.loaded.p99),
        fixed(result.latency.p50),
        fixed(result.latency.p99),
        isLarge ? fixed(smallResult.loaded.requestsPerSecond / result.loaded.requestsPerSecond) : '',
        isLarge ? fixed(result.latency.p50 / smallResult.latency.p50) : '',
        String(result.loaded.errors + result.latency.errors),
      ];
    });
    const checks = scenarios.map((scenario) => {
      const [s, l] = [results.find((r) => r.scenario === scenario.name && r.size === 'small')!, results.find((r) => r.scenario === scenario.name && r.size === 'large')!];
      const throughput = s.loaded.requestsPerSecond / l.loaded.requestsPerSecond;
      const latency = l.latency.p50 / s.latency.p50;
      const met = throughput <= ceiling && latency <= ceiling;
      return `- ${met ? 'met' : 'MISSED'}: ${scenario.name} within ${ceiling}x of 1k keys: ${fixed(throughput)}x on req/s, ${fixed(latency)}x on 1-connection p50`;
    });
    const describe = (size: Size) => `${size.label} = ${size.schema}, ${size.keys.toLocaleString('en')} keys, ${size.hotEvents.toLocaleString('en')} events on the tokenLog key`;
    const summary = `${sizes.map(describe).join('; ')}. ${connections} connections for ${seconds} s after ${warmupSeconds} s warm-up, then 1 connection for ${latencySeconds} s; ` +
      `${availableParallelism()} × ${cpus()[0]?.model.trim()}, Node ${process.versions.node}, load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end.`;
    console.log(`\n${textTable(header, body)}\n\n${summary}\n\ntargets:\n${checks.join('\n')}\n\nquery plans:\n${plans.join('\n')}`);

    const directory = `${repoRoot}bench/results`;
    mkdirSync(directory, { recursive: true });
    const report = { date, command: 'DATABASE_URL=… npm run bench:scale', summary, settings: { connections, seconds, warmupSeconds, latencySeconds }, sizes, results, checks, plans };
    writeFileSync(`${directory}/${date}-scale.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(
      `${directory}/${date}-scale.md`,
      `# authgraph scale benchmark, ${date}\n\n${summary}\n\n${markdownTable(header, body)}\n\n${checks.join('\n')}\n\n${plans.map((line) => `- ${line.trim()}`).join('\n')}\n`,
    );
    console.log(`\nwrote bench/results/${date}-scale.json and .md`);
  } finally {
    for (const server of servers.values()) await server.stop();
    for (const size of sizes) if (size.seededHere) await dropSeedSchema({ connectionString, schema: size.schema });
  }
}

try {
  await main();
} finally {
  await cleanUp();
}
