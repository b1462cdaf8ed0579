import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { refusals } from '../../src/errors.js';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { loginMutation, registerMutation, registerUser } from '../helpers/flows.js';

// Issue 20: SQLite on a disk that fills up. A real full file system (a small tmpfs, so
// root), filled with a file: writes are refused at once with a clear answer, /readyz says
// so, and once the file is removed writes succeed again without a restart, the activity
// log catches up, and the database is intact.

const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ?? false;
const isRoot = process.getuid?.() === 0;

/** Writes zeros until the file system refuses: in big chunks, then in pages, until not one more fits. */
function fillUp(file: string) {
  const fd = openSync(file, 'w');
  try {
    for (const size of [1 << 20, 64 << 10, 4 << 10, 512]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(onPostgres || !isRoot)('SQLite on a full disk', () => {
  let mountPoint: string;
  let app: TestApp;
  let databaseFile: string;
  const filler = () => join(mountPoint, 'filler');

  const registerOverGraphql = () => app.gql(registerMutation, { input: newIdentity() });
  const registerOverRest = async () => {
    const response = await app.request('/v1/auth/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(newIdentity()) });
    return { status: response.status, body: (await response.json()) as { code?: string; detail?: unknown } };
  };
  const readiness = async () => {
    const response = await app.request('/readyz');
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    mountPoint = mkdtempSync(join(tmpdir(), 'authgraph-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mountPoint]);
    databaseFile = join(mountPoint, 'authgraph.db');
    app = await createTestApp({ env: { DATABASE_URL: `file:${databaseFile}` } });
  });
  afterEach(() => rmSync(filler(), { force: true }));
  afterAll(async () => {
    await app?.close();
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('refuses writes at once while full, and takes them again once space is freed, without a restart', async () => {
    const { identity } = await registerUser(app);
    expect((await readiness()).status).toBe(200);

    fillUp(filler());
    // Several in a row: a transaction lock left held by the first failure would hold up the next until REQUEST_TIMEOUT (TIMEOUT).
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const graphql = await registerOverGraphql();
      expect(graphql.errors?.[0]).toMatchObject({ message: refusals.storageFull.message, extensions: { code: refusals.storageFull.code } });
      expect(graphql.status).toBe(200);
      expect(await registerOverRest()).toMatchObject({ status: 503, body: { code: refusals.storageFull.code, detail: refusals.storageFull.message } });
    }
    expect(await readiness()).toMatchObject({ status: 503, body: { storage: 'full' } });
    // Reads go on: an existing user signs in... up to where the session is written.
    const login = await app.gql(loginMutation, { input: { username: identity.username, password: 'not the password at all' } });
    expect(login.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    unlinkSync(filler());
    expect(await readiness()).toMatchObject({ status: 200, body: { database: 'ok' } });
    expect((await registerOverGraphql()).errors).toBeUndefined();
    expect((await registerOverRest()).status).toBe(201);
  });

  it('the activity log writes what it kept while the disk was full', async () => {
    const { identity } = await registerUser(app);
    fillUp(filler());
    await app.gql(loginMutation, { input: { username: identity.username, password: 'not the password at all' } });
    await app.runtime.tokenEvents.flush();
    expect(app.logLines.some((line) => line.includes('token events not written'))).toBe(true);
    unlinkSync(filler());
    await app.runtime.tokenEvents.flush();
    const failures = await app.runtime.db.tokenEvent.count({ where: { userId: (await app.runtime.db.user.findUniqueOrThrow({ where: { username: identity.username } })).id, outcome: 'UNAUTHENTICATED' } });
    expect(failures).toBe(1);
  });

  it('leaves the database intact', async () => {
    await app.close();
    const connection = new SQLite(databaseFile, { readonly: true });
    try {
      expect(connection.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      connection.close();
    }
    app = undefined as unknown as TestApp;
  });
});
