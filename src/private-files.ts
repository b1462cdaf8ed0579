import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';

/**
 * DATA_DIR holds the database, the signing keys and the server secret: only the
 * server's user may read them. Modes are set again with chmod, since a mode given
 * at creation goes through the umask.
 */
const privateDirectoryMode = 0o700;
const privateFileMode = 0o600;

/** Makes a directory (and its missing parents) 0700; an existing directory is left as the operator made it. */
export function makePrivateDirectory(directory: string): void {
  if (mkdirSync(directory, { recursive: true, mode: privateDirectoryMode }) !== undefined) chmodSync(directory, privateDirectoryMode);
}

/** Creates the file empty if missing, then makes it 0600 (a file the server does not own is left alone). */
export function makePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', privateFileMode));
  restrictFile(file);
}

/** Makes an existing file 0600; a missing one, or one owned by someone else, is left alone. */
export function restrictFile(file: string): void {
  try {
    chmodSync(file, privateFileMode);
  } catch (error) {
    if (!['ENOENT', 'EPERM', 'EROFS'].includes((error as { code?: string }).code ?? '')) throw error;
  }
}
