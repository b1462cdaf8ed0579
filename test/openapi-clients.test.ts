import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import createClient from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, refusals } from '../src/errors.js';
import { operationTags } from '../src/rest/operation-docs.js';
import { createTestApp, type TestApp } from './helpers/app.js';

// Issue 21: a client generated from /openapi.json finds each operation by a stable id,
// groups it by task, and types the error bodies it reads.

type Operation = { operationId?: string; tags?: string[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

/**
 * What a developer writes against the generated types: a refused sign-in read as its typed
 * error body, a 422 read as FastAPI's problems. Type-checked, then run against the app.
 */
const clientCode = `
import type { Client } from 'openapi-fetch';
import type { paths } from './api';

export async function refusedSignIn(client: Client<paths>) {
  const { data, error, response } = await client.POST('/v1/auth/login', { body: { username: 'nobody', password: 'wrong password' } });
  if (data) return { status: response.status, token: data.access_token };
  if (response.status === 401 && 'mfa_required' in error) return { status: 401, challenge: error.mfa.challenge_id };
  // @ts-expect-error: a code is one of the catalogue's
  const unknownCode: typeof error.code = 'NO_SUCH_CODE';
  // @ts-expect-error: an error body has no such field
  void error.token;
  return { status: response.status, code: error.code, detail: error.detail, message: error.message };
}

export async function refusedRegistration(client: Client<paths>) {
  // @ts-expect-error: the body needs username, email and password
  const { error, response } = await client.POST('/v1/auth/register', { body: { username: 'ada' } });
  if (!error || typeof error.detail === 'string') return { status: response.status };
  return { status: response.status, code: error.code, fields: error.detail.map((problem) => problem.loc.join('.')) };
}

export function unknownOperation(client: Client<paths>) {
  // @ts-expect-error: not an operation of the document
  return client.GET('/v1/no-such-path');
}
`;

let app: TestApp;
let document: Document;
let workDir: string;
beforeAll(async () => {
  app = await createTestApp();
  document = (await (await app.request('/openapi.json')).json()) as Document;
  // Inside the project, so that openapi-fetch resolves from its node_modules.
  workDir = mkdtempSync(join(import.meta.dirname, '..', 'node_modules', '.openapi-clients-'));
});
afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  await app.close();
});

const operations = () =>
  Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, ...operation })));

function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

describe('OpenAPI document for generated clients', () => {
  it('gives every operation a unique camelCase operationId and a tag for what it does', () => {
    const ids = operations().map((operation) => operation.operationId);
    expect(ids.every((id) => id !== undefined && /^[a-z][a-zA-Z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const untagged = operations().filter((operation) => !operation.tags?.some((tag) => Object.hasOwn(operationTags, tag)));
    expect(untagged.map((operation) => operation.route)).toEqual([]);
  });

  it('declares the 4xx answers of every operation with an error body', () => {
    for (const operation of operations()) {
      const errors = Object.entries(operation.responses).filter(([status]) => status.startsWith('4'));
      expect(errors.length, operation.route).toBeGreaterThan(0);
      for (const [status, response] of [...errors, ['default', operation.responses.default!] as const]) {
        expect(JSON.stringify(response.content?.['application/json']?.schema), `${operation.route} ${status}`).toMatch(/#\/components\/schemas\/(Error|ValidationError)"/);
      }
    }
  });

  it('generates types that openapi-fetch checks, and the errors read back as their typed bodies', async () => {
    writeFileSync(join(workDir, 'api.d.ts'), astToString(await openapiTS(document as never)));
    writeFileSync(join(workDir, 'client.ts'), clientCode);
    expect(typeErrors(join(workDir, 'client.ts'))).toEqual([]);

    const compiled = ts.transpileModule(clientCode, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023 } });
    writeFileSync(join(workDir, 'client.mjs'), compiled.outputText);
    const written = (await import(pathToFileURL(join(workDir, 'client.mjs')).href)) as {
      refusedSignIn(client: unknown): Promise<Record<string, unknown>>;
      refusedRegistration(client: unknown): Promise<Record<string, unknown>>;
    };
    const client = createClient({ baseUrl: 'http://authgraph.test', fetch: (request) => app.app.fetch(request) });

    expect(await written.refusedSignIn(client)).toEqual({
      status: 401,
      code: codes.UNAUTHENTICATED,
      detail: refusals.invalidLogin.message,
      message: refusals.invalidLogin.message,
    });
    expect(await written.refusedRegistration(client)).toEqual({ status: 422, code: codes.BAD_USER_INPUT, fields: ['body.email', 'body.password'] });
  });
});
