import { introspectionFromSchema } from 'graphql';
import type { GraphiQLOptions } from 'graphql-yoga';
import { inlinePagePolicy } from '../http/security.js';
import { schema } from '../schema/index.js';

/** The document GraphiQL opens with: a walk through register, login and whoami. */
const graphiqlDefaultQuery = `# Welcome to authgraph.
# Ctrl-Enter runs the operation under the cursor;
# the Run button asks which one to run.
#
# 1. Run "Register" to create an account
#    (change the names first).
# 2. Run "Login" and copy accessToken from the answer.
# 3. Open the Headers tab below and paste:
#      { "Authorization": "Bearer <accessToken>" }
# 4. Run "Whoami".
#
# An access token lasts an hour: run Login again for a
# new one. API keys go in the same header (or in
# X-API-Key). The web console is at /console.

mutation Register {
  register(input: { username: "ada", email: "ada@example.com", password: "correct horse battery" }) {
    id
    username
  }
}

mutation Login {
  login(input: { username: "ada", password: "correct horse battery" }) {
    accessToken
    expiresIn
    refreshToken
  }
}

query Whoami {
  whoami {
    user { username email }
    credential { kind id name }
  }
}
`;

/**
 * GraphiQL gets the schema in its page instead of introspecting it: its
 * introspection query nests `ofType` deeper than the depth limit allows, and the
 * limit must keep applying to introspection (nested `__Type.fields` fan out).
 * Headers are not persisted: they hold bearer tokens, which must not linger in
 * localStorage.
 */
export const graphiqlOptions: GraphiQLOptions & { schema: ReturnType<typeof introspectionFromSchema> } = {
  title: 'authgraph',
  defaultQuery: graphiqlDefaultQuery,
  shouldPersistHeaders: false,
  schema: introspectionFromSchema(schema),
};

let graphiqlPage: { html: string; policy: string } | undefined;

/** GraphiQL is bundled (no CDN): about 9 MB of inline script, rendered once, on first use. */
export async function renderGraphiQL(options?: object): Promise<string> {
  if (!graphiqlPage) {
    const { renderGraphiQL: render } = await import('@graphql-yoga/render-graphiql');
    const html = render(options);
    graphiqlPage = { html, policy: inlinePagePolicy(html) };
  }
  return graphiqlPage.html;
}

/** The CSP of the GraphiQL page, once it has been rendered. */
export function graphiqlPolicy(): string | undefined {
  return graphiqlPage?.policy;
}
