import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePrivateDirectory, restrictFile } from '../private-files.js';
import { randomToken } from './random.js';

/**
 * The secret behind HMACs (refresh-token successors, key pepper). SERVER_SECRET
 * when set (several instances must share it), else DATA_DIR/server-secret, made on first start.
 */
export function loadServerSecret(dataDir: string, fromEnv?: string): string {
  if (fromEnv) return fromEnv;
  const file = join(dataDir, 'server-secret');
  if (existsSync(file)) {
    restrictFile(file);
    return readFileSync(file, 'utf8').trim();
  }
  const secret = randomToken(32);
  makePrivateDirectory(dataDir);
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  restrictFile(file);
  return secret;
}
