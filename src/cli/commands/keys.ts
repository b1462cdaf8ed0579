import type { Command } from '../command.js';
import { CliError, exitCodes, usageError } from '../errors.js';
import { formatTime, table } from '../output.js';

type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  environment: 'LIVE' | 'TEST';
  scopes: string[] | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  isActive: boolean;
};

type TokenEvent = { at: string; action: string; operation: string | null; outcome: string; ip: string | null; userAgent: string | null };

const keyFields = 'id name prefix environment scopes createdAt lastUsedAt expiresAt revokedAt isActive';

const status = (key: ApiKey) => (key.revokedAt ? 'revoked' : key.isActive ? 'active' : 'expired');

const describe = (key: ApiKey) => [
  `id           ${key.id}`,
  `name         ${key.name}`,
  `prefix       ${key.prefix}`,
  `environment  ${key.environment}`,
  `scopes       ${key.scopes?.join(' ') ?? "all of the owner's"}`,
  `status       ${status(key)}`,
  `created      ${formatTime(key.createdAt)}`,
  `last used    ${formatTime(key.lastUsedAt)}`,
  `expires      ${key.expiresAt ? formatTime(key.expiresAt) : 'never'}`,
  ...(key.revokedAt ? [`revoked      ${formatTime(key.revokedAt)}`] : []),
];

const durationUnits: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--expires 30d` (also `h`, `m`) or an ISO date or date-time. */
export function parseExpiry(value: string, now = Date.now()): string {
  const duration = /^(\d+)([mhd])$/.exec(value);
  if (duration) return new Date(now + Number(duration[1]) * durationUnits[duration[2]!]!).toISOString();
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw usageError(`--expires takes a duration like 30d, 12h or 90m, or an ISO date; got "${value}".`);
  return new Date(at).toISOString();
}

export const create: Command = {
  usage: 'keys create <name> [--scope <scope>]... [--expires 30d|<date>] [--test]',
  summary: 'mint an API key; its whole value is shown this once',
  options: { scope: { type: 'string', multiple: true }, expires: { type: 'string' }, test: { type: 'boolean' } },
  arity: [1, 1],
  async run({ client, output, args, options }) {
    const input = {
      name: args[0],
      scopes: options.scope,
      expiresAt: typeof options.expires === 'string' ? parseExpiry(options.expires) : undefined,
      environment: options.test ? 'TEST' : 'LIVE',
    };
    const { createApiKey: created } = await client.sensitive<{ createApiKey: { apiKey: ApiKey; rawKey: string } }>(
      `mutation CreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { ${keyFields} } rawKey } }`,
      { input },
    );
    output.result(created, ({ apiKey, rawKey }) => [`Created ${apiKey.environment} key "${apiKey.name}" (${apiKey.id}):`, rawKey]);
    output.note('Store the key now: it is shown only this once.');
  },
};

const pageOfKeys = `query ApiKeys($after: String) {
  apiKeys(first: 100, after: $after) { nodes { ${keyFields} } pageInfo { hasNextPage endCursor } }
}`;

export const list: Command = {
  usage: 'keys list',
  summary: 'your API keys, newest first, revoked and expired ones included',
  arity: [0, 0],
  async run({ client, output }) {
    const keys: ApiKey[] = [];
    let after: string | null = null;
    do {
      const { apiKeys }: { apiKeys: { nodes: ApiKey[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
        await client.authenticated(pageOfKeys, { after });
      keys.push(...apiKeys.nodes);
      after = apiKeys.pageInfo.hasNextPage ? apiKeys.pageInfo.endCursor : null;
    } while (after);
    output.result(keys, () =>
      keys.length === 0
        ? 'No API keys.'
        : table(
            ['ID', 'NAME', 'PREFIX', 'STATUS', 'CREATED', 'LAST USED', 'EXPIRES'],
            keys.map((key) => [key.id, key.name, key.prefix, status(key), formatTime(key.createdAt), formatTime(key.lastUsedAt), key.expiresAt ? formatTime(key.expiresAt) : 'never']),
          ),
    );
  },
};

export const info: Command = {
  usage: 'keys info <id>',
  summary: "one key's details",
  arity: [1, 1],
  async run({ client, output, args }) {
    const { apiKey } = await client.authenticated<{ apiKey: ApiKey | null }>(`query ApiKey($id: ID!) { apiKey(id: $id) { ${keyFields} } }`, {
      id: args[0],
    });
    if (!apiKey) throw new CliError(`No API key ${args[0]}.`, exitCodes.failed, 'NOT_FOUND');
    output.result(apiKey, describe);
  },
};

export const log: Command = {
  usage: 'keys log <id> [--first <n>] [--after <cursor>]',
  summary: "a key's activity, newest first, a page at a time",
  options: { first: { type: 'string' }, after: { type: 'string' } },
  arity: [1, 1],
  async run({ client, output, args, options }) {
    const first = options.first === undefined ? undefined : Number(options.first);
    if (first !== undefined && !Number.isInteger(first)) throw usageError('--first takes a whole number.');
    const { tokenLog } = await client.authenticated<{
      tokenLog: { nodes: TokenEvent[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    }>(
      `query TokenLog($id: ID!, $first: Int, $after: String) {
        tokenLog(tokenId: $id, first: $first, after: $after) { nodes { at action operation outcome ip userAgent } pageInfo { hasNextPage endCursor } }
      }`,
      { id: args[0], first, after: options.after },
    );
    const nextCursor = tokenLog.pageInfo.hasNextPage ? tokenLog.pageInfo.endCursor : null;
    output.result({ events: tokenLog.nodes, nextCursor }, ({ events }) =>
      events.length === 0
        ? 'No activity.'
        : table(
            ['AT', 'ACTION', 'OPERATION', 'OUTCOME', 'IP', 'USER AGENT'],
            events.map((event) => [formatTime(event.at), event.action, event.operation ?? '-', event.outcome, event.ip ?? '-', event.userAgent ?? '-']),
          ),
    );
    if (nextCursor) output.note(`More: authgraph keys log ${args[0]} --after ${nextCursor}`);
  },
};

export const revoke: Command = {
  usage: 'keys revoke <id>',
  summary: 'revoke a key; it is refused from the next request on',
  arity: [1, 1],
  async run({ client, output, args }) {
    const { revokeApiKey } = await client.sensitive<{ revokeApiKey: ApiKey }>(
      `mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ${keyFields} } }`,
      { id: args[0] },
    );
    output.result(revokeApiKey, (key) => `Revoked key "${key.name}" (${key.id}).`);
  },
};
