import { readFileSync } from 'node:fs';
import type { Context, Hono } from 'hono';
import type { Config } from '../config.js';
import type { RestEnv } from '../rest/api.js';
import { projectRoot } from '../paths.js';

const consoleDirectory = new URL('src/console/', projectRoot);

/** Every file the console is made of; nothing else under /console/assets is served. */
const assetTypes: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'account.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  // @authgraph/client's browser build (scripts/build-client.ts), which api.js signs in and refreshes through.
  'authgraph-client.js': 'text/javascript; charset=utf-8',
  'proof-dialog.js': 'text/javascript; charset=utf-8',
  'security.js': 'text/javascript; charset=utf-8',
  'i18n.js': 'text/javascript; charset=utf-8',
  'key-parts.js': 'text/javascript; charset=utf-8',
  'keys.js': 'text/javascript; charset=utf-8',
  'messages-en.js': 'text/javascript; charset=utf-8',
  'messages-fr.js': 'text/javascript; charset=utf-8',
  // Preact and htm, bundled by scripts/build.ts: the components the console is built of.
  'preact.js': 'text/javascript; charset=utf-8',
  'service-accounts.js': 'text/javascript; charset=utf-8',
  'sessions.js': 'text/javascript; charset=utf-8',
  'sign-in.js': 'text/javascript; charset=utf-8',
  'ui.js': 'text/javascript; charset=utf-8',
  'sign-up.js': 'text/javascript; charset=utf-8',
  'usage-chart.js': 'text/javascript; charset=utf-8',
  'users.js': 'text/javascript; charset=utf-8',
  'webhooks.js': 'text/javascript; charset=utf-8',
  // @simplewebauthn/browser, bundled by scripts/build.ts: passkeys on the sign-in and security pages.
  'webauthn.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/** Google Identity Services is the only thing from elsewhere, and only when Google sign-in is configured. */
const googleIdentityServices = 'https://accounts.google.com/gsi/';

export function consolePolicy(googleSignIn: boolean): string {
  const google = googleSignIn ? ` ${googleIdentityServices}` : '';
  return [
    "default-src 'none'",
    `script-src 'self'${googleSignIn ? ` ${googleIdentityServices}client` : ''}`,
    `style-src 'self'${google}`,
    "img-src 'self' data:",
    `connect-src 'self'${google}`,
    `frame-src${googleSignIn ? google : " 'none'"}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    // Forms are sent by script; if it ever fails, a password must not end up in a URL.
    "form-action 'none'",
  ].join('; ');
}

const escapeAttribute = (value: string) => value.replace(/[&"<>]/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * The web console: static files under src/console, one HTML shell for every
 * console path (the script routes on the path), and the /admin pages
 * (service accounts, users, webhooks), which open their views. It talks only to /graphql.
 */
export function mountConsole(http: Hono<RestEnv>, config: Config) {
  const googleClientId = config.oidc.clientId;
  const policy = consolePolicy(Boolean(googleClientId));
  const read = (name: string) => readFileSync(new URL(name, consoleDirectory), 'utf8');
  const shell = read('index.html')
    .replace('<meta name="google-client-id" content="">', `<meta name="google-client-id" content="${escapeAttribute(googleClientId ?? '')}">`)
    .replace('<meta name="passwordless-signup" content="">', `<meta name="passwordless-signup" content="${config.passwordlessSignup}">`);

  const page = (c: Context) => {
    c.header('Content-Security-Policy', policy);
    c.header('Cache-Control', 'no-cache');
    return c.html(shell);
  };
  http.get('/console', page);
  http.get('/admin/service-accounts', page);
  http.get('/admin/users', page);
  http.get('/admin/users/:id', page);
  http.get('/admin/webhooks', page);
  const assets = new Map(Object.entries(assetTypes).map(([name, type]) => [name, { type, body: read(name) }]));
  http.get('/console/assets/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) return c.notFound();
    c.header('Content-Type', asset.type);
    c.header('Content-Security-Policy', policy);
    c.header('Cache-Control', 'no-cache');
    return c.body(asset.body);
  });
  http.get('/console/*', page);
}
