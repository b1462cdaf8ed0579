import autocannon from 'autocannon';
import { cpuSeconds, sampleRss } from './proc-stats.js';

/** One request of a scenario; `kind` buckets its latency (the mix reports whoami's alone). */
export type BenchRequest = {
  kind: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** What a completed answer's body holds (a user, a token): a 2xx without it is an error. */
  expect: RegExp;
  /** Rebuilds the request for each send (unique usernames, the connection's current refresh token). */
  prepare?: (request: { headers: Record<string, string>; body?: string }, context: Record<string, unknown>) => void;
  /** Reads what the answer carries (the successor refresh token). */
  onAnswer?: (status: number, body: string, context: Record<string, unknown>) => void;
};

export type LoadResult = {
  connections: number;
  seconds: number;
  /** 2xx answers that held what the request expects; the only ones counted, timed and rated. */
  requests: number;
  requestsPerSecond: number;
  /** Server CPU (user + system, all threads and children) over the pass, per completed request. */
  cpuMsPerRequest?: number;
  p50: number;
  p99: number;
  /** Latency percentiles per request kind, for mixed scenarios. */
  byKind: Record<string, { requests: number; p50: number; p99: number }>;
  /** HTTP errors, GraphQL `errors`, socket errors and timeouts. */
  errors: number;
  firstError?: string;
  peakRssBytes: number;
};

export function percentile(sorted: Float64Array | number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index]!;
}

/** Why an answer is not a completion: not a 2xx, a GraphQL `errors` array, or not what the request expects. */
export function failureOf(request: BenchRequest, status: number, body: string): string | null {
  if (status < 200 || status >= 300) return `HTTP ${status}: ${body.slice(0, 300)}`;
  if (body.startsWith('{"errors"') || body.includes('"errors":[')) return body.slice(0, 300);
  if (!request.expect.test(body)) return `no ${request.expect.source} in: ${body.slice(0, 300)}`;
  return null;
}

/** Sends one request of a scenario and waits for it: a probe before a run, and a drain after one. */
export async function sendOnce(url: string, request: BenchRequest): Promise<string | null> {
  const prepared = { headers: { ...(request.headers ?? {}) }, body: request.body };
  const context: Record<string, unknown> = {};
  request.prepare?.(prepared, context);
  const response = await fetch(url + request.path, {
    method: request.method,
    headers: prepared.headers,
    body: prepared.body,
    signal: AbortSignal.timeout(60_000),
  });
  const body = await response.text();
  request.onAnswer?.(response.status, body, context);
  return failureOf(request, response.status, body);
}

/** Drives a server with autocannon and measures latency per request with sub-millisecond precision. */
export async function runLoad(options: {
  url: string;
  requests: BenchRequest[];
  connections: number;
  seconds: number;
  pid?: number;
}): Promise<LoadResult> {
  const latencies = new Map<string, number[]>();
  // onResponse runs just before autocannon's 'response' event for the same answer.
  let lastKind = '';
  let lastFailed = false;
  let errors = 0;
  let firstError: string | undefined;
  const requests = options.requests.map((request) => ({
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: request.body,
    setupRequest: (raw: autocannon.Request, context: object) => {
      if (!request.prepare) return raw;
      const prepared = { headers: { ...(request.headers ?? {}) }, body: request.body };
      request.prepare(prepared, context as Record<string, unknown>);
      return { ...raw, headers: prepared.headers, body: prepared.body };
    },
    onResponse: (status: number, body: string, context: object) => {
      lastKind = request.kind;
      const failure = failureOf(request, status, body);
      lastFailed = failure !== null;
      if (failure) {
        errors += 1;
        firstError ??= failure;
      }
      request.onAnswer?.(status, body, context as Record<string, unknown>);
    },
  }));
  const rss = options.pid ? sampleRss(options.pid) : null;
  const cpuBefore = options.pid ? cpuSeconds(options.pid) : 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: options.url, connections: options.connections, duration: options.seconds, pipelining: 1, timeout: 30, requests },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      if (lastFailed) return;
      let bucket = latencies.get(lastKind);
      if (!bucket) latencies.set(lastKind, (bucket = []));
      bucket.push(responseTime);
    });
  });
  const cpuUsed = options.pid ? cpuSeconds(options.pid) - cpuBefore : 0;
  const peakRssBytes = rss?.stop() ?? 0;
  errors += result.errors;
  if (result.errors > 0) firstError ??= `${result.errors} socket errors (${result.timeouts} timeouts)`;
  const all = Float64Array.from([...latencies.values()].flat()).sort();
  const byKind = Object.fromEntries(
    [...latencies].map(([kind, values]) => {
      const sorted = Float64Array.from(values).sort();
      return [kind, { requests: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) }];
    }),
  );
  return {
    connections: options.connections,
    seconds: result.duration,
    requests: all.length,
    requestsPerSecond: all.length / result.duration,
    cpuMsPerRequest: options.pid && all.length > 0 ? (cpuUsed * 1000) / all.length : undefined,
    p50: percentile(all, 0.5),
    p99: percentile(all, 0.99),
    byKind,
    errors,
    firstError,
    peakRssBytes,
  };
}
