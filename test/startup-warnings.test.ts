import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { warnAboutSettings } from '../src/startup-warnings.js';
import { capturingLogger, createTestApp } from './helpers/app.js';

// Issue 20: instances on different ports derived different issuers from PORT and refused
// each other's access tokens. A start on PostgreSQL (where instances share a database)
// without PUBLIC_URL or JWT_ISSUER says so in one line.

const postgres = 'postgres://postgres@127.0.0.1:5432/authgraph';
const issuerWarning = 'the token issuer is derived from PORT';

function warningsFor(environment: Record<string, string>) {
  const { logger, lines } = capturingLogger();
  warnAboutSettings(loadConfig(environment), logger);
  return lines.map((line) => JSON.parse(line) as { level: number; msg: string; issuer?: string });
}

describe('the issuer warning at start', () => {
  it('is one line on PostgreSQL when the issuer comes from PORT', () => {
    expect(warningsFor({ DATABASE_URL: postgres, PORT: '4001' })).toEqual([
      expect.objectContaining({ level: 40, msg: expect.stringContaining(issuerWarning), issuer: 'http://localhost:4001' }),
    ]);
  });

  it.each([
    ['PUBLIC_URL is set', { DATABASE_URL: postgres, PUBLIC_URL: 'https://auth.example.com' }],
    ['JWT_ISSUER is set', { DATABASE_URL: postgres, JWT_ISSUER: 'https://auth.example.com' }],
    ['the database is SQLite (one instance)', { DATABASE_URL: 'file:/tmp/authgraph-warning-test.db' }],
  ])('is not given when %s', (_case, environment) => {
    expect(warningsFor(environment)).toEqual([]);
  });

  it('is logged by the runtime', async () => {
    const app = await createTestApp();
    try {
      const warned = app.logLines.some((line) => line.includes(issuerWarning));
      expect(warned).toBe(app.config.databaseProvider === 'postgresql');
    } finally {
      await app.close();
    }
  });
});
