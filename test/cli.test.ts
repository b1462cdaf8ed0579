import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import cliPackage from '../packages/cli/package.json' with { type: 'json' };
import { exitCodes } from '../src/cli/errors.js';
import { newIdentity } from './helpers/app.js';
import { refreshMutation, registerMutation, whoamiQuery } from './helpers/flows.js';
import { startServerProcess } from './helpers/server-process.js';

const root = new URL('../', import.meta.url);
const configDirs: string[] = [];

/** A fresh XDG_CONFIG_HOME: one "machine" the CLI runs on. */
function newMachine() {
  const dir = mkdtempSync(join(tmpdir(), 'authgraph-cli-'));
  configDirs.push(dir);
  const file = join(dir, 'authgraph', 'config.json');
  return {
    dir,
    file,
    config: () => JSON.parse(readFileSync(file, 'utf8')) as { server?: string; sessions: Record<string, any> },
    write: (config: unknown) => writeFileSync(file, JSON.stringify(config)),
  };
}
type Machine = ReturnType<typeof newMachine>;

/** Runs the bundled binary (built by test/global-setup.ts) as a user would: `node dist/cli.js ...`. */
function cli(machine: Machine, args: string[], stdin = '') {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], {
      cwd: root,
      env: { ...process.env, XDG_CONFIG_HOME: machine.dir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'vitest', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
}

async function registered(url: string) {
  const identity = newIdentity();
  const result = await gql(url, registerMutation, { input: identity });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return identity;
}

/** The code of the newest mail to `email` whose subject matches, from DATA_DIR/outbox where the server writes mail without SMTP_URL. */
async function mailedCode(dataDir: string, email: string, subject: RegExp) {
  const outbox = join(dataDir, 'outbox');
  return vi.waitFor(
    () => {
      for (const file of (existsSync(outbox) ? readdirSync(outbox) : []).sort().reverse()) {
        const mail = readFileSync(join(outbox, file), 'utf8');
        const found = mail.includes(`To: ${email}`) && subject.test(mail) && /Your code: (\d{6})/.exec(mail)?.[1];
        if (found) return found;
      }
      throw new Error(`no mail to ${email} yet`);
    },
    { timeout: 5_000, interval: 100 },
  );
}
const verificationMail = /^Subject: Verify/m;
const recoveryMail = /^Subject: Reset/m;

/** API keys need a proven address. */
async function verifyEmail(url: string, dataDir: string, email: string) {
  const code = await mailedCode(dataDir, email, verificationMail);
  const verified = await gql(url, 'mutation Verify($email: EmailAddress!, $code: String!) { verifyEmail(email: $email, code: $code) }', {
    email,
    code,
  });
  if (!verified.data?.verifyEmail) throw new Error(JSON.stringify(verified.errors));
}

/** A machine signed in to `url` as a new user. */
async function signedIn(url: string) {
  const machine = newMachine();
  const identity = await registered(url);
  const login = await cli(machine, ['--server', url, 'login', identity.username], `${identity.password}\n`);
  if (login.code !== 0) throw new Error(login.stderr);
  return { machine, identity };
}

let server: Awaited<ReturnType<typeof startServerProcess>>;
beforeAll(async () => {
  server = await startServerProcess({ API_KEY_PERMISSIONS: 'cameras:read,exports:run' });
});
afterAll(async () => {
  await server.destroy();
  for (const dir of configDirs) rmSync(dir, { recursive: true, force: true });
});

describe('authgraph login, whoami, logout', () => {
  it('signs in with the password from stdin and keeps the tokens in a 0600 file in a 0700 directory', async () => {
    const machine = newMachine();
    const identity = await registered(server.url);
    const login = await cli(machine, ['--server', server.url, 'login', identity.username], `${identity.password}\n`);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`as ${identity.username}`);
    expect(statSync(machine.file).mode & 0o777).toBe(0o600);
    expect(statSync(join(machine.dir, 'authgraph')).mode & 0o777).toBe(0o700);
    const config = machine.config();
    expect(config.server).toBe(server.url);
    expect(config.sessions[server.url]).toMatchObject({ username: identity.username, refreshToken: expect.stringMatching(/^rt_/) });
    expect(readFileSync(machine.file, 'utf8')).not.toContain(identity.password);
  });

  it('refuses a wrong password with exit code 3 and stores nothing', async () => {
    const machine = newMachine();
    const identity = await registered(server.url);
    const login = await cli(machine, ['--server', server.url, 'login', identity.username], 'not the password\n');
    expect(login.code).toBe(exitCodes.unauthenticated);
    expect(login.stderr).toContain('Invalid username or password');
    expect(() => machine.config()).toThrow();
  });

  it('asks for the username as an argument when the password comes from stdin', async () => {
    const result = await cli(newMachine(), ['--server', server.url, 'login'], 'password\n');
    expect(result.code).toBe(exitCodes.usage);
    expect(result.stderr).toContain('username');
  });

  it('answers whoami against the stored server, in words and as JSON', async () => {
    const { machine, identity } = await signedIn(server.url);
    const human = await cli(machine, ['whoami']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`${identity.username} <${identity.email}>`);
    const json = await cli(machine, ['whoami', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ user: { username: identity.username }, credential: { kind: 'SESSION' } });
  });

  it('logs out: the session ends on the server and the tokens leave the file', async () => {
    const { machine } = await signedIn(server.url);
    const { refreshToken } = machine.config().sessions[server.url];
    const logout = await cli(machine, ['logout']);
    expect(logout.code).toBe(0);
    expect(machine.config().sessions).toEqual({});
    expect((await gql(server.url, refreshMutation, { refreshToken })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const whoami = await cli(machine, ['whoami']);
    expect(whoami.code).toBe(exitCodes.unauthenticated);
    expect(whoami.stderr).toContain('Not signed in');
  });
});

describe('automatic refresh', () => {
  it('refreshes and retries once when the server refuses the stored access token, saving the rotated pair', async () => {
    const { machine, identity } = await signedIn(server.url);
    const before = machine.config();
    before.sessions[server.url].accessToken = 'not-a-valid-token';
    machine.write(before);
    const whoami = await cli(machine, ['whoami', '--json']);
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout).user.username).toBe(identity.username);
    const after = machine.config().sessions[server.url];
    expect(after.refreshToken).not.toBe(before.sessions[server.url].refreshToken);
    expect(after.accessToken).not.toBe('not-a-valid-token');
    expect(statSync(machine.file).mode & 0o777).toBe(0o600);
  });

  it('refreshes before calling once the access token has expired', async () => {
    // The CLI decides from the expiry it stored at login (now + expiresIn) against its own clock, so the
    // test moves that stored expiry into the past rather than waiting out a short TTL. The server still
    // accepts the stored access token: had the CLI called with it first, the call would have succeeded
    // and no refresh would have happened, so a rotated pair proves the refresh came before the call.
    const { machine, identity } = await signedIn(server.url);
    const before = machine.config();
    const stored = before.sessions[server.url];
    expect(Date.parse(stored.accessTokenExpiresAt)).toBeGreaterThan(Date.now());
    expect((await gql(server.url, whoamiQuery, {}, { authorization: `Bearer ${stored.accessToken}` })).data?.whoami.user.username).toBe(
      identity.username,
    );
    stored.accessTokenExpiresAt = new Date(Date.now() - 60_000).toISOString();
    machine.write(before);

    const whoami = await cli(machine, ['whoami']);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toContain(identity.username);
    const after = machine.config().sessions[server.url];
    expect(after.refreshToken).not.toBe(stored.refreshToken);
    expect(after.accessToken).not.toBe(stored.accessToken);
    expect(Date.parse(after.accessTokenExpiresAt)).toBeGreaterThan(Date.now());
  });

  it('says the session has ended, with exit code 3, when the refresh is refused, and forgets the tokens', async () => {
    const { machine } = await signedIn(server.url);
    const stored = machine.config().sessions[server.url];
    await gql(server.url, 'mutation { logout }', {}, { authorization: `Bearer ${stored.accessToken}` });
    const whoami = await cli(machine, ['whoami']);
    expect(whoami.code).toBe(exitCodes.unauthenticated);
    expect(whoami.stderr).toContain('has ended');
    expect(machine.config().sessions).toEqual({});
  });
});

