import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newIdentity, type TestApp } from '../helpers/app.js';
import { challengeOf, startSmtpServer } from '../helpers/smtp.js';
import { transportNames, transports, type Send } from '../helpers/transports.js';

// What novem's own CLI (novem-code/novem-python 0.6.x, novem/api_ref.py and novem/cli/)
// sends and reads, request for request: python-requests' headers, JSON bodies, no
// Authorization on login, the body text of whoami as the username, `message` on errors.
// Run in process and over a listening server.

const userAgent = 'NovemCli/0.6.2 Python/3.11.7';
/** What a requests.Session adds to every request. */
const requestsHeaders = { 'User-Agent': userAgent, 'Accept-Encoding': 'gzip, deflate', Accept: '*/*', Connection: 'keep-alive' };

/** novem's NovemAPI against an api_root ending in /v1/, as the CLI builds it. */
function novemClient(send: Send, token?: string) {
  const session = { ...requestsHeaders, ...(token && { Authorization: `Bearer ${token}` }) };
  return {
    /** NovemAPI.create_token: requests.post(json=params) with only the User-Agent from the session. */
    async createToken(params: Record<string, string>) {
      const response = await send('/v1/token', {
        method: 'POST',
        headers: { ...requestsHeaders, 'Content-Type': 'application/json' },
        body: JSON.stringify(params),
      });
      const body = (await response.json()) as Record<string, any>;
      return { ok: response.ok, status: response.status, body };
    },
    /** NovemAPI.read: session.get, the body as text. */
    async read(path: string) {
      const response = await send(`/v1/${path}`, { method: 'GET', headers: session });
      return { ok: response.ok, status: response.status, text: await response.text() };
    },
    /** cli/http.py: `--post PATH DATA` / `--delete PATH` through session.request, DATA as text/plain. */
    async request(method: string, path: string, data?: string) {
      const headers = data === undefined ? session : { ...session, 'Content-type': 'text/plain' };
      const response = await send(`/v1/${path}`, { method, headers, body: data });
      return { ok: response.ok, status: response.status, text: await response.text() };
    },
  };
}

/** `np-<host>-<8 char nonce>`, as _default_token_name makes it. */
const cliTokenName = (nonce: string) => `np-build-host-${nonce}`;
const loginRequest = (identity: { username: string; password: string }, tokenName: string) => ({
  username: identity.username,
  password: identity.password,
  token_name: tokenName,
  token_description: 'cli token created for "build-host" on "2026-12-03:06:40:00"',
});

let app: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
const via = transports();

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await createTestApp({ env: { SMTP_URL: smtp.url } });
  await via.open(app);
});
afterAll(async () => {
  via.close();
  await app.close();
  await smtp.close();
});

/** A novem account, its address proven through novem's own route: the uid from the mail to POST /v1/admin/challenge. */
async function novemAccount(send: Send) {
  const identity = newIdentity();
  const registered = await send('/v1/register', {
    method: 'POST',
    headers: { ...requestsHeaders, 'Content-Type': 'application/json' },
    body: JSON.stringify(identity),
  });
  expect(registered.status).toBe(201);
  await app.runtime.background.idle();
  const { uid } = challengeOf(smtp.mailsTo(identity.email).at(-1));
  return { identity, uid };
}

async function answerChallenge(send: Send, uid: string) {
  const answered = await send('/v1/admin/challenge', {
    method: 'POST',
    headers: { ...requestsHeaders, 'Content-Type': 'application/json' },
    body: JSON.stringify({ uid }),
  });
  expect(answered.status).toBe(200);
}

