import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
// zod's mini build: the full one would be four fifths of the bundled CLI, loaded on every command.
import * as z from 'zod/mini';
import { CliError, exitCodes } from './errors.js';

const storedSessionSchema = z.object({
  username: z.string(),
  accessToken: z.string(),
  /** ISO time; the CLI refreshes a little before it. */
  accessTokenExpiresAt: z.string(),
  refreshToken: z.string(),
});

const configSchema = z.object({
  /** The server used when --server is not given: the last one signed in to. */
  server: z.optional(z.string()),
  /** Tokens per server URL, so a token is only ever sent to the server that issued it. */
  sessions: z._default(z.record(z.string(), storedSessionSchema), {}),
});

export type StoredSession = z.infer<typeof storedSessionSchema>;
export type CliConfig = z.infer<typeof configSchema>;

/** `$XDG_CONFIG_HOME/authgraph/config.json`, else `~/.config/authgraph/config.json` (a relative XDG path is ignored, as the spec says). */
export function configPath(environment: NodeJS.ProcessEnv = process.env): string {
  const xdg = environment.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config');
  return join(base, 'authgraph', 'config.json');
}

export function readConfig(path: string): CliConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { sessions: {} };
    throw error;
  }
  let parsed;
  try {
    parsed = configSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new CliError(`${path} is not a valid authgraph config file; fix or delete it.`, exitCodes.failed);
  return parsed.data;
}

/** Tokens are secrets: the directory is 0700, the file 0600, replaced atomically so a crash never leaves half a file. */
export function writeConfig(path: string, config: CliConfig): void {
  const directory = dirname(path);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  chmodSync(directory, 0o700);
  const temporary = `${path}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, path);
}