describe('authgraph keys', () => {
  let machine: Machine;
  beforeAll(async () => {
    let identity;
    ({ machine, identity } = await signedIn(server.url));
    await verifyEmail(server.url, server.dataDir, identity.email);
  });

  const createKey = async (name: string, ...options: string[]) => {
    const created = await cli(machine, ['keys', 'create', name, '--json', ...options]);
    expect(created.code).toBe(0);
    return JSON.parse(created.stdout) as { apiKey: { id: string; prefix: string }; rawKey: string };
  };

  it('creates a key and shows its whole value once, with a warning on stderr', async () => {
    const created = await cli(machine, ['keys', 'create', 'deploy', '--scope', 'account:read', '--expires', '30d']);
    expect(created.code).toBe(0);
    const rawKey = created.stdout.trim().split('\n').at(-1)!;
    expect(rawKey).toMatch(/^sk_live_/);
    expect(created.stderr).toContain('shown only this once');
    const whoami = await gql(server.url, whoamiQuery, {}, { 'x-api-key': rawKey });
    expect(whoami.data.whoami.credential.kind).toBe('API_KEY');
  });

  it('creates TEST keys with --test', async () => {
    const { rawKey, apiKey } = await createKey('sandbox', '--test');
    expect(rawKey).toMatch(/^sk_test_/);
    expect(apiKey.prefix).toMatch(/^sk_test_/);
  });

  it('lists keys with their prefix but never the secret', async () => {
    const { apiKey, rawKey } = await createKey('listed');
    const human = await cli(machine, ['keys', 'list']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`${apiKey.id}\\s+listed\\s+${apiKey.prefix}\\s+active`));
    const json = await cli(machine, ['keys', 'list', '--json']);
    expect(JSON.parse(json.stdout).map((key: { id: string }) => key.id)).toContain(apiKey.id);
    expect(human.stdout + json.stdout).not.toContain(rawKey);
  });

  it("shows a key's details, and exit code 1 for a key that is not there", async () => {
    const { apiKey } = await createKey('inspected', '--scope', 'tokens:read');
    const info = await cli(machine, ['keys', 'info', apiKey.id, '--json']);
    expect(JSON.parse(info.stdout)).toMatchObject({ id: apiKey.id, name: 'inspected', scopes: ['tokens:read'], isActive: true });
    const human = await cli(machine, ['keys', 'info', apiKey.id]);
    expect(human.stdout).toMatch(/scopes\s+tokens:read/);
    const missing = await cli(machine, ['keys', 'info', '00000000-0000-0000-0000-000000000000']);
    expect(missing.code).toBe(exitCodes.failed);
    expect(missing.stderr).toContain('No API key');
  });

  it("pages through a key's activity log", async () => {
    const { apiKey, rawKey } = await createKey('logged');
    await gql(server.url, whoamiQuery, {}, { 'x-api-key': rawKey });
    await gql(server.url, whoamiQuery, {}, { authorization: `Bearer ${rawKey}` });
    // The log is written in batches about once a second.
    let events: { action: string }[] = [];
    for (let attempt = 0; attempt < 20 && events.length < 3; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      events = JSON.parse((await cli(machine, ['keys', 'log', apiKey.id, '--json'])).stdout).events;
    }
    expect(events.map((event) => event.action)).toEqual(['request', 'request', 'create']);
    const firstPage = JSON.parse((await cli(machine, ['keys', 'log', apiKey.id, '--first', '2', '--json'])).stdout);
    expect(firstPage.events).toHaveLength(2);
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    const secondPage = await cli(machine, ['keys', 'log', apiKey.id, '--first', '2', '--after', firstPage.nextCursor]);
    expect(secondPage.stdout).toMatch(/create\s+-\s+success/);
    expect(secondPage.stdout).not.toMatch(/request/);
    const human = await cli(machine, ['keys', 'log', apiKey.id, '--first', '1']);
    expect(human.stderr).toContain('--after');
  });

  it('revokes a key: the next call with it is refused', async () => {
    const { apiKey, rawKey } = await createKey('revoked');
    const revoke = await cli(machine, ['keys', 'revoke', apiKey.id]);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toContain('Revoked key "revoked"');
    expect((await gql(server.url, whoamiQuery, {}, { 'x-api-key': rawKey })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const info = JSON.parse((await cli(machine, ['keys', 'info', apiKey.id, '--json'])).stdout);
    expect(info).toMatchObject({ isActive: false, revokedAt: expect.any(String) });
  });

  it('says why the server refuses a key to an unverified address, with exit code 1', async () => {
    const { machine: unverified } = await signedIn(server.url);
    const result = await cli(unverified, ['keys', 'create', 'too-early']);
    expect(result.code).toBe(exitCodes.failed);
    expect(result.stderr).toContain('authgraph: Verify your e-mail address first');
  });

  it('reports invalid input with the server message, as JSON on stderr with --json', async () => {
    const result = await cli(machine, ['keys', 'create', 'bad', '--scope', 'no:such-scope', '--json']);
    expect(result.code).toBe(exitCodes.failed);
    expect(JSON.parse(result.stderr).error).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ field: expect.any(String) })] });
  });
});

