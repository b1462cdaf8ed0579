// `npx tsx scripts/build-client.ts`: bundles @authgraph/client for browsers into
// src/console/authgraph-client.js, which the console loads as one of its plain files (so
// the console refreshes tokens through the same code as every other client). Committed,
// like schema.graphql; test/client/browser-build.test.ts checks it is current.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
export const clientBrowserBuildFile = new URL('src/console/authgraph-client.js', `file://${root}`);

/** The client as one ES module for browsers: nothing from Node, no dependencies (its documents are strings). */
export async function bundleClientForBrowsers(): Promise<string> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['packages/client/src/index.ts'],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    legalComments: 'none',
    banner: { js: '// @authgraph/client for browsers, built by scripts/build-client.ts from packages/client/src: do not edit.' },
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(clientBrowserBuildFile, await bundleClientForBrowsers());
