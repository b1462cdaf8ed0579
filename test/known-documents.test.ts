import { describe, expect, test } from 'vitest';
import { errorCodes } from '../src/errors.js';
import { newIdentity } from './helpers/app.js';
import { createKey } from './helpers/apikeys.js';
import { codeOf, registeredSession, whoamiQuery } from './helpers/flows.js';
import { appWithTransports, transportNames } from './helpers/transports.js';

// A document yoga has validated runs, when sent again, without yoga's pipeline
// (src/graphql/fast-path.ts): its answers must be the ones yoga gives.

const opened = appWithTransports({ env: { REQUIRE_VERIFIED_EMAIL: 'false' } });
const { via } = opened;

/** Everything an answer carries but its request id and date. */
async function answerOf(response: Response) {
  const headers = [...response.headers].filter(([name]) => name !== 'x-request-id' && name !== 'date' && name !== 'keep-alive' && name !== 'connection');
  return { status: response.status, headers: headers.sort(([a], [b]) => a.localeCompare(b)), body: await response.text() };
}

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', 'user-agent': 'vitest', ...headers },
  body: JSON.stringify(body),
});

describe.each(transportNames)('the same document sent again, %s', (transport) => {
  const send = (body: unknown, headers?: Record<string, string>) => via.send(transport)('/graphql', post(body, headers));
  const twice = async (body: unknown, headers?: Record<string, string>) => [await answerOf(await send(body, headers)), await answerOf(await send(body, headers))];

  test('answers as the first time: data, headers and status, with a token, without one, with a bad one', async () => {
    const { auth } = await registeredSession(opened.app);
    const query = `${whoamiQuery} # ${transport} ${Math.random()}`;
    for (const headers of [auth, {}, { authorization: 'Bearer not.a.token' }, { authorization: 'Basic x' }]) {
      const [first, again] = await twice({ query }, headers);
      expect(again).toEqual(first);
    }
    const [first] = await twice({ query }, auth);
    expect(first!.status).toBe(200);
    expect(JSON.parse(first!.body).data.whoami.credential.kind).toBe('SESSION');
    expect(first!.headers).toEqual(expect.arrayContaining([['cache-control', 'no-store'], ['x-frame-options', 'DENY']]));
  });

  test('a mutation with variables answers its errors as the first time (masked, codes and fields)', async () => {
    const query = `mutation R($input: RegisterInput!) { register(input: $input) { id } } # ${transport} ${Math.random()}`;
    const [first, again] = await twice({ query, variables: { input: { ...newIdentity(), password: 'short' } } });
    expect(again).toEqual(first);
    expect(codeOf(JSON.parse(first!.body))).toBe('BAD_USER_INPUT');
    const [wrongType, wrongTypeAgain] = await twice({ query, variables: { input: { username: 3 } } });
    expect(wrongTypeAgain).toEqual(wrongType);
    expect(wrongType!.body).not.toContain('"username":3');
  });

  test('an invalid document is refused every time', async () => {
    for (const query of ['{ whoami { nope } }', '{ whoami { user { id } }']) {
      const [first, again] = await twice({ query: `${query} # ${transport}` });
      expect(again).toEqual(first);
      expect(JSON.parse(first!.body).data).toBeUndefined();
    }
  });

  test('NUL characters, unknown parameters and other media types still meet yoga’s rules', async () => {
    const query = `query W($x: String) { whoami { user { id } } } # ${transport}`;
    await send({ query });
    const nul = await send({ query, variables: { x: 'a\u0000b' } });
    expect(codeOf(await nul.json())).toBe('BAD_USER_INPUT');
    const extra = await send({ query, unexpected: 1 });
    expect(extra.status).toBe(errorCodes.BAD_REQUEST.status);
    const text = await via.send(transport)('/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query }) });
    expect(text.status).toBe(errorCodes.UNSUPPORTED_MEDIA_TYPE.status);
  });

  test('each use of an API key is logged once, the first time and the next', async () => {
    const { auth } = await registeredSession(opened.app);
    const { rawKey, apiKey } = await createKey(opened.app, auth);
    const query = `${whoamiQuery} # key ${transport}`;
    for (let i = 0; i < 3; i += 1) expect((await send({ query }, { 'x-api-key': rawKey })).status).toBe(200);
    await opened.app.runtime.tokenEvents.flush();
    const log = await opened.app.gql(`query L($id: ID!) { tokenLog(tokenId: $id, first: 10) { nodes { action outcome } } }`, { id: apiKey.id }, auth);
    const uses = log.data.tokenLog.nodes.filter((node: { action: string }) => node.action === 'request');
    expect(uses).toHaveLength(3);
  });
});
