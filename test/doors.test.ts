import { describe, expect, it } from 'vitest';
import { setAccountDisabled } from '../src/accounts/disable.js';
import { codes, type ErrorCode } from '../src/errors.js';
import { newIdentity } from './helpers/app.js';
import { createKey, verifiedSession } from './helpers/apikeys.js';
import { loginMutation, registerUser, type Identity } from './helpers/flows.js';
import { appWithTransports, transportNames, type Send } from './helpers/transports.js';

// The same rules, asked through both doors: each case runs through GraphQL and through
// REST (NovaVMS's login and refresh, novem's logout and whoami), in process and over a
// listening server, and must give the same outcome.

type Cookie = { value: string; path: string; maxAge: number; httpOnly: boolean; sameSite: string };
type Outcome = { status: number; code?: ErrorCode; accessToken?: string; refreshInBody?: string | null; cookies: Cookie[] };
type WhoamiOutcome = { code?: ErrorCode; username?: string | null; credentialKind?: 'SESSION' | 'API_KEY' };
type Door = {
  name: string;
  refreshPath: string;
  login(identity: Identity, clientType: 'API' | 'BROWSER'): Promise<Outcome>;
  refresh(presented: { cookie?: string; bearer?: string }): Promise<Outcome>;
  logout(headers: Record<string, string>): Promise<Outcome>;
  whoami(headers: Record<string, string>): Promise<WhoamiOutcome>;
};

function cookiesOf(response: Response): Cookie[] {
  return response.headers.getSetCookie().map((line) => {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const attribute = (name: string) => attributes.find((part) => part.toLowerCase().startsWith(name.toLowerCase()));
    return {
      value: pair.slice(pair.indexOf('=') + 1),
      path: attribute('Path=')?.slice(5) ?? '',
      maxAge: Number(attribute('Max-Age=')?.slice(8)),
      httpOnly: attribute('HttpOnly') !== undefined,
      sameSite: attribute('SameSite=')?.slice(9) ?? '',
    };
  });
}

const refreshHeaders = ({ cookie, bearer }: { cookie?: string; bearer?: string }): Record<string, string> => ({
  ...(cookie && { cookie: `authgraph_refresh=${cookie}` }),
  ...(bearer && { authorization: `Bearer ${bearer}` }),
});

function graphqlDoor(send: Send): Door {
  const gql = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const response = await send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'doors', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: { extensions?: { code?: ErrorCode } }[] };
    return { response, body, code: body.errors?.[0]?.extensions?.code };
  };
  const tokens = async (operation: Promise<Awaited<ReturnType<typeof gql>>>, field: string): Promise<Outcome> => {
    const { response, body, code } = await operation;
    const payload = body.data?.[field];
    return { status: response.status, code, accessToken: payload?.accessToken, refreshInBody: payload?.refreshToken, cookies: cookiesOf(response) };
  };
  return {
    name: 'GraphQL',
    refreshPath: '/graphql',
    login: (identity, clientType) =>
      tokens(gql(loginMutation, { input: { username: identity.username, password: identity.password, clientType } }), 'login'),
    refresh: (presented) =>
      tokens(gql('mutation { refresh { accessToken refreshToken } }', {}, refreshHeaders(presented)), 'refresh'),
    logout: async (headers) => {
      const { response, code } = await gql('mutation { logout }', {}, headers);
      return { status: response.status, code, cookies: cookiesOf(response) };
    },
    whoami: async (headers) => {
      const { body, code } = await gql('{ whoami { user { username } credential { kind } } }', {}, headers);
      const whoami = body.data?.whoami;
      return { code, username: whoami?.user?.username ?? (whoami ? null : undefined), credentialKind: whoami?.credential.kind };
    },
  };
}

