import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TokenStorage } from './storage.js';
import type { StoredTokens } from './tokens.js';

/**
 * Tokens in a JSON file only its owner can read (0600, in a 0700 directory when it creates one),
 * for scripts and command lines. A write goes to a temporary file renamed over the old one, so a
 * crash never leaves half a file.
 */
export function fileStorage(path: string): TokenStorage {
  return {
    async load() {
      try {
        return JSON.parse(await readFile(path, 'utf8')) as StoredTokens;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async save(tokens) {
      if (!tokens) return rm(path, { force: true });
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, path);
    },
  };
}
