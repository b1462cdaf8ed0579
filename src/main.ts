import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { lowerThreadPoolPriority } from './crypto/thread-pool-priority.js';
import { listen } from './http/listen.js';
import { drainServer, exitOnSignals } from './http/shutdown.js';
import { createRuntime } from './create-runtime.js';
import { lockDataDirectory } from './data-dir-lock.js';
import { StartupError } from './startup-error.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

/** Ends the process with the one line a StartupError carries; anything else is a bug and keeps its trace. */
function exitOnStartupError(error: unknown): never {
  if (!(error instanceof StartupError)) throw error;
  console.error(error.message);
  process.exit(1);
}

await lockDataDirectory(config).catch(exitOnStartupError);
const runtime = await createRuntime(config).catch(exitOnStartupError);
const hashingThreads = await lowerThreadPoolPriority();
const { server, url } = await listen(createApp(runtime), config.port, config.host, config.httpTimeouts).catch(exitOnStartupError);
runtime.logger.info({ url, graphiql: `${url}/graphql`, database: config.databaseProvider, hashingThreads: hashingThreads.length }, 'authgraph is listening');

const drainMs = config.shutdownTimeout * 1000;
// Requests in flight get SHUTDOWN_TIMEOUT, closing (the activity log, queued mail) as long again; then, or at a second signal, exit 1.
exitOnSignals(
  async (signal) => {
    runtime.logger.info({ signal }, 'shutting down');
    // Requests in flight finish first, so that their log entries are part of the final flush.
    const drained = await drainServer(server, drainMs);
    runtime.logger.info({ drain: drained }, 'HTTP server closed');
    await runtime.close();
  },
  { forceAfterMs: 2 * drainMs, onForced: (reason) => runtime.logger.error({ reason }, 'shutdown forced') },
);
