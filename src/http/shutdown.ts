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

/**
 * Runs `shutdown` on the first SIGTERM or SIGINT, then exits 0. A second signal,
 * or `forceAfterMs` after the first (a close that hangs), ends the process at once
 * with exit code 1, whatever is still running: an operator's second Ctrl-C or a
 * supervisor's second TERM is never ignored.
 */
export function exitOnSignals(
  shutdown: (signal: NodeJS.Signals) => Promise<void>,
  { forceAfterMs, onForced }: { forceAfterMs: number; onForced: (reason: string) => void },
): void {
  let started = false;
  const force = (reason: string) => {
    onForced(reason);
    process.exit(1);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) return force(`second ${signal}`);
    started = true;
    setTimeout(() => force('shutdown timeout'), forceAfterMs);
    shutdown(signal).then(
      () => process.exit(0),
      () => force('shutdown failed'),
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
