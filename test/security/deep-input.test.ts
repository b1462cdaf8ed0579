import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, errorCodes } from '../../src/errors.js';
import { maxInputDepth } from '../../src/validation.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

/** `levels` arrays (or objects) inside each other: 5,000 levels is about 10 KB, far under the body limit. */
const nested = (levels: number, open = '[', close = ']') => `${open.repeat(levels)}${close.repeat(levels)}`;
const nestedObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const errorLines = () => app.logLines.map((line) => JSON.parse(line) as { level: number }).filter((entry) => entry.level >= 50);

describe('deeply nested input', () => {
  it.each([
    ['arrays', nested(5000)],
    ['objects', nestedObject(5000)],
  ])('5,000 levels of %s in GraphQL variables answer 400 BAD_REQUEST, and log no error', async (_kind, deep) => {
    const before = errorLines().length;
    const response = await app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query":"query ($x: String) { __typename }","variables":{"x":${deep}}}`,
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(response.status).toBe(errorCodes.BAD_REQUEST.status);
    expect(body.errors[0]!.extensions.code).toBe(codes.BAD_REQUEST);
    expect(errorLines().length).toBe(before);
  });

  it.each([
    ['arrays', nested(5000)],
    ['objects', nestedObject(5000)],
  ])('5,000 levels of %s in a REST body answer 400 BAD_REQUEST, and log no error', async (_kind, deep) => {
    const before = errorLines().length;
    const response = await app.request('/v1/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"username":${deep}}`,
    });
    const body = (await response.json()) as { code: string };
    expect(response.status).toBe(errorCodes.BAD_REQUEST.status);
    expect(body.code).toBe(codes.BAD_REQUEST);
    expect(errorLines().length).toBe(before);
  });

  it('deep nesting inside a GraphQL document is refused as a document error, not INTERNAL', async () => {
    const response = await app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename(x: ${nested(5000)}) }` }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).not.toBe(codes.INTERNAL);
    expect(response.status).toBeLessThan(500);
  });

  it('input at the depth cap is still read (and a NUL inside it still refused)', async () => {
    const nul = `${'['.repeat(maxInputDepth - 1)}"a\\u0000"${']'.repeat(maxInputDepth - 1)}`;
    const response = await app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query":"query ($x: String) { __typename }","variables":{"x":${nul}}}`,
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe(codes.BAD_USER_INPUT);
  });
});
