import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './helpers/server-process.js';

// Issue 21: the README's curl session, run as a newcomer would paste it, against `npm start`'s server.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const session = /```sh\n(Q\(\) \{ curl[\s\S]*?)```/.exec(readme)![1]!;

describe('the README quick start', () => {
  let server: Awaited<ReturnType<typeof startServerProcess>>;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(() => server.destroy());

  it('its curl session registers, signs in, answers whoami, refreshes and logs out, each without an error', async () => {
    const script = session.replaceAll('localhost:4000', new URL(server.url).host);
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script]);
    const answers = stdout.trim().split('\n').map((line) => JSON.parse(line) as { data?: Record<string, unknown>; errors?: unknown });
    expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined, undefined, undefined]);
    expect(answers.map((answer) => Object.keys(answer.data ?? {})[0])).toEqual(['register', 'whoami', 'refresh', 'logout']);
  });
});
