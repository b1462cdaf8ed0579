import type { ApiClient } from '../api-client.js';
import { CliError, exitCodes } from '../errors.js';

export type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  environment: 'LIVE' | 'TEST';
  scopes: string[] | null;
  permissions: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  isActive: boolean;
};

export const keyFields = 'id name prefix environment scopes permissions createdAt lastUsedAt expiresAt revokedAt isActive';

export const keyStatus = (key: ApiKey) => (key.revokedAt ? 'revoked' : key.isActive ? 'active' : 'expired');

const pageOfKeys = `query ApiKeys($after: String) {
  apiKeys(first: 100, after: $after) { nodes { ${keyFields} } pageInfo { hasNextPage endCursor } }
}`;

type KeyPage = { apiKeys: { nodes: ApiKey[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

/** Every key of the signed-in account, newest first. */
export async function listKeys(client: ApiClient): Promise<ApiKey[]> {
  const keys: ApiKey[] = [];
  let after: string | null = null;
  do {
    const { apiKeys }: KeyPage = await client.authenticated(pageOfKeys, { after });
    keys.push(...apiKeys.nodes);
    after = apiKeys.pageInfo.hasNextPage ? apiKeys.pageInfo.endCursor : null;
  } while (after);
  return keys;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The id a command argument names: a UUID as it is (no listing needed), else the
 * key of that name. Names are not unique, so a name that several keys share
 * means the active one among them; with none or several active it is ambiguous.
 */
export async function resolveKeyId(client: ApiClient, reference: string): Promise<string> {
  if (uuidPattern.test(reference)) return reference;
  const named = (await listKeys(client)).filter((key) => key.name === reference);
  const active = named.filter((key) => key.isActive);
  const [only] = named.length === 1 ? named : active.length === 1 ? active : [];
  if (only) return only.id;
  if (named.length === 0) throw new CliError(`No API key named "${reference}"; see authgraph keys list.`, exitCodes.failed, 'NOT_FOUND');
  const choices = named.map((key) => `  ${key.id}  ${keyStatus(key)}`).join('\n');
  throw new CliError(`${named.length} API keys are named "${reference}"; give one of their ids:\n${choices}`, exitCodes.usage, 'AMBIGUOUS');
}
