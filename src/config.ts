import { resolve } from 'node:path';
import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|file:)/, 'must be a postgres:// URL or a file: path')
    .optional(),
  PUBLIC_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().default('authgraph'),
  JWT_PRIVATE_JWK: z.string().optional(),
  SERVER_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL: seconds(3600),
  REFRESH_TOKEN_TTL: seconds(7 * 24 * 3600),
  REFRESH_TOKEN_REMEMBER_TTL: seconds(30 * 24 * 3600),
  REFRESH_REUSE_GRACE: seconds(10),
  SESSION_MAX_AGE: seconds(90 * 24 * 3600),
  USER_AGENT_BINDING: z.enum(['exact', 'family']).default('exact'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRAPHIQL: flag(true),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  databaseProvider: 'sqlite' | 'postgresql';
  publicUrl: string;
  jwt: { issuer: string; audience: string; privateJwk?: string; accessTokenTtl: number };
  serverSecret?: string;
  refresh: {
    ttl: number;
    rememberTtl: number;
    reuseGrace: number;
    sessionMaxAge: number;
    userAgentBinding: 'exact' | 'family';
  };
  secureCookies: boolean;
  logLevel: string;
  graphiql: boolean;
};

export class ConfigError extends Error {}

/** Reads every setting from the environment once; throws naming each bad variable. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  const parsed = environmentSchema.safeParse(
    Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const settings = parsed.data;
  const dataDir = resolve(settings.DATA_DIR);
  const databaseUrl = settings.DATABASE_URL ?? `file:${resolve(dataDir, 'authgraph.db')}`;
  const publicUrl = (settings.PUBLIC_URL ?? `http://localhost:${settings.PORT}`).replace(/\/$/, '');
  return {
    env: settings.NODE_ENV,
    port: settings.PORT,
    host: settings.HOST,
    dataDir,
    databaseUrl,
    databaseProvider: databaseUrl.startsWith('file:') ? 'sqlite' : 'postgresql',
    publicUrl,
    jwt: {
      issuer: settings.JWT_ISSUER ?? publicUrl,
      audience: settings.JWT_AUDIENCE,
      privateJwk: settings.JWT_PRIVATE_JWK,
      accessTokenTtl: settings.ACCESS_TOKEN_TTL,
    },
    serverSecret: settings.SERVER_SECRET,
    refresh: {
      ttl: settings.REFRESH_TOKEN_TTL,
      rememberTtl: settings.REFRESH_TOKEN_REMEMBER_TTL,
      reuseGrace: settings.REFRESH_REUSE_GRACE,
      sessionMaxAge: settings.SESSION_MAX_AGE,
      userAgentBinding: settings.USER_AGENT_BINDING,
    },
    secureCookies: publicUrl.startsWith('https://'),
    logLevel: settings.LOG_LEVEL,
    graphiql: settings.GRAPHIQL,
  };
}
