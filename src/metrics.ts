import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The Prometheus metrics served at /metrics. They are process-wide, as the
 * process is what Prometheus scrapes; any module may count into them.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpRequests = new Counter({
  name: 'authgraph_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern, GraphQL operation (type and first field) and status.',
  labelNames: ['method', 'route', 'operation', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'authgraph_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method, route pattern and GraphQL operation.',
  labelNames: ['method', 'route', 'operation'] as const,
  registers: [metricsRegistry],
});

export const loginAttempts = new Counter({
  name: 'authgraph_logins_total',
  help: 'Sign-in attempts by method (password, google, email) and outcome (success, or the error code).',
  labelNames: ['method', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const failures = new Counter({
  name: 'authgraph_failures_total',
  help: 'Errors answered, by API (graphql, rest) and error code.',
  labelNames: ['api', 'code'] as const,
  registers: [metricsRegistry],
});

/** Counted by whatever enforces a limit, with the limit's name (e.g. `login`, `mail`). */
export const rateLimitHits = new Counter({
  name: 'authgraph_rate_limit_hits_total',
  help: 'Requests refused with RATE_LIMITED, by limit.',
  labelNames: ['limit'] as const,
  registers: [metricsRegistry],
});

/** Set from the database when /metrics is scraped, not tracked in memory: it is right across instances. */
export const activeSessions = new Gauge({
  name: 'authgraph_active_sessions',
  help: 'Sessions neither revoked nor expired, in the whole database.',
  registers: [metricsRegistry],
});
