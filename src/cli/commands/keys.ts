import { Option } from 'commander';
import type { Command } from '../command.js';
import { parseExpiry, parseGraceSeconds } from '../durations.js';
import { CliError, exitCodes, usageError } from '../errors.js';
import { formatTime, table } from '../output.js';
import { keyFields, keyStatus, listKeys, resolveKeyId, type ApiKey } from './api-keys.js';

type TokenEvent = { at: string; action: string; operation: string | null; outcome: string; ip: string | null; userAgent: string | null };

const describe = (key: ApiKey) => [
  `id           ${key.id}`,
  `name         ${key.name}`,
  `prefix       ${key.prefix}`,
  `environment  ${key.environment}`,
  `scopes       ${key.scopes?.join(' ') ?? "all of the owner's"}`,
  `permissions  ${key.permissions.join(' ') || 'none'}`,
  `status       ${keyStatus(key)}`,
  `created      ${formatTime(key.createdAt)}`,
  `last used    ${formatTime(key.lastUsedAt)}`,
  `expires      ${key.expiresAt ? formatTime(key.expiresAt) : 'never'}`,
  ...(key.revokedAt ? [`revoked      ${formatTime(key.revokedAt)}`] : []),
];

const keyArgument = '<key>';
const oneTimeWarning = 'Store the key now: it is shown only this once.';

export const create: Command = {
  signature: 'create <name>',
  summary: 'mint an API key; its whole value is shown this once',
  options: [
    new Option('--scope <scope>', 'what the key may do (repeat for several; default: all of yours)').argParser(
      (scope: string, previous: string[] = []) => [...previous, scope],
    ),
    new Option('--permission <name>', "one of this server's permissions, e.g. cameras:read (repeat for several; default: none)").argParser(
      (name: string, previous: string[] = []) => [...previous, name],
    ),
    new Option('--expires <when>', 'a duration like 30d, 12h or 90m, or an ISO date (default: never)').argParser((when: string) => parseExpiry(when)),
    new Option('--test', 'a TEST key (sk_test_) instead of a LIVE one'),
  ],
  async run({ client, output, args, options }) {
    const input = {
      name: args[0],
      scopes: options.scope,
      permissions: options.permission,
      expiresAt: options.expires,
      environment: options.test ? 'TEST' : 'LIVE',
    };
    const { createApiKey: created } = await client.sensitive<{ createApiKey: { apiKey: ApiKey; rawKey: string } }>(
      `mutation CreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { ${keyFields} } rawKey } }`,
      { input },
    );
    output.result(created, ({ apiKey, rawKey }) => [`Created ${apiKey.environment} key "${apiKey.name}" (${apiKey.id}):`, rawKey]);
    output.note(oneTimeWarning);
  },
};

export const list: Command = {
  signature: 'list',
  summary: 'your API keys, newest first, revoked and expired ones included',
  async run({ client, output }) {
    const keys = await listKeys(client);
    output.result(keys, () =>
      keys.length === 0
        ? 'No API keys.'
        : table(
            ['ID', 'NAME', 'PREFIX', 'STATUS', 'CREATED', 'LAST USED', 'EXPIRES'],
            keys.map((key) => [key.id, key.name, key.prefix, keyStatus(key), formatTime(key.createdAt), formatTime(key.lastUsedAt), key.expiresAt ? formatTime(key.expiresAt) : 'never']),
          ),
    );
  },
};

export const info: Command = {
  signature: `info ${keyArgument}`,
  summary: "one key's details (the key by id or name)",
  async run({ client, output, args: [reference = ''] }) {
    const id = await resolveKeyId(client, reference);
    const { apiKey } = await client.authenticated<{ apiKey: ApiKey | null }>(`query ApiKey($id: ID!) { apiKey(id: $id) { ${keyFields} } }`, { id });
    if (!apiKey) throw new CliError(`No API key ${reference}.`, exitCodes.failed, 'NOT_FOUND');
    output.result(apiKey, describe);
  },
};

export const log: Command = {
  signature: `log ${keyArgument}`,
  summary: "a key's activity, newest first, a page at a time",
  options: [
    new Option('--first <n>', 'how many events (a page)').argParser((value: string) => {
      if (!/^\d+$/.test(value)) throw usageError('--first takes a whole number.');
      return Number(value);
    }),
    new Option('--after <cursor>', 'the page after this cursor (printed after a page)'),
  ],
  async run({ client, output, args: [reference = ''], options }) {
    const id = await resolveKeyId(client, reference);
    const { tokenLog } = await client.authenticated<{
      tokenLog: { nodes: TokenEvent[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    }>(
      `query TokenLog($id: ID!, $first: Int, $after: String) {
        tokenLog(tokenId: $id, first: $first, after: $after) { nodes { at action operation outcome ip userAgent } pageInfo { hasNextPage endCursor } }
      }`,
      { id, first: options.first, after: options.after },
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
    if (nextCursor) output.note(`More: authgraph keys log ${reference} --after ${nextCursor}`);
  },
};

export const revoke: Command = {
  signature: `revoke ${keyArgument}`,
  summary: 'revoke a key; it is refused from the next request on',
  async run({ client, output, args: [reference = ''] }) {
    const id = await resolveKeyId(client, reference);
    const { revokeApiKey } = await client.sensitive<{ revokeApiKey: ApiKey }>(
      `mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ${keyFields} } }`,
      { id },
    );
    output.result(revokeApiKey, (key) => `Revoked key "${key.name}" (${key.id}).`);
  },
};

export const roll: Command = {
  signature: `roll ${keyArgument}`,
  summary: 'a new secret for the same key (id, name, scopes, log); its whole value is shown this once',
  options: [
    new Option('--grace <duration>', 'how long the old secret keeps working, e.g. 1h or 7d (default: not at all)').argParser((duration: string) =>
      parseGraceSeconds(duration),
    ),
  ],
  async run({ client, output, args: [reference = ''], options }) {
    const id = await resolveKeyId(client, reference);
    const { rollApiKey: rolled } = await client.sensitive<{ rollApiKey: { apiKey: ApiKey; rawKey: string } }>(
      `mutation RollApiKey($id: ID!, $grace: Int) { rollApiKey(id: $id, gracePeriodSeconds: $grace) { apiKey { ${keyFields} } rawKey } }`,
      { id, grace: options.grace },
    );
    const oldSecret = options.grace ? `the old one works for ${options.grace} more seconds` : 'the old one no longer works';
    output.result(rolled, ({ apiKey, rawKey }) => [`Rolled key "${apiKey.name}" (${apiKey.id}); ${oldSecret}:`, rawKey]);
    output.note(oneTimeWarning);
  },
};
