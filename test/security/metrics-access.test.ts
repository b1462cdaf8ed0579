import { afterAll, describe, expect, it } from 'vitest';
import { codes, errorCodes } from '../../src/errors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const opened: TestApp[] = [];
const appWith = async (env: Record<string, string>) => {
  const app = await createTestApp({ env });
  opened.push(app);
  return app;
};
afterAll(() => Promise.all(opened.map((app) => app.close())));

describe('/metrics', () => {
  it('does not exist in production without METRICS_TOKEN', async () => {
    const app = await appWith({ NODE_ENV: 'production' });
    const response = await app.request('/metrics');
    expect(response.status).toBe(errorCodes.NOT_FOUND.status);
    expect(((await response.json()) as { code: string }).code).toBe(codes.NOT_FOUND);
    // Not even with some bearer token.
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer metrics-token-0123456789' } })).status).toBe(404);
  });

  it('in production with METRICS_TOKEN, answers only that bearer token', async () => {
    const token = 'metrics-token-0123456789';
    const app = await appWith({ NODE_ENV: 'production', METRICS_TOKEN: token });
    expect((await app.request('/metrics')).status).toBe(errorCodes.UNAUTHENTICATED.status);
    const response = await app.request('/metrics', { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('authgraph_http_requests_total');
  });

  it('outside production stays open without a token', async () => {
    const app = await appWith({ NODE_ENV: 'development' });
    expect((await app.request('/metrics')).status).toBe(200);
  });
});
