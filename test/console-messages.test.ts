// The console's words and files: the French catalogue has every key of the English one (and no
// other), every literal key the console asks for is in the catalogue, every module the console
// imports is served, and the committed Preact bundle is the one the build makes.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePreactForConsole, consolePreactFile } from '../scripts/build.js';
import { createTestApp, type TestApp } from './helpers/app.js';

const consoleDirectory = new URL('../src/console/', import.meta.url);
const modules = readdirSync(consoleDirectory).filter((name) => name.endsWith('.js'));
const source = (name: string) => readFileSync(new URL(name, consoleDirectory), 'utf8');
// Loaded as the browser loads them (plain modules, no types).
const catalogue = async (name: string) => ((await import(new URL(name, consoleDirectory).href)) as { default: Record<string, string> }).default;
const en = await catalogue('messages-en.js');
const fr = await catalogue('messages-fr.js');

describe('the console catalogues', () => {
  it('French has exactly the keys English has', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it('has every literal key the console asks for', () => {
    const asked = modules.flatMap((name) => [...source(name).matchAll(/\bt\('([\w.]+)'/g)].map((match) => match[1]!));
    expect(asked.length).toBeGreaterThan(100);
    expect(asked.filter((key) => !Object.hasOwn(en, key))).toEqual([]);
  });

  it('fills each placeholder the English message has in the French one too', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    const differing = Object.entries(en).filter(([key, text]) => placeholders(text).join() !== placeholders(fr[key] ?? '').join());
    expect(differing).toEqual([]);
  });
});

describe('the console files', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app?.close());

  it('serves every module another console module imports', async () => {
    const imported = new Set(modules.flatMap((name) => [...source(name).matchAll(/from '\.\/([\w-]+\.js)'/g)].map((match) => match[1]!)));
    imported.add('app.js');
    for (const name of imported) expect([name, (await app.request(`/console/assets/${name}`)).status]).toEqual([name, 200]);
  });

  it("the console's copy of Preact and htm is current (npm run build refreshes it)", async () => {
    expect(readFileSync(consolePreactFile, 'utf8')).toBe(await bundlePreactForConsole());
  });
});
