import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { bundleClientForBrowsers, clientBrowserBuildFile } from '../../scripts/build-client.js';

it("the console's copy of the client's browser build is current (run `npx tsx scripts/build-client.ts`)", async () => {
  expect(readFileSync(clientBrowserBuildFile, 'utf8')).toBe(await bundleClientForBrowsers());
});
