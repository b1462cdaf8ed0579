import { expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server-process.js';

// A server whose log reader has gone (its supervisor died, a pipe was closed) still stops on
// SIGTERM: writing its last lines fails with EPIPE, which must not keep it running.
it('stops on SIGTERM, exit code 0, after the reader of its stdout has gone', async () => {
  const server = await startServerProcess();
  try {
    server.child.stdout!.destroy();
    server.child.stderr!.destroy();
    // Logged with nobody reading: the write fails with EPIPE.
    await fetch(`${server.url}/healthz`);
    expect(await server.stop()).toBe(0);
  } finally {
    server.child.kill('SIGKILL');
    await server.destroy();
  }
});
