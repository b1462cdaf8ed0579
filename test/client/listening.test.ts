import type { Server } from 'node:http';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAuthClient } from '../../packages/client/src/index.js';
import { fileStorage } from '../../packages/client/src/node.js';
import { listen } from '../../src/http/listen.js';
import { newIdentity, type TestApp } from '../helpers/app.js';
import { clientClock, createClientTestApp } from './harness.js';

let app: TestApp;
let server: Server;
let url: string;
let directory: string;
beforeAll(async () => {
  app = await createClientTestApp();
  ({ server, url } = await listen(app.app, 0, '127.0.0.1'));
  directory = mkdtempSync(join(tmpdir(), 'authgraph-client-'));
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await app?.close();
  rmSync(directory, { recursive: true, force: true });
});

it('over a listening server, with tokens in a file: a second process-like client goes on with them, refreshing when they are stale', async () => {
  const tokenFile = join(directory, 'nested', 'tokens.json');
  const clock = clientClock();
  const options = { url: `${url}/graphql`, storage: fileStorage(tokenFile), clock, headers: { 'user-agent': 'authgraph-script/1.0' } };
  const identity = newIdentity();
  const first = createAuthClient(options);
  await first.signUp(identity);
  await first.signIn({ username: identity.username, password: identity.password });
  expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
  const before = await fileStorage(tokenFile).load();

  const ttlMs = app.config.jwt.accessTokenTtl * 1000;
  app.clock.advance(ttlMs);
  clock.advance(ttlMs);
  const second = createAuthClient(options);
  expect((await second.whoami()).user?.username).toBe(identity.username);
  expect((await fileStorage(tokenFile).load())?.refreshToken).not.toBe(before?.refreshToken);

  await second.signOut();
  expect(await fileStorage(tokenFile).load()).toBeNull();
});
