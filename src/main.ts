import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { lowerThreadPoolPriority } from './crypto/thread-pool-priority.js';
import { listen } from './http/listen.js';
import { drainServer } from './http/shutdown.js';
import { createRuntime } from './create-runtime.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const runtime = await createRuntime(config);
const hashingThreads = await lowerThreadPoolPriority();
const { server, url } = await listen(createApp(runtime), config.port, config.host);
runtime.logger.info({ url, graphiql: `${url}/graphql`, database: config.databaseProvider, hashingThreads: hashingThreads.length }, 'authgraph is listening');

async function shutdown(signal: string) {
  runtime.logger.info({ signal }, 'shutting down');
  // Requests in flight finish first, so that their log entries are part of the final flush.
  const drained = await drainServer(server, runtime.config.shutdownTimeout * 1000);
  runtime.logger.info({ drain: drained }, 'HTTP server closed');
  await runtime.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
