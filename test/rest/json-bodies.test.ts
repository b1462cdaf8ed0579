import { describe, expect, it } from 'vitest';
import { appWithTransports, transportNames } from '../helpers/transports.js';

// A listening server reads a small JSON body itself before Hono (http/buffered-body.ts); a chunked
// one, and every body in process, takes Hono's own reading. Each way answers alike.

const opened = appWithTransports();
const { via } = opened;

const chunked = (text: string) =>
  new ReadableStream({
    start(controller) {
      const bytes = new TextEncoder().encode(text);
      // Split inside a multi-byte character, so a reader must join bytes before decoding.
      controller.enqueue(bytes.slice(0, 40));
      controller.enqueue(bytes.slice(40));
      controller.close();
    },
  });

describe.each(transportNames)('REST JSON bodies, %s', (transport) => {
  const send = via.send(transport);
  const post = (path: string, body: string | ReadableStream, headers: Record<string, string> = {}) =>
    send(path, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body, duplex: 'half' } as RequestInit);

  it.each([
    ['with a declared length', (text: string) => text],
    ['chunked', chunked],
  ])('a body %s arrives whole, multi-byte characters included', async (name, shape) => {
    const username = `body${transport === 'listening' ? 'l' : 'p'}${name.length}`;
    const fullName = 'Zoë Ünal 😀 — 東京';
    const registered = await post('/v1/auth/register', shape(JSON.stringify({ username, email: `${username}@example.com`, password: 'secureP@ss123', full_name: fullName })));
    expect(registered.status).toBe(201);
    const stored = await opened.app.runtime.db.user.findUniqueOrThrow({ where: { username } });
    expect(stored.fullName).toBe(fullName);
  });

  it('malformed JSON is a 400 with the catalogue error, either way the body came', async () => {
    const declared = await post('/v1/auth/login', '{"username": ');
    const streamed = await post('/v1/auth/login', chunked('{"username": "a", "password": '));
    for (const answer of [declared, streamed]) {
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ code: 'BAD_REQUEST' });
    }
  });

});