describe('authgraph register, verify, forgot-password', () => {
  const newcomer = () => newIdentity();

  it('registers with the password from stdin, verifies the address with the mailed code, and then mints keys', async () => {
    const machine = newMachine();
    const identity = newcomer();
    const register = await cli(machine, ['--server', server.url, 'register', identity.username, identity.email], `${identity.password}\n`);
    expect(register.code).toBe(0);
    expect(register.stdout).toContain(`Registered ${identity.username} <${identity.email}>`);
    expect(register.stderr).toContain(`authgraph verify ${identity.email}`);

    const wrong = await cli(machine, ['--server', server.url, 'verify', identity.email, '000000']);
    expect(wrong.code).toBe(exitCodes.failed);
    const code = await mailedCode(server.dataDir, identity.email, verificationMail);
    const verify = await cli(machine, ['--server', server.url, 'verify', identity.email, code]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`Verified ${identity.email}`);

    expect((await cli(machine, ['--server', server.url, 'login', identity.username], `${identity.password}\n`)).code).toBe(0);
    expect((await cli(machine, ['keys', 'create', 'first'])).code).toBe(0);
  });

  it('shows why a password is refused, field by field', async () => {
    const identity = newcomer();
    const register = await cli(newMachine(), ['--server', server.url, 'register', identity.username, identity.email], 'password\n');
    expect(register.code).toBe(exitCodes.failed);
    expect(register.stderr).toMatch(/\n {2}password: \S/);
  });

  it('asks for the code as an argument when there is no terminal', async () => {
    const verify = await cli(newMachine(), ['--server', server.url, 'verify', 'someone@example.com']);
    expect(verify.code).toBe(exitCodes.usage);
    expect(verify.stderr).toContain('the code');
  });

  it('resets a forgotten password in two steps: the mail, then the code with the new password on stdin', async () => {
    const { machine, identity } = await signedIn(server.url);
    const request = await cli(machine, ['forgot-password', identity.email]);
    expect(request.code).toBe(0);
    expect(request.stderr).toContain('--code');
    const code = await mailedCode(server.dataDir, identity.email, recoveryMail);
    const newPassword = `${identity.password} renewed`;
    const reset = await cli(machine, ['forgot-password', identity.email, '--code', code], `${newPassword}\n`);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('changed');
    // Every session ended with the reset, this machine's included.
    expect((await cli(machine, ['whoami'])).code).toBe(exitCodes.unauthenticated);
    expect((await cli(machine, ['login', identity.username], `${identity.password}\n`)).code).toBe(exitCodes.unauthenticated);
    expect((await cli(machine, ['login', identity.username], `${newPassword}\n`)).code).toBe(0);
  });
});

