import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { dropTestDatabase, freshDatabaseUrl } from './helpers/app.js';

// Issue 21: readable log lines for a developer at a terminal (LOG_FORMAT=auto picks them on a TTY), JSON for machines.
async function firstLines(logFormat: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'authgraph-log-format-'));
  const databaseUrl = freshDatabaseUrl(dataDir);
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: new URL('../', import.meta.url),
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: logFormat },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  await vi.waitFor(() => expect(output).toContain('authgraph is listening'), { timeout: 60_000, interval: 50 });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  await dropTestDatabase(databaseUrl, dataDir);
  return output.split('\n').filter(Boolean);
}

describe('LOG_FORMAT', () => {
  it('pretty: readable lines with the time, level and message first', async () => {
    const lines = await firstLines('pretty');
    const listening = lines.find((line) => line.includes('authgraph is listening'))!;
    expect(listening).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO.*: authgraph is listening/);
    expect(() => JSON.parse(listening)).toThrow();
  });

  it('auto, when stdout is not a terminal: one JSON object per line', async () => {
    const lines = await firstLines('auto');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  });
});
