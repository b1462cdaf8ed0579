// `npm run build` (also run by `npm install` and before `npm start`): bundles the server and
// its packages into dist/main.js, with what it loads only on demand (GraphiQL's page, the
// other database's client) in chunks beside it. Plain node then starts it without resolving
// and compiling hundreds of modules: ready in half the time of a bundle that leaves
// node_modules external, a quarter of tsx's. It also bundles the command line into one
// self-contained dist/cli.js (no chunks, no dependencies), the file @authgraph/cli publishes.
import { build } from 'esbuild';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
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

export async function buildServer() {
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
