import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { App } from '../app.js';

/** Serves the app over node:http; resolves once it listens. Port 0 picks a free port. */
export async function listen(app: App, port: number, host = '0.0.0.0'): Promise<{ server: Server; url: string }> {
  const server = createAdaptorServer({
    fetch: (request, env) => {
      // An HTTP/1 server (no createServer option), so the bindings are node:http's.
      const { incoming } = env as HttpBindings;
      return app.fetch(request, { ip: incoming.socket.remoteAddress, incoming });
    },
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return { server, url: `http://${shownHost}:${address.port}` };
}
