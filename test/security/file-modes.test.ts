import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerUser } from '../helpers/flows.js';

const onSqlite = !process.env.DATABASE_URL?.startsWith('postgres');
const modeOf = (path: string) => statSync(path).mode & 0o777;

// The usual umask, under which files and directories made without an explicit chmod are world-readable.
let umaskBefore: number;
beforeAll(() => {
  umaskBefore = process.umask(0o022);
});
afterAll(() => {
  process.umask(umaskBefore);
});

const roots: string[] = [];
const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A test app whose DATA_DIR (and, on SQLite, database file) lies in a directory made here; `prepare` may set it up first. */
async function appIn(prepare?: (dataDir: string) => void) {
  const root = mkdtempSync(join(tmpdir(), 'authgraph-modes-'));
  roots.push(root);
  const dataDir = join(root, 'data');
  prepare?.(dataDir);
  const env: Record<string, string> = { DATA_DIR: dataDir };
  if (onSqlite) env.DATABASE_URL = `file:${join(dataDir, 'authgraph.db')}`;
  const app = await createTestApp({ env });
  apps.push(app);
  // A write, so that SQLite's -wal and -shm files exist.
  await registerUser(app);
  return { app, dataDir };
}

const privateFiles = (dataDir: string) =>
  ['signing-keys.json', 'server-secret', ...(onSqlite ? ['authgraph.db', 'authgraph.db-wal', 'authgraph.db-shm'] : [])].map((name) => join(dataDir, name));

describe('DATA_DIR and the files in it', () => {
  it('a new DATA_DIR is 0700; the database, signing keys and server secret are 0600', async () => {
    const { dataDir } = await appIn();
    expect(modeOf(dataDir).toString(8)).toBe('700');
    for (const file of privateFiles(dataDir)) {
      expect(existsSync(file), file).toBe(true);
      expect(`${file}: ${modeOf(file).toString(8)}`).toBe(`${file}: 600`);
    }
  });

  it.runIf(onSqlite)('an existing database file made readable by others is made 0600 at start', async () => {
    const { dataDir } = await appIn((directory) => {
      mkdirSync(directory, { mode: 0o700 });
      writeFileSync(join(directory, 'authgraph.db'), '');
      chmodSync(join(directory, 'authgraph.db'), 0o644);
    });
    for (const file of privateFiles(dataDir)) expect(`${file}: ${modeOf(file).toString(8)}`).toBe(`${file}: 600`);
  });
});
