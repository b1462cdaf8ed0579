import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/cli/errors.js';
import { newIdentity } from './helpers/app.js';
import { registerMutation } from './helpers/flows.js';
import { startServerProcess } from './helpers/server-process.js';

// Issue 23: the CLI's second factor: login asks for the code, `mfa enroll|confirm|list|remove|recovery-codes`.
const root = new URL('../', import.meta.url);
let server: Awaited<ReturnType<typeof startServerProcess>>;
let home: string;
beforeAll(async () => {
  server = await startServerProcess({ REQUIRE_VERIFIED_EMAIL: 'false' });
  home = mkdtempSync(join(tmpdir(), 'authgraph-cli-mfa-'));
});
afterAll(async () => {
  await server.destroy();
  rmSync(home, { recursive: true, force: true });
});

function cli(args: string[], stdin = '') {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', '--server', server.url, ...args], { cwd: root, env: { ...process.env, XDG_CONFIG_HOME: home } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('authgraph mfa', () => {
  it('enrols an app, signs in with a recovery code, makes new codes and removes the factor', async () => {
    const identity = newIdentity();
    await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: registerMutation, variables: { input: identity } }),
    });
    expect((await cli(['login', identity.username], `${identity.password}\n`)).code).toBe(0);

    const enrolled = await cli(['--json', 'mfa', 'enroll', 'Phone']);
    expect(enrolled.code).toBe(0);
    const { factor, secret, uri } = JSON.parse(enrolled.stdout) as { factor: { id: string }; secret: string; uri: string };
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate();
    const confirmed = await cli(['--json', 'mfa', 'confirm', factor.id, '--code', code]);
    expect(confirmed.code).toBe(0);
    const { recoveryCodes } = JSON.parse(confirmed.stdout) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);

    await cli(['logout']);
    // Without a terminal the code must come as --code.
    const noCode = await cli(['login', identity.username], `${identity.password}\n`);
    expect(noCode.code).toBe(exitCodes.usage);
    expect(noCode.stderr).toContain('--code');
    const signedIn = await cli(['login', identity.username, '--code', recoveryCodes[0]!], `${identity.password}\n`);
    expect(signedIn.code).toBe(0);
    expect(signedIn.stdout).toContain(`as ${identity.username}`);

    const listed = await cli(['--json', 'mfa', 'list']);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: factor.id, name: 'Phone', confirmed: true })]);
    const renewed = await cli(['--json', 'mfa', 'recovery-codes']);
    expect(JSON.parse(renewed.stdout).recoveryCodes).toHaveLength(10);
    const removed = await cli(['mfa', 'remove', 'Phone']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed second factor "Phone"');
    expect(JSON.parse((await cli(['--json', 'mfa', 'list'])).stdout)).toEqual([]);
  });
});