describe.each(transportNames)('novem CLI (%s)', (transport) => {
  const send = via.send(transport);

  it('--init before the address is proven: a 403 whose message names novem\'s challenge route, then it works', async () => {
    const { identity, uid } = await novemAccount(send);
    const refused = await novemClient(send).createToken(loginRequest(identity, cliTokenName('aaaa1111')));
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('POST /v1/admin/challenge');
    expect(refused.body.message).not.toMatch(/verifyEmail|resendVerification|mutation/);
    await answerChallenge(send, uid);
    expect((await novemClient(send).createToken(loginRequest(identity, cliTokenName('aaaa1111')))).status).toBe(201);
  });

  it('--init, the startup whoami, --init token, --refresh, admin/tokens, --delete and --post logout', async () => {
    const { identity, uid } = await novemAccount(send);
    await answerChallenge(send, uid);

    // novem --init: a wrong password is a 401 ("Invalid username and/or password"), with a message.
    const wrong = await novemClient(send).createToken(loginRequest({ ...identity, password: 'not the password' }, cliTokenName('k3x9a2bq')));
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toEqual(expect.any(String));

    const init = await novemClient(send).createToken(loginRequest(identity, cliTokenName('k3x9a2bq')));
    expect(init.ok).toBe(true);
    expect(init.body).toMatchObject({
      status: 'Success',
      token: expect.any(String),
      token_id: expect.any(String),
      token_name: cliTokenName('k3x9a2bq'),
      token_description: 'cli token created for "build-host" on "2026-12-03:06:40:00"',
      comment: expect.any(String),
    });
    const cli = novemClient(send, init.body.token);

    // _exit_if_token_rejected: GET whoami before every command; 200 and the body text is the username.
    const whoami = await cli.read('whoami');
    expect(whoami).toMatchObject({ status: 200, text: identity.username });

    // novem --init token: whoami's text as the username, then token's JSON for token_name.
    const pasted = novemClient(send, init.body.token);
    expect((await pasted.read('whoami')).text.trim()).toBe(identity.username);
    const tokenInfo = JSON.parse((await pasted.read('token')).text);
    expect(tokenInfo).toMatchObject({ valid: true, token_name: cliTokenName('k3x9a2bq'), token_id: init.body.token_id, kind: 'api_key' });

    // novem --refresh: a new token by a new name; the same name again is a 409 with a message.
    const again = await novemClient(send).createToken(loginRequest(identity, cliTokenName('k3x9a2bq')));
    expect(again.status).toBe(409);
    expect(again.body.message).toContain(cliTokenName('k3x9a2bq'));
    const refreshed = await novemClient(send).createToken(loginRequest(identity, cliTokenName('p0q1r2s3')));
    expect(refreshed.status).toBe(201);
    const current = novemClient(send, refreshed.body.token);

    // novem --get admin/tokens and the folder's entries, with the token the CLI holds.
    const listed = await current.read('admin/tokens');
    expect(listed.status).toBe(200);
    expect(JSON.parse(listed.text).map((token: { name: string }) => token.name)).toEqual(
      expect.arrayContaining([cliTokenName('k3x9a2bq'), cliTokenName('p0q1r2s3')]),
    );
    expect((await current.read(`admin/tokens/${cliTokenName('k3x9a2bq')}/info`)).status).toBe(200);
    expect((await current.read(`admin/tokens/${cliTokenName('k3x9a2bq')}/log`)).status).toBe(200);

    // novem --delete admin/tokens/<name>: the old token stops working; the startup whoami says so with a 401.
    expect((await current.request('DELETE', `admin/tokens/${cliTokenName('k3x9a2bq')}`)).status).toBe(200);
    expect((await cli.read('whoami')).status).toBe(401);

    // novem --post logout '' (DATA is required; an empty stdin gives an empty text/plain body): the token is revoked.
    const logout = await current.request('POST', 'logout', '');
    expect(logout.status).toBe(200);
    expect((await current.read('whoami')).status).toBe(401);
    const afterwards = JSON.parse((await current.read('token')).text);
    expect(afterwards.message).toEqual(expect.any(String));
  });

  it('a bad token name is a 422 with a message the CLI can print, and mints nothing', async () => {
    const { identity, uid } = await novemAccount(send);
    await answerChallenge(send, uid);
    const before = await app.runtime.db.apiKey.count();
    const refused = await novemClient(send).createToken(loginRequest(identity, 'NP host/1'));
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/^token_name: must start with a lower-case letter/);
    expect(await app.runtime.db.apiKey.count()).toBe(before);
  });
});
