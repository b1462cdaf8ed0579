import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodes } from '../src/cli/errors.js';
import { newIdentity } from './helpers/app.js';
import { registerMutation } from './helpers/flows.js';
import { startServerProcess } from './helpers/server-process.js';
import { challengeOf, startSmtpServer } from './helpers/smtp.js';

// Issue 26: `authgraph login --email-code`: the address, a mailed code, the session stored as `login` stores it.
const root = new URL('../', import.meta.url);
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let server: Awaited<ReturnType<typeof startServerProcess>>;
let home: string;
beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startServerProcess({ REQUIRE_VERIFIED_EMAIL: 'false', SMTP_URL: smtp.url });
  home = mkdtempSync(join(tmpdir(), 'authgraph-cli-passwordless-'));
});
afterAll(async () => {
  await server.destroy();
  await smtp.close();
  rmSync(home, { recursive: true, force: true });
});

/** Runs the CLI; `answer` writes its stdin once it is running (the code arrives by mail after the request). */
function cli(args: string[], answer: () => Promise<string> = async () => '') {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', '--server', server.url, ...args], { cwd: root, env: { ...process.env, XDG_CONFIG_HOME: home } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    void answer().then((text) => child.stdin.end(text));
  });
}

describe('authgraph login --email-code', () => {
  it('requests a code for the address, reads it from stdin and stores the session', async () => {
    const identity = newIdentity();
    await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: registerMutation, variables: { input: identity } }),
    });
    const signInMail = async () => {
      for (;;) {
        const mail = await smtp.nextMailTo(identity.email);
        if (/sign-in code/.test(mail.subject)) return mail;
      }
    };
    const mailed = signInMail();
    const signedIn = await cli(['login', '--email-code', identity.email], async () => `${challengeOf(await mailed).code}\n`);
    expect(signedIn.stderr).toBe('');
    expect(signedIn.code).toBe(0);
    expect(signedIn.stdout).toContain(`as ${identity.username}`);
    const whoami = await cli(['--json', 'whoami']);
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout).user.username).toBe(identity.username);
  });

  it('a wrong code signs nobody in and exits with the refusal', async () => {
    await cli(['logout']);
    const failed = await cli(['login', '--email-code', newIdentity().email], async () => '000000\n');
    expect(failed.code).not.toBe(0);
    expect(failed.code).not.toBe(exitCodes.usage);
    expect(failed.stderr).toMatch(/code/);
    expect((await cli(['whoami'])).code).toBe(exitCodes.unauthenticated);
  });
});
