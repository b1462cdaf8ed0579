// `npm pack` of packages/client, installed into a scratch project the way a user would, whose
// TypeScript resolves `@authgraph/client` and `@authgraph/client/node` to the shipped types.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDirectory = fileURLToPath(new URL('../../packages/client/', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'authgraph-client-package-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const usage = `import { createAuthClient, webStorage, type SignInResult, type ApiKey } from '@authgraph/client';
import { fileStorage } from '@authgraph/client/node';

const browser = createAuthClient({ url: '/graphql', storage: webStorage() });
const script = createAuthClient({ url: 'https://auth.example.com/graphql', storage: fileStorage('tokens.json') });

export async function signedInName(): Promise<string> {
  const result: SignInResult = await script.signIn({ username: 'ada', password: 'a long pass phrase' });
  switch (result.kind) {
    case 'signedIn':
      return result.user.username;
    case 'mfaRequired': {
      const verified = await script.verifyMfa(result.challengeId, '123456');
      return verified.kind === 'signedIn' ? verified.user.username : result.methods.join();
    }
  }
}

export async function keyPrefixes(): Promise<string[]> {
  const { nodes } = await browser.apiKeys.list({ first: 10 });
  return nodes.map((key: ApiKey) => key.prefix);
}

// @ts-expect-error an API key id is a string
await browser.apiKeys.revoke(42);
`;

it('packs, installs into a scratch project, where its types resolve and both entries load in Node', async () => {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: packageDirectory });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  expect(packed!.files.map((file) => file.path)).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/node.js', 'package.json']));

  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] } }),
  );
  writeFileSync(join(scratch, 'index.ts'), usage);
  // Its one dependency (types only, and their graphql peer) comes from npm's cache, or the registry.
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(scratch, packed!.filename)], { cwd: scratch });
  const checked = await run(process.execPath, [tsc, '-p', scratch]).catch((error: { stdout: string }) => error);
  expect(checked.stdout).toBe('');

  const loaded = await run(process.execPath, ['--input-type=module', '-e', "const { createAuthClient } = await import('@authgraph/client'); const { fileStorage } = await import('@authgraph/client/node'); console.log(typeof createAuthClient, typeof fileStorage);"], { cwd: scratch });
  expect(loaded.stdout.trim()).toBe('function function');
});
