import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { recordKeyUse } from '../apikeys/usage.js';
import { resolveCredentials } from '../context.js';
import type { ClientInfo, Principal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { clientOf, createRestApi, errorAnswer, routeAllows, type RestEnv, type RouteTable } from './api.js';
import { auditExportRoutes } from './audit-export.js';
import { meRoutes } from './me.js';
import { mfaRoutes } from './mfa.js';
import { passkeyRoutes } from './passkeys.js';
import { webhookRoutes } from './webhooks.js';
import { passwordlessRoutes } from './passwordless.js';
import { novavmsRoutes } from './novavms.js';
import { operationTags } from './operation-docs.js';
import { novemRoutes } from './novem.js';
import { novemTokenRoutes } from './novem-tokens.js';
import { keyVerificationRoutes } from './key-verification.js';
import { restumeKeyChangeRoutes } from './restume-key-changes.js';
import { restumeKeyRoutes } from './restume-keys.js';
import { restumeRoutes } from './restume.js';
import { restumeRecoveryRoutes } from './restume-recovery.js';

/** Each REST path as a pattern, with the routes it serves. */
function pathMatcher(table: RouteTable) {
  const patterns = [...new Set(table.map((route) => route.path))].map((path) => ({
    path,
    regex: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
  }));
  return (pathname: string) => {
    const matched = new Set(patterns.filter((pattern) => pattern.regex.test(pathname)).map((pattern) => pattern.path));
    return table.filter((route) => matched.has(route.path));
  };
}

const verbOrder = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** An Allow header's verbs, each once, in the usual order, OPTIONS last. */
const allowed = (verbs: string[]) => [...new Set(verbs)].sort((a, b) => verbOrder.indexOf(a) - verbOrder.indexOf(b)).concat('OPTIONS');

/**
 * OPTIONS on a REST path answers the verbs the caller's credential may use there.
 * Asking is a use of the credential like any other: a key spends a rate-limit
 * point and the answer is in its activity log, so a stolen key cannot be tried
 * unseen. A refused credential gets the anonymous caller's verbs.
 */
async function answerOptions(runtime: Runtime, request: Request, routes: RouteTable, client: ClientInfo): Promise<Response> {
  const path = new URL(request.url).pathname;
  const principal: Principal = await resolveCredentials(runtime, request, client, { sessionCookie: true })
    .then((credentials) => credentials.principal)
    .catch(() => ({ kind: 'anonymous' }) as const);
  if (principal.kind === 'apiKey') recordKeyUse(runtime, principal, { operation: `OPTIONS ${path}`, outcome: 'success', client });
  const verbs: string[] = [];
  for (const route of routes) if (await routeAllows(runtime, route.auth, principal)) verbs.push(route.method);
  const allow = allowed(verbs);
  return new Response(JSON.stringify({ path, allow }), {
    status: 200,
    headers: { Allow: allow.join(', '), 'Content-Type': 'application/json' },
  });
}

const swaggerDir = () => (createRequire(import.meta.url)('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();

/**
 * The docs page's own policy (the API's `default-src 'none'` would leave it blank):
 * its scripts and styles from here only; Swagger UI sets inline style attributes,
 * shows data: images, and calls the API for "Try it out".
 */
const docsPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>authgraph REST API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="docs"></div><script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;

/** The /v1 compatibility layer, its OpenAPI 3.1 document and a docs page served from local assets. */
export function mountRest(http: Hono<RestEnv>) {
  const table: RouteTable = [];
  const api = createRestApi();
  novemRoutes(api, table);
  novemTokenRoutes(api, table);
  novavmsRoutes(api, table);
  mfaRoutes(api, table);
  passkeyRoutes(api, table);
  webhookRoutes(api, table);
  passwordlessRoutes(api, table);
  restumeRoutes(api, table);
  restumeRecoveryRoutes(api, table);
  restumeKeyRoutes(api, table);
  restumeKeyChangeRoutes(api, table);
  keyVerificationRoutes(api, table);
  meRoutes(api, table);
  auditExportRoutes(api, table);
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'authgraph REST API',
      version: '1',
      description: 'The /v1 paths of novem, NovaVMS and RESTume, answered by authgraph. Errors are `{ "detail", "code", "message" }`; 422 is FastAPI\'s `{ "detail": [{ loc, msg, type }] }` with `code` and a one-line `message`.',
    },
    tags: Object.entries(operationTags).map(([name, description]) => ({ name, description })),
  });

  const routesAt = pathMatcher(table);
  http.use('*', async (c, next) => {
    const routes = routesAt(c.req.path);
    if (routes.length === 0) return next();
    if (c.req.method === 'OPTIONS') return answerOptions(c.var.runtime, c.req.raw, routes, clientOf(c));
    const methods = routes.map((route) => route.method);
    if (methods.includes(c.req.method) || (c.req.method === 'HEAD' && methods.includes('GET'))) return next();
    c.header('Allow', allowed(methods).join(', '));
    return errorAnswer(c, 'METHOD_NOT_ALLOWED');
  });
  http.get('/docs', (c) => {
    c.header('Content-Security-Policy', docsPolicy);
    return c.html(docsPage);
  });
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
