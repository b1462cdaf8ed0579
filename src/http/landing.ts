import type { Hono } from 'hono';
import type { Config } from '../config.js';
import { schemaFilePath } from '../graphql/schema-file.js';
import type { RestEnv } from '../rest/api.js';
import { escapeHtml } from './html.js';

type Link = { rel: string; href: string; title: string };

function linksFor(config: Config): Link[] {
  return [
    ...(config.graphiql ? [{ rel: 'graphiql', href: '/graphql', title: 'GraphiQL: try the GraphQL API' }] : []),
    { rel: 'graphql', href: '/graphql', title: 'The GraphQL endpoint (POST)' },
    ...(config.graphql.introspection ? [{ rel: 'schema', href: schemaFilePath, title: 'The GraphQL schema (SDL)' }] : []),
    { rel: 'console', href: '/console', title: 'The console: sign in, sessions, API keys' },
    { rel: 'docs', href: '/docs', title: 'The REST API (/v1), with Try it out' },
    ...(config.env === 'development' && !config.mail.smtpUrl ? [{ rel: 'mail', href: '/dev/mail', title: 'Development mail: what the server sent' }] : []),
    { rel: 'openapi', href: '/openapi.json', title: 'The REST API as OpenAPI 3.1' },
    { rel: 'jwks', href: '/.well-known/jwks.json', title: 'Public keys that sign access tokens' },
    { rel: 'health', href: '/healthz', title: 'Liveness' },
    { rel: 'ready', href: '/readyz', title: 'Readiness (database, Redis)' },
  ];
}


/** GET /: where to go from here, as a page for a browser and as JSON for anything else. */
export function mountLanding(http: Hono<RestEnv>, config: Config): void {
  const links = linksFor(config);
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>authgraph</title></head>
<body><h1>authgraph</h1><ul>
${links.map((link) => `<li><a href="${escapeHtml(link.href)}">${escapeHtml(link.title)}</a></li>`).join('\n')}
</ul></body></html>`;
  http.get('/', (c) => (c.req.header('accept')?.includes('text/html') ? c.html(page) : c.json({ name: 'authgraph', links })));
}
