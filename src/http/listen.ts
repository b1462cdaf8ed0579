import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../app.js';
import type { Config } from '../config.js';
import { StartupError } from '../startup-error.js';

/** How often node:http looks for connections past their headers or receive deadline (its default, 30 s, would add up to that much to each). */
const deadlineSweepMs = 1000;

/**
 * An answer given before its request has fully arrived (413 for a body too large, 503
 * at REQUEST_TIMEOUT while a slow body trickles in) closes the connection: otherwise
 * node:http reads the rest of the body to keep the connection, for as long as the client
 * takes to send it.
 */
function closeWhenAnsweredEarly(request: IncomingMessage, response: ServerResponse): void {
  const writeHead = response.writeHead;
  response.writeHead = function (this: ServerResponse, ...args: Parameters<typeof writeHead>) {
    if (!request.complete && !this.headersSent) this.setHeader('connection', 'close');
    return writeHead.apply(this, args);
  } as typeof writeHead;
}

/** What an operator can do about a port that cannot be had: one line naming the setting. */
function listenRefusal(error: NodeJS.ErrnoException, port: number, host: string): Error {
  if (error.code === 'EADDRINUSE') return new StartupError(`Port ${port} on ${host} is in use (PORT, HOST): stop what holds it, or choose another PORT.`);
  if (error.code === 'EACCES') return new StartupError(`Port ${port} on ${host} needs privileges this process lacks (PORT): choose one above 1023.`);
  if (error.code === 'EADDRNOTAVAIL') return new StartupError(`${host} is not an address of this machine (HOST).`);
  return error;
}

/**
 * Serves the app over node:http; resolves once it listens. Port 0 picks a free port.
 * `timeouts` (HTTP_HEADERS_TIMEOUT and the others, see config.ts) bound how long a slow
 * or idle client holds a connection; without them node:http's defaults apply.
 */
export async function listen(app: App, port: number, host = '0.0.0.0', timeouts?: Config['httpTimeouts']): Promise<{ server: Server; url: string }> {
  const limits = timeouts && {
    // node:http refuses a headers deadline later than the whole request's.
    headersTimeout: Math.min(timeouts.headersMs, timeouts.receiveMs),
    requestTimeout: timeouts.receiveMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionsCheckingInterval: deadlineSweepMs,
  };
  const server = createServer({ ...limits }, (request, response) => {
    closeWhenAnsweredEarly(request, response);
    app.listener(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenRefusal(error, port, host)));
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return { server, url: `http://${shownHost}:${address.port}` };
}