describe('authgraph keys by name, and keys roll', () => {
  let machine: Machine;
  beforeAll(async () => {
    let identity;
    ({ machine, identity } = await signedIn(server.url));
    await verifyEmail(server.url, server.dataDir, identity.email);
  });

  const createKey = async (name: string) => {
    const created = await cli(machine, ['keys', 'create', name, '--json']);
    expect(created.code).toBe(0);
    return JSON.parse(created.stdout) as { apiKey: { id: string }; rawKey: string };
  };
  const keyWorks = async (rawKey: string) => (await gql(server.url, whoamiQuery, {}, { 'x-api-key': rawKey })).data?.whoami !== undefined;

  it('rolls a key named by its name: a new secret shown once, the old one refused at once', async () => {
    const { apiKey, rawKey } = await createKey('ci');
    const roll = await cli(machine, ['keys', 'roll', 'ci']);
    expect(roll.code).toBe(0);
    expect(roll.stdout).toContain(`Rolled key "ci" (${apiKey.id})`);
    expect(roll.stderr).toContain('shown only this once');
    const newKey = roll.stdout.trim().split('\n').at(-1)!;
    expect(newKey).toMatch(/^sk_live_/);
    expect(await keyWorks(newKey)).toBe(true);
    expect(await keyWorks(rawKey)).toBe(false);
  });

  it('keeps the old secret working through --grace', async () => {
    const { apiKey, rawKey } = await createKey('graceful');
    const roll = await cli(machine, ['keys', 'roll', apiKey.id, '--grace', '1h', '--json']);
    expect(roll.code).toBe(0);
    const { rawKey: newKey } = JSON.parse(roll.stdout) as { rawKey: string };
    expect(await keyWorks(newKey)).toBe(true);
    expect(await keyWorks(rawKey)).toBe(true);
    const badGrace = await cli(machine, ['keys', 'roll', apiKey.id, '--grace', 'soon']);
    expect(badGrace.code).toBe(exitCodes.usage);
  });

  it('updates a key by name: permissions, rate limit and budget, then renames it', async () => {
    const { apiKey } = await createKey('camera-app');
    const update = await cli(machine, ['keys', 'update', 'camera-app', '--permissions', 'cameras:read,exports:run', '--rate-limit', '1000/1h', '--usage', '500/daily', '--name', 'cameras']);
    expect(update.code).toBe(0);
    expect(update.stdout).toContain(`Updated key "cameras" (${apiKey.id})`);
    const info = JSON.parse((await cli(machine, ['keys', 'info', 'cameras', '--json'])).stdout) as { permissions: string[] };
    expect(info.permissions).toEqual(['cameras:read', 'exports:run']);
    expect((await cli(machine, ['keys', 'update', 'cameras', '--rate-limit', 'fast'])).code).toBe(exitCodes.usage);
    expect((await cli(machine, ['keys', 'update', 'cameras', '--permissions', 'printers:read'])).code).toBe(exitCodes.failed);
  });

  it('shows and revokes a key by name; a revoked namesake does not make the name ambiguous', async () => {
    const old = await createKey('deploy');
    expect((await cli(machine, ['keys', 'revoke', 'deploy'])).code).toBe(0);
    const current = await createKey('deploy');
    const info = JSON.parse((await cli(machine, ['keys', 'info', 'deploy', '--json'])).stdout) as { id: string };
    expect(info.id).toBe(current.apiKey.id);
    expect(info.id).not.toBe(old.apiKey.id);
  });

  it('refuses an unknown name with exit code 1, and an ambiguous one with exit code 2 and the ids to choose from', async () => {
    const unknown = await cli(machine, ['keys', 'revoke', 'no-such-key']);
    expect(unknown.code).toBe(exitCodes.failed);
    expect(unknown.stderr).toContain('No API key named "no-such-key"');
    const first = await createKey('twin');
    const second = await createKey('twin');
    const ambiguous = await cli(machine, ['keys', 'info', 'twin']);
    expect(ambiguous.code).toBe(exitCodes.usage);
    expect(ambiguous.stderr).toContain('2 API keys are named "twin"');
    expect(ambiguous.stderr).toContain(first.apiKey.id);
    expect(ambiguous.stderr).toContain(second.apiKey.id);
    const json = await cli(machine, ['keys', 'info', 'twin', '--json']);
    expect(JSON.parse(json.stderr).error.code).toBe('AMBIGUOUS');
  });
});

