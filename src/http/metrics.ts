import type { Context } from 'hono';
import { constantTimeEqual } from '../crypto/hash.js';
import { activeSessions, metricsRegistry } from '../metrics.js';
import { errorAnswer } from '../rest/api.js';
import type { Runtime } from '../runtime.js';

/**
 * `/metrics` in Prometheus' text format; with METRICS_TOKEN set, only for
 * `Authorization: Bearer <that token>`. In production without a token it does not
 * exist (404): request counts, failure codes and process details are not for
 * anyone who finds the path.
 */
export function metricsEndpoint(runtime: Runtime) {
  const { metricsToken, env } = runtime.config;
  const served = metricsToken !== undefined || env !== 'production';
  return async (c: Context) => {
    if (!served) return errorAnswer(c, 'NOT_FOUND');
    if (metricsToken && !constantTimeEqual(c.req.header('authorization') ?? '', `Bearer ${metricsToken}`)) {
      c.header('WWW-Authenticate', 'Bearer');
      return errorAnswer(c, 'UNAUTHENTICATED', 'Metrics need the METRICS_TOKEN as a bearer token.');
    }
    activeSessions.set(await runtime.db.session.count({ where: { revokedAt: null, expiresAt: { gt: runtime.clock() } } }));
    c.header('Content-Type', metricsRegistry.contentType);
    c.header('Cache-Control', 'no-store');
    return c.body(await metricsRegistry.metrics());
  };
}
