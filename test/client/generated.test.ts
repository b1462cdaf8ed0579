import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { generatedFile, generateClientTypes } from '../../packages/client/codegen.js';

it("the client's generated types match schema.graphql and its operations (run `npm --prefix packages/client run codegen`)", async () => {
  expect(readFileSync(generatedFile, 'utf8')).toBe(await generateClientTypes());
});
