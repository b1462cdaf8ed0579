import { afterAll, beforeAll } from 'vitest';
import { listen } from '../../src/http/listen.js';
import { createTestApp, type TestApp } from './app.js';

export type Send = (path: string, init: RequestInit) => Promise<Response>;

/** The two ways a client's test reaches the app: its fetch handler in process, and a real listening server. */
export const transportNames = ['in process', 'listening'] as const;
export type TransportName = (typeof transportNames)[number];

/** Open in beforeAll, close in afterAll; `send(name)` can be taken before opening. */
export function transports() {
  const sends = new Map<TransportName, Send>();
  let stop = () => {};
  return {
    async open(app: TestApp) {
      const listening = await listen(app.app, 0, '127.0.0.1');
      sends.set('in process', (path, init) => app.app.fetch(new Request(`http://authgraph.test${path}`, init)));
      sends.set('listening', (path, init) => fetch(listening.url + path, init));
      stop = () => listening.server.close();
    },
    send: (name: TransportName): Send => (path, init) => sends.get(name)!(path, init),
    close: () => stop(),
  };
}

/** A test app for the whole file and its two transports: made and opened before the file's tests, closed after. */
export function appWithTransports(options?: Parameters<typeof createTestApp>[0]) {
  const via = transports();
  const opened = { app: undefined as unknown as TestApp, via };
  beforeAll(async () => {
    opened.app = await createTestApp(options);
    await via.open(opened.app);
  });
  afterAll(async () => {
    via.close();
    await opened.app?.close();
  });
  return opened;
}