function restDoor(send: Send): Door {
  const rest = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const response = await send(path, {
      method,
      headers: { 'user-agent': 'doors', ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as any;
    return { response, json, code: response.ok ? undefined : (json.code as ErrorCode) };
  };
  const tokens = async (operation: ReturnType<typeof rest>): Promise<Outcome> => {
    const { response, json, code } = await operation;
    return { status: response.status, code, accessToken: json.access_token, refreshInBody: json.refresh_token ?? null, cookies: cookiesOf(response) };
  };
  return {
    name: 'REST',
    refreshPath: '/api/auth/refresh',
    login: (identity, clientType) =>
      tokens(rest('POST', '/api/auth/login', {}, { email: identity.email, password: identity.password, client_type: clientType.toLowerCase() })),
    refresh: (presented) => tokens(rest('POST', '/api/auth/refresh', refreshHeaders(presented))),
    logout: async (headers) => {
      const { response, code } = await rest('POST', '/v1/logout', headers);
      return { status: response.status, code, cookies: cookiesOf(response) };
    },
    whoami: async (headers) => {
      const { json, code } = await rest('GET', '/v1/whoami', { accept: 'application/json', ...headers });
      if (code) return { code };
      return { username: json.user?.username ?? null, credentialKind: json.credential.kind === 'session' ? 'SESSION' : 'API_KEY' };
    },
  };
}

const opened = appWithTransports();
const { via } = opened;

const cases = ['GraphQL', 'REST'].flatMap((door) => transportNames.map((transport) => ({ door, transport })));

function doorFor({ door, transport }: (typeof cases)[number]): Door {
  const send = via.send(transport);
  return door === 'GraphQL' ? graphqlDoor(send) : restDoor(send);
}

async function newUser() {
  const { identity } = await registerUser(opened.app, newIdentity());
  return identity;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(cases)('$door, $transport', (where) => {
  const door = () => doorFor(where);

  it('an API login carries the refresh token in the body and sets no cookie', async () => {
    const login = await door().login(await newUser(), 'API');
    expect(login).toMatchObject({ status: 200, refreshInBody: expect.stringMatching(/^rt_/), cookies: [] });
  });

  it("a BROWSER login sets the refresh cookie on the door's refresh path and keeps the token out of the body", async () => {
    const login = await door().login(await newUser(), 'BROWSER');
    expect(login.status).toBe(200);
    expect(login.refreshInBody).toBeNull();
    expect(login.cookies).toEqual([
      { value: expect.stringMatching(/^rt_/), path: door().refreshPath, maxAge: 7 * 86400, httpOnly: true, sameSite: 'Strict' },
    ]);
  });

  it('a refresh from the cookie answers a new cookie; the spent cookie is refused and cleared', async () => {
    const login = await door().login(await newUser(), 'BROWSER');
    const spent = login.cookies[0]!.value;
    const refreshed = await door().refresh({ cookie: spent });
    expect(refreshed).toMatchObject({ status: 200, accessToken: expect.any(String), refreshInBody: null });
    expect(refreshed.cookies).toEqual([expect.objectContaining({ value: expect.stringMatching(/^rt_/), maxAge: 7 * 86400 })]);
    expect(refreshed.cookies[0]!.value).not.toBe(spent);

    opened.app.clock.advance((opened.app.config.refresh.reuseGrace + 1) * 1000);
    const replayed = await door().refresh({ cookie: spent });
    expect(replayed.code).toBe(codes.UNAUTHENTICATED);
    expect(replayed.cookies).toEqual([{ value: '', path: door().refreshPath, maxAge: 0, httpOnly: true, sameSite: 'Strict' }]);
  });

  it('a refused refresh token given as a bearer leaves the cookie alone', async () => {
    const refused = await door().refresh({ bearer: `rt_${'A'.repeat(43)}` });
    expect(refused).toMatchObject({ code: codes.UNAUTHENTICATED, cookies: [] });
  });

  it('a refresh with no token at all is UNAUTHENTICATED', async () => {
    expect(await door().refresh({})).toMatchObject({ code: codes.UNAUTHENTICATED, cookies: [] });
  });

  it("logging a BROWSER session out clears its cookie and refuses its access token from then on", async () => {
    const login = await door().login(await newUser(), 'BROWSER');
    const logout = await door().logout(bearer(login.accessToken!));
    expect(logout).toMatchObject({ status: 200, code: undefined });
    expect(logout.cookies).toEqual([{ value: '', path: door().refreshPath, maxAge: 0, httpOnly: true, sameSite: 'Strict' }]);
    expect((await door().whoami(bearer(login.accessToken!))).code).toBe(codes.UNAUTHENTICATED);
    expect((await door().refresh({ cookie: login.cookies[0]!.value })).code).toBe(codes.UNAUTHENTICATED);
  });

  it('logging an API session out sets no cookie', async () => {
    const login = await door().login(await newUser(), 'API');
    expect(await door().logout(bearer(login.accessToken!))).toMatchObject({ status: 200, code: undefined, cookies: [] });
  });

  it("logout with a user's key revokes that key; no credential is UNAUTHENTICATED", async () => {
    const session = await verifiedSession(opened.app);
    const key = await createKey(opened.app, session.auth);
    expect(await door().logout({ 'x-api-key': key.rawKey })).toMatchObject({ status: 200, code: undefined, cookies: [] });
    expect((await door().whoami({ 'x-api-key': key.rawKey })).code).toBe(codes.UNAUTHENTICATED);
    expect((await door().whoami(session.auth)).username).toBe(session.identity.username);
    expect((await door().logout({})).code).toBe(codes.UNAUTHENTICATED);
  });

  it("whoami: a session shows its user; a key shows its owner; a key without account:read is FORBIDDEN", async () => {
    const session = await verifiedSession(opened.app);
    const key = await createKey(opened.app, session.auth);
    const narrowKey = await createKey(opened.app, session.auth, { scopes: ['tokens:read'] });
    const { username } = session.identity;
    expect(await door().whoami(session.auth)).toEqual({ username, credentialKind: 'SESSION' });
    expect(await door().whoami({ 'x-api-key': key.rawKey })).toEqual({ username, credentialKind: 'API_KEY' });
    expect((await door().whoami({ 'x-api-key': narrowKey.rawKey })).code).toBe(codes.FORBIDDEN);
    expect((await door().whoami({})).code).toBe(codes.UNAUTHENTICATED);
  });

  it("whoami: a disabled owner's key and session are refused", async () => {
    const session = await verifiedSession(opened.app);
    const key = await createKey(opened.app, session.auth);
    expect((await door().whoami({ 'x-api-key': key.rawKey })).username).toBe(session.identity.username);
    await setAccountDisabled(opened.app.runtime, session.identity.username, true);
    expect((await door().whoami({ 'x-api-key': key.rawKey })).code).toBe(codes.UNAUTHENTICATED);
    expect((await door().whoami(session.auth)).code).toBe(codes.UNAUTHENTICATED);
  });
});
