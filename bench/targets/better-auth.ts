// The peer: Better Auth with e-mail and password, bearer tokens and API keys, on SQLite
// (better-sqlite3), behind node:http. Rate limits are off so that it is measured as authgraph is.
import { createServer } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db';
import { toNodeHandler } from 'better-auth/node';
import { apiKey, bearer } from 'better-auth/plugins';

const port = Number(process.env.PORT);
const database = new Database(join(process.env.DATA_DIR ?? '.', 'better-auth.db'));
database.pragma('journal_mode = WAL');

const options = {
  baseURL: `http://127.0.0.1:${port}`,
  secret: process.env.BETTER_AUTH_SECRET,
  database,
  emailAndPassword: { enabled: true },
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  plugins: [bearer(), apiKey({ enableSessionForAPIKeys: true, rateLimit: { enabled: false } })],
};
const { runMigrations } = await getMigrations(options);
await runMigrations();
const auth = betterAuth(options);

createServer(toNodeHandler(auth)).listen(port, process.env.HOST ?? '127.0.0.1');
