import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracingEnabled } from '../src/tracing.js';
import { createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { transportNames, transports } from './helpers/transports.js';

// Issue 21: OpenTelemetry spans for HTTP, GraphQL operations, database calls and hashing, with the request id; off by default.
const exporter = new InMemorySpanExporter();
let app: TestApp;
/** Whether an app started without OTEL_EXPORTER_OTLP_ENDPOINT turned tracing on (it must not). */
let onByDefault: boolean;
beforeAll(async () => {
  const plain = await createTestApp();
  onByDefault = tracingEnabled();
  await plain.close();
  app = await createTestApp({ env: { REQUIRE_VERIFIED_EMAIL: 'false' }, spanExporter: exporter });
});
afterAll(() => app.close());

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) => spans.filter((span) => parentOf(span) === parent.spanContext().spanId);
function descendantsOf(spans: ReadableSpan[], parent: ReadableSpan): ReadableSpan[] {
  return childrenOf(spans, parent).flatMap((child) => [child, ...descendantsOf(spans, child)]);
}

describe.each(transportNames)('traces (%s)', (transport) => {
  const wire = transports();
  const send = wire.send(transport);
  beforeAll(() => wire.open(app));
  afterAll(() => wire.close());

  it('a GraphQL login: the HTTP span with the request id, the operation under it, database calls and the hash under that', async () => {
    const identity = newIdentity();
    const graphql = (query: string, variables: Record<string, unknown>, requestId: string) =>
      send('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId, 'user-agent': 'tracing-test' },
        body: JSON.stringify({ query, variables }),
      });
    await graphql('mutation($i: RegisterInput!) { register(input: $i) { id } }', { i: identity }, `register-${transport.replace(' ', '-')}`);
    exporter.reset();
    const requestId = `login-${transport.replace(' ', '-')}`;
    const answer = await graphql('mutation($i: LoginInput!) { login(input: $i) { accessToken } }', { i: { username: identity.username, password: identity.password } }, requestId);
    expect(answer.status).toBe(200);
    await app.runtime.background.idle();

    const spans = exporter.getFinishedSpans();
    const http = spans.find((span) => span.name === 'HTTP POST /graphql' && span.attributes['authgraph.request_id'] === requestId)!;
    expect(http.attributes).toMatchObject({ 'http.route': '/graphql', 'http.response.status_code': 200 });
    const [operation] = childrenOf(spans, http);
    expect(operation?.name).toBe('GraphQL mutation login');
    const below = descendantsOf(spans, operation!).map((span) => span.name);
    expect(below).toContain('argon2id verify');
    expect(below).toEqual(expect.arrayContaining([expect.stringMatching(/^db User\./), expect.stringMatching(/^db Session\./)]));
    // Values never reach a span: neither the password nor the username.
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain(identity.password);
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain(identity.username);
  });

  it('a REST request: its span names the route and the status', async () => {
    exporter.reset();
    const response = await send('/v1/whoami', { headers: { 'x-request-id': 'rest-whoami' } });
    expect(response.status).toBe(401);
    const http = exporter.getFinishedSpans().find((span) => span.attributes['authgraph.request_id'] === 'rest-whoami')!;
    expect(http.name).toBe('HTTP GET');
    expect(http.attributes).toMatchObject({ 'http.route': '/v1/whoami', 'url.path': '/v1/whoami', 'http.response.status_code': 401 });
  });
});

it('is off without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  expect(onByDefault).toBe(false);
});
