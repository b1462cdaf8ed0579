import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { introspectionFromSchema } from 'graphql';
import type { GraphiQLOptions } from 'graphql-yoga';
import type { Context, Hono } from 'hono';
import type { RestEnv } from '../rest/api.js';
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
 * GraphiQL gets the schema with its assets instead of introspecting it at each
 * load, so it also works where introspection is off (GRAPHIQL=true in production).
 * Headers are not persisted: they hold bearer tokens, which must not linger in
 * localStorage.
 */
export const graphiqlOptions: GraphiQLOptions & { schema: ReturnType<typeof introspectionFromSchema> } = {
  title: 'authgraph',
  defaultQuery: graphiqlDefaultQuery,
  shouldPersistHeaders: false,
  schema: introspectionFromSchema(schema),
};

/** Where GraphiQL's files are served: /graphql itself is yoga's, and none of its answers may be cached. */
const assetsPath = '/graphql/graphiql';

type Asset = { type: string; body: Buffer; encoded: Map<'br' | 'gzip', Promise<Buffer>> };
type GraphiqlBuild = { page: string; assets: Map<string, Asset> };

const compressors = {
  br: (body: Buffer) => promisify(brotliCompress)(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body: Buffer) => promisify(gzip)(body),
};

/** A file named by its content, so that a browser may keep it for good: a new GraphiQL or schema is a new name. */
function addAsset(assets: Map<string, Asset>, name: string, extension: string, type: string, body: Buffer): string {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  const file = `${name}.${hash}.${extension}`;
  assets.set(file, { type, body, encoded: new Map() });
  return `${assetsPath}/${file}`;
}

/**
 * GraphiQL as files (about 9 MB, 1.7 with brotli) and a page of a few lines that
 * loads them: the page, like every /graphql answer, is never cached; the files are.
 */
async function buildGraphiql(): Promise<GraphiqlBuild> {
  const parts = await import('@graphql-yoga/render-graphiql/graphiql');
  const assets = new Map<string, Asset>();
  const add = (name: string, extension: string, type: string, body: string | Buffer) => addAsset(assets, name, extension, type, Buffer.from(body));
  const js = 'text/javascript; charset=utf-8';
  const workers = {
    editorWorkerService: add('editor-worker', 'js', js, parts.editorWorkerService),
    json: add('json-worker', 'js', js, parts.jsonWorker),
    graphql: add('graphql-worker', 'js', js, parts.graphqlWorker),
  };
  const monaco = `self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => (${JSON.stringify(workers)})[label] };`;
  const script = add('graphiql', 'js', js, `${monaco}\n${parts.js};`);
  const start = add('start', 'js', js, `YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${JSON.stringify(graphiqlOptions)});`);
  const style = add('graphiql', 'css', 'text/css; charset=utf-8', parts.css);
  const icon = add('favicon', 'ico', 'image/x-icon', Buffer.from(parts.favicon.replace(/^data:[^,]*,/, ''), 'base64'));
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${graphiqlOptions.title}</title>
<link rel="icon" href="${icon}"><link rel="stylesheet" href="${style}"></head>
<body id="body" class="no-focus-outline"><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div>
<script src="${script}"></script><script src="${start}"></script></body></html>`;
  return { page, assets };
}

let graphiqlBuild: Promise<GraphiqlBuild> | undefined;
/** Built on first use: the render-graphiql module alone is 9 MB. */
const builtGraphiql = () => (graphiqlBuild ??= buildGraphiql());

/** The page yoga answers GET /graphql from a browser with. */
export async function renderGraphiQL(): Promise<string> {
  return (await builtGraphiql()).page;
}

/** GraphiQL's page policy: its files from here only; GraphiQL sets inline styles and shows data: images and fonts. */
const pagePolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The CSP of the GraphiQL page. */
export function graphiqlPolicy(): string {
  return pagePolicy;
}

/** The encodings a request accepts that a file can be sent in, best first. */
function acceptedEncoding(c: Context): 'br' | 'gzip' | undefined {
  const accepted = (c.req.header('accept-encoding') ?? '').split(',').map((entry) => entry.trim().split(';')[0]);
  return accepted.includes('br') ? 'br' : accepted.includes('gzip') ? 'gzip' : undefined;
}

/** GraphiQL's files where GraphiQL is served, compressed as the browser asks (each encoding made once), cacheable for a year. */
export function mountGraphiqlAssets(http: Hono<RestEnv>): void {
  http.get(`${assetsPath}/:file`, async (c) => {
    const asset = c.var.runtime.config.graphiql ? (await builtGraphiql()).assets.get(c.req.param('file')) : undefined;
    if (!asset) return c.notFound();
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('Vary', 'Accept-Encoding');
    const encoding = acceptedEncoding(c);
    if (!encoding) return c.body(new Uint8Array(asset.body));
    let encoded = asset.encoded.get(encoding);
    if (!encoded) asset.encoded.set(encoding, (encoded = compressors[encoding](asset.body)));
    c.header('Content-Encoding', encoding);
    return c.body(new Uint8Array(await encoded));
  });
}
