// `npm run bench:seed -- --users 1000000 --keys 1000000 --events 10000000`: fills the PostgreSQL
// schema named by DATABASE_URL (?schema= required) with deterministic users, API keys, sessions
// and a credential log through COPY, for the scale benchmark. `--drop` removes the schema instead.
import { parseArgs } from 'node:util';
import { hotEventCount, seedServerSecret } from './lib/seed-data.js';
import { dropSeedSchema, seedPostgres, seedTarget } from './lib/seed-postgres.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    keys: { type: 'string', default: '1000' },
    sessions: { type: 'string' },
    events: { type: 'string', default: '10000' },
    drop: { type: 'boolean', default: false },
  },
});
const count = (name: string, raw: string) => {
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
};
const log = (line: string) => process.stderr.write(`seed: ${line}\n`);

const target = seedTarget(process.env.DATABASE_URL);
if (values.drop) {
  await dropSeedSchema(target);
  log(`dropped schema ${target.schema}`);
} else {
  const users = count('users', values.users);
  const sizes = { users, keys: count('keys', values.keys), sessions: count('sessions', values.sessions ?? String(users)), events: count('events', values.events) };
  log(`schema ${target.schema}: ${Object.entries(sizes).map(([name, value]) => `${value.toLocaleString('en')} ${name}`).join(', ')}; key 0 holds ${hotEventCount(sizes).toLocaleString('en')} events`);
  if (!process.env.SERVER_SECRET) log(`keys are hashed with the bench's fixed SERVER_SECRET (${seedServerSecret}); start the server with it`);
  const startedAt = performance.now();
  const report = await seedPostgres(target, sizes, log);
  const seconds = (performance.now() - startedAt) / 1000;
  const rows = report.reduce((sum, step) => sum + step.rows, 0);
  const copySeconds = Math.max(...report.filter((step) => step.rows > 0).map((step) => step.seconds));
  console.log(`${rows.toLocaleString('en')} rows: COPY ${copySeconds.toFixed(1)} s (${Math.round(rows / copySeconds).toLocaleString('en')} rows/s), ` +
    `${seconds.toFixed(1)} s in all with indexes and vacuum (${Math.round(rows / seconds).toLocaleString('en')} rows/s)`);
}
