import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { call } from '../helpers/rest.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe('OpenAPI', () => {
  it('/openapi.json is a valid OpenAPI 3.1 document listing every REST route', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const { body: document } = await call(app, 'GET', '/openapi.json');
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const listed = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const routed = app.restRoutes.map((route) => `${route.method} ${route.path}`);
    expect(listed.sort()).toEqual(routed.sort());
  });

  it('serves a docs page with local assets only', async () => {
    const page = await call(app, 'GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.body).toContain('/docs/swagger-ui-bundle.js');
    expect(page.body).not.toMatch(/https?:\/\//);
    expect((await app.request('/docs/swagger-ui-bundle.js')).status).toBe(200);
  });
});