describe('authgraph sessions', () => {
  it('lists sign-ins with the current one marked, and revokes another machine’s', async () => {
    const { machine: laptop, identity } = await signedIn(server.url);
    const desktop = newMachine();
    expect((await cli(desktop, ['--server', server.url, 'login', identity.username], `${identity.password}\n`)).code).toBe(0);

    const sessions = JSON.parse((await cli(laptop, ['sessions', 'list', '--json'])).stdout) as { id: string; current: boolean }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    const human = await cli(laptop, ['sessions', 'list']);
    expect(human.stdout).toMatch(/^\*\s+\S+\s+authgraph-cli/m);

    const other = sessions.find((session) => !session.current)!;
    const revoke = await cli(laptop, ['sessions', 'revoke', other.id]);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toContain(`Ended session ${other.id}`);
    expect((await cli(desktop, ['whoami'])).code).toBe(exitCodes.unauthenticated);
    expect((await cli(laptop, ['whoami'])).code).toBe(0);
  });

  it('signs this machine out when it revokes its own session', async () => {
    const { machine } = await signedIn(server.url);
    const [current] = JSON.parse((await cli(machine, ['sessions', 'list', '--json'])).stdout) as { id: string }[];
    const revoke = await cli(machine, ['sessions', 'revoke', current!.id]);
    expect(revoke.stdout).toContain('you are signed out');
    expect(machine.config().sessions).toEqual({});
  });
});

