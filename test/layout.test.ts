import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The shape the code keeps (README, "Code map"); import cycles are checked by `npm run check:cycles`.
const src = join(import.meta.dirname, '../src');

function sourceFiles(folder: string): string[] {
  return readdirSync(join(src, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('layout', () => {
  it('REST handlers and GraphQL resolvers never query the database: they call the service layer', () => {
    const queries = /\.db\.\$?\w+|\$transaction|\$queryRaw|\$executeRaw/;
    const offenders = [...sourceFiles('rest'), ...sourceFiles('schema')].flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, index) => ({ line, at: `${relative(src, file)}:${index + 1}` }))
        .filter(({ line }) => queries.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it('runtime.ts declares the Runtime and imports nothing but types', () => {
    const imports = readFileSync(join(src, 'runtime.ts'), 'utf8').split('\n').filter((line) => line.startsWith('import '));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((line) => !line.startsWith('import type '))).toEqual([]);
  });

  it('schema/ holds only Pothos types and their resolvers: every file but the builder defines some', () => {
    const withoutTypes = sourceFiles('schema')
      .filter((file) => !file.endsWith('builder.ts') && !file.endsWith('index.ts'))
      .filter((file) => !/builder\.\w+(Type|Object|Fields|Field|Ref)\b|builder\.prismaObject/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(src, file));
    expect(withoutTypes).toEqual([]);
  });
});
