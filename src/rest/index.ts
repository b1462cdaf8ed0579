import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { readBasicCredentials, resolveCredentials, type Principal } from '../context.js';
import type { Runtime } from '../runtime.js';
import { createRestApi, principalAllowed, type RestAuth, type RestEnv, type RouteTable } from './api.js';
import { novavmsRoutes } from './novavms.js';
import { novemRoutes } from './novem.js';
import { novemTokenRoutes } from './novem-tokens.js';
import { restumeKeyRoutes } from './restume-keys.js';
import { restumeRoutes } from './restume.js';
import { restumeRecoveryRoutes } from './restume-recovery.js';

function allows(auth: RestAuth, principal: Principal | null, hasBasic: boolean): boolean {
  if (auth === 'basic') return hasBasic;
  return principalAllowed(auth, principal ?? { kind: 'anonymous' });
}

/** Answers OPTIONS on every REST path with the verbs the caller's credential may use there. */
function optionsFor(runtime: Runtime, table: RouteTable) {
  const patterns = [...new Set(table.map((route) => route.path))].map((path) => ({
    path,
    regex: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
  }));
  return async (request: Request, pathname: string): Promise<Response | null> => {
    const matched = patterns.filter((pattern) => pattern.regex.test(pathname)).map((pattern) => pattern.path);
    if (matched.length === 0) return null;
    const principal = await resolveCredentials(runtime, request.headers)
      .then((credentials) => credentials.principal)
      .catch(() => null);
    const hasBasic = readBasicCredentials(request.headers) !== null;
    const verbs = table
      .filter((route) => matched.includes(route.path) && allows(route.auth, principal, hasBasic))
      .map((route) => route.method);
    const allow = [...new Set([...verbs, 'OPTIONS'])];
    return new Response(JSON.stringify({ path: pathname, allow }), {
      status: 200,
      headers: { Allow: allow.join(', '), 'Content-Type': 'application/json' },
    });
  };
}

const swaggerDir = () => (createRequire(import.meta.url)('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();

const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>authgraph REST API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="docs"></div><script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;

/** The /v1 compatibility layer, its OpenAPI 3.1 document and a docs page served from local assets. */
export function mountRest(http: Hono<RestEnv>, runtime: Runtime) {
  const table: RouteTable = [];
  const api = createRestApi();
  novemRoutes(api, runtime, table);
  novemTokenRoutes(api, runtime, table);
  novavmsRoutes(api, runtime, table);
  restumeRoutes(api, runtime, table);
  restumeRecoveryRoutes(api, runtime, table);
  restumeKeyRoutes(api, runtime, table);
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'authgraph REST API',
      version: '1',
      description: 'The /v1 paths of novem, NovaVMS and RESTume, answered by authgraph. Errors are `{ "detail", "code" }`; 422 is FastAPI\'s `{ "detail": [{ loc, msg, type }] }`.',
    },
  });

  const options = optionsFor(runtime, table);
  http.use('*', async (c, next) => {
    if (c.req.method !== 'OPTIONS') return next();
    return (await options(c.req.raw, c.req.path)) ?? next();
  });
  http.get('/docs', (c) => c.html(docsPage));
  http.get('/docs/init.js', (c) => {
    c.header('Content-Type', 'text/javascript');
    return c.body("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs' });");
  });
  for (const asset of ['swagger-ui.css', 'swagger-ui-bundle.js']) {
    http.get(`/docs/${asset}`, (c) => {
      c.header('Content-Type', asset.endsWith('.css') ? 'text/css' : 'text/javascript');
      c.header('Cache-Control', 'public, max-age=86400');
      return c.body(readFileSync(join(swaggerDir(), asset)));
    });
  }
  http.route('/', api);
  return table;
}
