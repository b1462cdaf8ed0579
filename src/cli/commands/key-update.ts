import { Option } from 'commander';
import type { Command } from '../command.js';
import { parseExpiry, parseGraceSeconds } from '../durations.js';
import { usageError } from '../errors.js';
import { keyFields, resolveKeyId, type ApiKey } from './api-keys.js';

/** `100` (per minute) or `100/1h`; `plan` goes back to the owner's plan's rate. */
function parseRateLimit(value: string) {
  if (value === 'plan') return null;
  const match = /^(\d+)(?:\/(\d+[smhd]))?$/.exec(value);
  if (!match) throw usageError(`--rate-limit takes requests per window like 100 (a minute) or 1000/1h, or "plan"; got "${value}".`);
  return { limit: Number(match[1]), windowSeconds: match[2] ? parseGraceSeconds(match[2]) : 60 };
}

/** `10000/monthly` or `500/daily`; `none` removes the budget. */
function parseUsage(value: string) {
  if (value === 'none') return null;
  const match = /^(\d+)\/(daily|monthly)$/.exec(value);
  if (!match) throw usageError(`--usage takes a budget like 10000/monthly or 500/daily, or "none"; got "${value}".`);
  return { limit: Number(match[1]), refill: match[2]!.toUpperCase() };
}

const permissionList = (value: string) => value.split(',').map((name) => name.trim()).filter(Boolean);

export const update: Command = {
  signature: 'update <key>',
  summary: "change a key's name, permissions, expiry, rate limit or usage budget (widening wants a recent sign-in)",
  options: [
    new Option('--name <name>', 'a new name'),
    new Option('--permissions <list>', 'comma-separated permissions of this server (replaces the list; "" for none)').argParser(permissionList),
    new Option('--expires <when>', 'a duration like 30d, an ISO date, or "never"').argParser((when: string) => (when === 'never' ? null : parseExpiry(when))),
    new Option('--rate-limit <rate>', 'requests per window: 100 (a minute), 1000/1h, or "plan"').argParser(parseRateLimit),
    new Option('--usage <budget>', 'a budget: 10000/monthly, 500/daily, or "none"').argParser(parseUsage),
  ],
  async run({ client, output, args: [reference = ''], options }) {
    const id = await resolveKeyId(client, reference);
    const input = {
      name: options.name,
      permissions: options.permissions,
      expiresAt: options.expires,
      rateLimit: options.rateLimit,
      usage: options.usage,
    };
    const { updateApiKey: updated } = await client.sensitive<{ updateApiKey: ApiKey }>(
      `mutation UpdateApiKey($id: ID!, $input: UpdateApiKeyInput!) { updateApiKey(id: $id, input: $input) { ${keyFields} } }`,
      { id, input },
    );
    output.result(updated, (key) => `Updated key "${key.name}" (${key.id}).`);
  },
};
