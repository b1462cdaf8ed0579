import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess } from './helpers/server-process.js';

// Issue 21: GraphQL Code Generator introspects a development server at /graphql with its
// standard query, which nests deeper than the depth limit (introspection is exempt).
let server: Awaited<ReturnType<typeof startServerProcess>>;
beforeAll(async () => {
  server = await startServerProcess({ NODE_ENV: 'development' });
});
afterAll(() => server?.destroy());

it('generates the schema types from a running server with the typescript plugin', async () => {
  const [output] = await generate(
    { schema: `${server.url}/graphql`, generates: { 'schema-types.ts': { plugins: ['typescript'] } }, silent: true },
    false,
  );
  expect(output?.filename).toBe('schema-types.ts');
  for (const type of ['Query', 'Mutation', 'AuthPayload', 'Whoami']) expect(output?.content).toMatch(new RegExp(`^export type ${type} = \\{`, 'm'));
});