describe('authgraph account, users and audit', () => {
  it('sets the name, exports the data and deletes the account', async () => {
    const { machine, identity } = await signedIn(server.url);
    const named = await cli(machine, ['account', 'set-name', 'Ada Lovelace']);
    expect(named).toMatchObject({ code: 0, stdout: 'Your name is now Ada Lovelace.\n' });
    const exported = await cli(machine, ['account', 'export']);
    expect(exported.code).toBe(0);
    expect(JSON.stringify(JSON.parse(exported.stdout))).toContain(identity.username);
    expect((await cli(machine, ['account', 'delete'])).code).toBe(exitCodes.usage);
    const deleted = await cli(machine, ['account', 'delete', '--yes']);
    expect(deleted).toMatchObject({ code: 0, stdout: `Deleted ${identity.username}; you are signed out.\n` });
    const again = newMachine();
    expect((await cli(again, ['--server', server.url, 'login', identity.username], `${identity.password}\n`)).code).toBe(exitCodes.unauthenticated);
  });

  it('lets an admin find an account, change its plan, disable and enable it, and read who did it in the audit log', async () => {
    const admin = await signedIn(server.url);
    await promisify(execFile)('npx', ['tsx', 'scripts/admin.ts', 'grant', admin.identity.username], {
      cwd: root,
      env: { ...process.env, DATA_DIR: server.dataDir, DATABASE_URL: server.databaseUrl, LOG_LEVEL: 'warn' },
    });
    const target = await signedIn(server.url);
    const listed = JSON.parse((await cli(admin.machine, ['users', 'list', '--query', target.identity.username, '--json'])).stdout) as { nodes: { username: string }[] };
    expect(listed.nodes.map((user) => user.username)).toEqual([target.identity.username]);

    expect((await cli(admin.machine, ['users', 'set-plan', target.identity.username, 'pro'])).stdout).toContain(', pro, active');
    const disabled = await cli(admin.machine, ['users', 'disable', target.identity.username, '--until', '7d']);
    expect(disabled.stdout).toMatch(/disabled until \d{4}-/);
    expect((await cli(target.machine, ['whoami'])).code).toBe(exitCodes.unauthenticated);
    expect((await cli(admin.machine, ['users', 'enable', target.identity.username])).stdout).toContain(', active');
    const shown = await cli(admin.machine, ['users', 'show', target.identity.username]);
    expect(shown.stdout).toContain('sessions: 0');

    const adminId = JSON.parse((await cli(admin.machine, ['whoami', '--json'])).stdout).user.id as string;
    await expect
      .poll(async () => {
        const log = JSON.parse((await cli(admin.machine, ['audit', 'log', '--action', 'plan-changed', '--since', '1h', '--json'])).stdout) as { actorId: string; userId: string }[];
        return log.find((entry) => entry.actorId === adminId);
      }, { timeout: 30_000, interval: 500 })
      .toBeDefined();
    // Disabling ended the target's sessions; signed in again, it is no admin.
    expect((await cli(target.machine, ['login', target.identity.username], `${target.identity.password}\n`)).code).toBe(0);
    expect((await cli(target.machine, ['users', 'list'])).code).toBe(exitCodes.failed);
  });
});

