import type { Server } from 'node:http';

/**
 * Stops accepting connections and waits for in-flight requests to finish.
 * Keep-alive connections are closed as soon as they fall idle; whatever is
 * still open after `timeoutMs` is cut.
 */
export function drainServer(server: Server, timeoutMs: number): Promise<'drained' | 'timed out'> {
  return new Promise((resolve) => {
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      clearInterval(idleSweep);
      server.closeAllConnections();
      resolve('timed out');
    }, timeoutMs);
    server.close(() => {
      clearInterval(idleSweep);
      clearTimeout(deadline);
      resolve('drained');
    });
    server.closeIdleConnections();
  });
}
