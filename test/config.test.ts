import { resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('fills in the defaults and the derived values', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.port).toBe(4000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.dataDir).toBe(resolve('./data'));
    expect(config.databaseUrl).toBe(`file:${resolve('./data', 'authgraph.db')}`);
    expect(config.databaseProvider).toBe('sqlite');
    expect(config.publicUrl).toBe('http://localhost:4000');
    expect(config.jwt).toEqual({ issuer: 'http://localhost:4000', issuerFromPort: true, audience: 'authgraph', privateJwk: undefined, accessTokenTtl: 3600, claims: [], claimsMaxBytes: 1024, keyTokenTtl: 300 });
    expect(config.apiKeys.permissions).toEqual([]);
    expect(config.secureCookies).toBe(false);
    expect(config.requestTimeoutMs).toBe(15_000);
    expect(config.requireVerifiedEmail).toBe(true);
    expect(config.mail.from).toBe('authgraph <no-reply@localhost>');
    expect(config.limits.apiKeyRequestsPerMinute).toEqual({ FREE: 60, PRO: 600 });
    expect(config.refresh.userAgentBinding).toBe('exact');
  });

  it('derives values from PUBLIC_URL and DATABASE_URL', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://auth.example.com/', DATABASE_URL: 'postgres://db/authgraph' });
    expect(config.publicUrl).toBe('https://auth.example.com');
    expect(config.jwt.issuer).toBe('https://auth.example.com');
    expect(config.secureCookies).toBe(true);
    expect(config.databaseProvider).toBe('postgresql');
    expect(config.mail.from).toBe('authgraph <no-reply@auth.example.com>');
  });

  it('turns introspection and GraphiQL off in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ graphiql: false, graphql: { introspection: false } });
    expect(loadConfig({ NODE_ENV: 'development' })).toMatchObject({ graphiql: true, graphql: { introspection: true } });
    // GraphiQL follows introspection unless set itself.
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' })).toMatchObject({ graphiql: true, graphql: { introspection: true } });
    expect(loadConfig({ NODE_ENV: 'development', GRAPHIQL: '0' })).toMatchObject({ graphiql: false, graphql: { introspection: true } });
  });

  it("parses booleans from '1', '0', 'true' and 'false'", () => {
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: '1' }).graphql.introspection).toBe(true);
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).graphql.introspection).toBe(false);
    expect(loadConfig({ REQUIRE_VERIFIED_EMAIL: 'false' }).requireVerifiedEmail).toBe(false);
    expect(loadConfig({ REQUIRE_VERIFIED_EMAIL: '0' }).requireVerifiedEmail).toBe(false);
    expect(loadConfig({ REQUIRE_VERIFIED_EMAIL: '1' }).requireVerifiedEmail).toBe(true);
  });

  it('throws a ConfigError naming each bad variable', () => {
    const load = () => loadConfig({ PORT: 'not-a-number', GRAPHIQL: 'yes' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/^Invalid configuration:\n {2}PORT: .+\n {2}GRAPHIQL: /);
  });

  it('refuses a PUBLIC_URL without an http(s) scheme, which mails would carry as a broken link', () => {
    for (const url of ['localhost:4000', 'auth.example.com', 'ftp://auth.example.com', 'https://']) {
      expect(() => loadConfig({ PUBLIC_URL: url }), url).toThrow(/PUBLIC_URL: must be an http:\/\/ or https:\/\/ URL/);
    }
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:4000' }).publicUrl).toBe('http://localhost:4000');
  });

  it("reads the product's permissions and the access-token claims, refusing names it cannot use", () => {
    const config = loadConfig({ API_KEY_PERMISSIONS: 'cameras:read, exports:run', ACCESS_TOKEN_CLAIMS: 'role,plan,permissions' });
    expect(config.apiKeys.permissions).toEqual(['cameras:read', 'exports:run']);
    expect(config.jwt.claims).toEqual(['role', 'plan', 'permissions']);
    expect(() => loadConfig({ API_KEY_PERMISSIONS: 'Cameras Read' })).toThrow(/API_KEY_PERMISSIONS: must be a comma-separated list/);
    expect(() => loadConfig({ API_KEY_PERMISSIONS: 'account:read' })).toThrow(/API_KEY_PERMISSIONS: must not repeat authgraph's own scopes/);
    expect(() => loadConfig({ ACCESS_TOKEN_CLAIMS: 'role,password' })).toThrow(/ACCESS_TOKEN_CLAIMS: must be a comma-separated list of/);
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ PORT: '', PUBLIC_URL: '', GRAPHIQL: '', DATABASE_URL: '', REQUEST_TIMEOUT: '' });
    expect(config.port).toBe(4000);
    expect(config.publicUrl).toBe('http://localhost:4000');
    expect(config.graphiql).toBe(true);
    expect(config.databaseProvider).toBe('sqlite');
    expect(config.requestTimeoutMs).toBe(15_000);
  });
});