describe('usage and failures', () => {
  it('exits 2 with a hint on an unknown command or a missing argument', async () => {
    const unknown = await cli(newMachine(), ['frobnicate']);
    expect(unknown.code).toBe(exitCodes.usage);
    expect(unknown.stderr).toContain('authgraph --help');
    const missing = await cli(newMachine(), ['keys', 'info']);
    expect(missing.code).toBe(exitCodes.usage);
    expect(missing.stderr).toContain('usage: authgraph keys info [options] <key>');
    const badOption = await cli(newMachine(), ['whoami', '--scope', 'x']);
    expect(badOption.code).toBe(exitCodes.usage);
  });

  it('exits 4 when the server cannot be reached', async () => {
    const machine = newMachine();
    const result = await cli(machine, ['--server', 'http://127.0.0.1:9', 'login', 'someone'], 'password\n');
    expect(result.code).toBe(exitCodes.unreachable);
    expect(result.stderr).toContain('Cannot reach http://127.0.0.1:9');
  });

  it('prints every command with --help, and exits 0', async () => {
    const help = await cli(newMachine(), ['--help']);
    expect(help.code).toBe(0);
    const commands = ['register', 'verify', 'login', 'whoami', 'logout', 'forgot-password', 'completion'];
    for (const command of [...commands, 'keys create', 'keys list', 'keys info', 'keys log', 'keys revoke', 'keys roll', 'keys update', 'sessions list', 'sessions revoke']) {
      expect(help.stdout).toContain(command);
    }
  });

  it('prints the version of @authgraph/cli with --version, and exits 0', async () => {
    const version = await cli(newMachine(), ['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${cliPackage.version}\n` });
  });
});

describe('authgraph completion', () => {
  /** What bash offers after `words` (the last one being completed), with the script eval'd as the README says. */
  async function bashCompletes(words: string[]) {
    const script = (await cli(newMachine(), ['completion', 'bash'])).stdout;
    const run = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _authgraph; echo "\${COMPREPLY[*]}"`], {
      encoding: 'utf8',
    });
    return run.stdout.trim().split(' ');
  }

  it('completes commands, subcommands and options in bash, past options and their values', async () => {
    expect(await bashCompletes(['authgraph', ''])).toEqual(expect.arrayContaining(['register', 'keys', 'sessions', '--server']));
    expect(await bashCompletes(['authgraph', 'keys', 'r'])).toEqual(['revoke', 'roll']);
    expect(await bashCompletes(['authgraph', 'completion', ''])).toEqual(expect.arrayContaining(['bash', 'zsh']));
    expect(await bashCompletes(['authgraph', '--server', 'http://localhost:4000', 'keys', 'roll', 'deploy', '--'])).toEqual(
      expect.arrayContaining(['--grace', '--json', '--help']),
    );
  });

  it('prints a zsh script, and exits 2 for a shell it does not know', async () => {
    const zsh = await cli(newMachine(), ['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toContain('compdef _authgraph authgraph');
    const fish = await cli(newMachine(), ['completion', 'fish']);
    expect(fish.code).toBe(exitCodes.usage);
    expect(fish.stderr).toContain('bash, zsh');
  });
});
