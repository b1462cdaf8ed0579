// `npm run build` (also run by `npm install` and before `npm start`): bundles the server and
// its packages into dist/main.js, with what it loads only on demand (GraphiQL's page, the
// other database's client) in chunks beside it. Plain node then starts it without resolving
// and compiling hundreds of modules: ready in half the time of a bundle that leaves
// node_modules external, a quarter of tsx's. It also bundles the command line into one
// self-contained dist/cli.js (no chunks, no dependencies), the file @authgraph/cli publishes.
import { build } from 'esbuild';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const outdir = join(root, 'dist');

/** `authgraph`: started once per command, so the whole of it is one file that node loads without resolving anything. */
function buildCli() {
  return build({
    absWorkingDir: root,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'warning',
  });
}

/** A library as one ES module the console loads beside its own files (no CDN); committed, and refreshed here. */
async function bundleForConsole(contents: string, what: string): Promise<string> {
  const result = await build({
    absWorkingDir: root,
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    legalComments: 'none',
    banner: { js: `// ${what} for the console, bundled by scripts/build.ts: do not edit.` },
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

/** @simplewebauthn/browser: passkeys on the sign-in and security pages. */
export const consoleWebauthnFile = join(root, 'src/console/webauthn.js');

export const bundleWebauthnForConsole = () =>
  bundleForConsole("export { browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';", '@simplewebauthn/browser');

/** Preact, its hooks and htm (tagged templates instead of JSX, so the console's own files need no build step). */
export const consolePreactFile = join(root, 'src/console/preact.js');

export const bundlePreactForConsole = () =>
  bundleForConsole(
    [
      "import { h } from 'preact';",
      "import htm from 'htm';",
      "export { Fragment, h, render } from 'preact';",
      "export { useEffect, useErrorBoundary, useLayoutEffect, useRef, useState } from 'preact/hooks';",
      'export const html = htm.bind(h);',
    ].join('\n'),
    'preact, preact/hooks and htm',
  );

async function writeConsoleLibraries() {
  for (const [file, bundle] of [[consoleWebauthnFile, bundleWebauthnForConsole], [consolePreactFile, bundlePreactForConsole]] as const) {
    const bundled = await bundle();
    // Written only when it changed: a build leaves the committed copy (and its mtime) alone.
    if (!existsSync(file) || readFileSync(file, 'utf8') !== bundled) writeFileSync(file, bundled);
  }
}

export async function buildServer() {
  await writeConsoleLibraries();
  const serverBuild = build({
    absWorkingDir: root,
    entryPoints: { main: 'src/main.ts' },
    outdir,
    bundle: true,
    splitting: true,
    // Chunks sit beside main.js, one level below the root, as src/paths.ts expects.
    chunkNames: '[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Native addons load their compiled binaries from their own package directories.
    external: ['better-sqlite3', 'argon2'],
    // The CommonJS packages inside the bundle require node's built-in modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'warning',
  });
  const results = await Promise.all([serverBuild, buildCli()]);
  chmodSync(join(outdir, 'cli.js'), 0o755);
  const written = new Set(results.flatMap((result) => Object.keys(result.metafile.outputs)).map((file) => join(root, file)));
  for (const file of readdirSync(outdir)) if (!written.has(join(outdir, file))) rmSync(join(outdir, file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
