import { SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Database } from './db.js';

const tracer = trace.getTracer('authgraph');
let enabled = false;

/**
 * OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (or a
 * test passes an exporter): spans for each HTTP request, GraphQL operation,
 * database call and password hash, sent over OTLP/HTTP. The SDK loads only
 * then, and while off `traced` calls straight through.
 */
export async function startTracing(endpoint: string | undefined, exporter?: SpanExporter): Promise<(() => Promise<void>) | undefined> {
  if (!endpoint && !exporter) return undefined;
  const { registerTracerProvider } = await import('./tracing-sdk.js');
  const unregister = registerTracerProvider(exporter);
  enabled = true;
  return async () => {
    enabled = false;
    await unregister();
  };
}

/** Runs `work` in a span named `name` (a child of the active one) when tracing is on; an error marks the span failed. */
export function traced<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      // The error's type only: its message may quote SQL or input.
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name ?? 'Error' });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Adds attributes to the active span, when tracing is on (e.g. the status once a response is known). */
export function annotateSpan(attributes: Attributes): void {
  if (enabled) trace.getActiveSpan()?.setAttributes(attributes);
}

export const tracingEnabled = () => enabled;

/** The client with a span around each database call (model and operation, never the query's values). */
export function traceDatabase(db: Database, system: 'sqlite' | 'postgresql'): Database {
  return db.$extends({
    query: {
      $allOperations: ({ model, operation, args, query }) =>
        traced(`db ${model ? `${model}.` : ''}${operation}`, { 'db.system.name': system, 'db.operation.name': operation, ...(model && { 'db.collection.name': model }) }, () => query(args)),
    },
  }) as unknown as Database;
}
