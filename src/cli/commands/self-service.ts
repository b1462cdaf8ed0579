import { Option } from 'commander';
import type { Command } from '../command.js';
import { CliError, exitCodes } from '../errors.js';
import { ask, interactive } from '../prompt.js';

export const setName: Command = {
  signature: 'set-name [name]',
  summary: 'your full name, as mails address you (none given: clear it)',
  async run({ client, output, args: [name] }) {
    const { updateProfile } = await client.sensitive<{ updateProfile: { username: string; fullName: string | null } }>(
      'mutation UpdateProfile($fullName: String) { updateProfile(fullName: $fullName) { username fullName } }',
      { fullName: name?.trim() || null },
    );
    output.result(updateProfile, (account) => (account.fullName ? `Your name is now ${account.fullName}.` : 'Your name is cleared.'));
  },
};

export const exportData: Command = {
  signature: 'export',
  summary: 'everything stored about your account, as JSON on stdout',
  async run({ client }) {
    const { exportAccount } = await client.sensitive<{ exportAccount: unknown }>('mutation ExportAccount { exportAccount }');
    process.stdout.write(`${JSON.stringify(exportAccount, null, 2)}\n`);
  },
};

export const deleteAccount: Command = {
  signature: 'delete',
  summary: 'delete your account: every session and key ends at once (asks for the username, or give --yes)',
  options: [new Option('--yes', 'do not ask')],
  async run({ client, output, options }) {
    const username = client.session?.username;
    if (options.yes !== true) {
      if (!interactive()) throw new CliError('Give --yes to delete the account without a terminal to confirm on.', exitCodes.usage, 'USAGE');
      if ((await ask(`Type ${username} to delete this account for good: `)).trim() !== username) throw new CliError('Not deleted.', exitCodes.failed);
    }
    const { deleteAccount } = await client.sensitive<{ deleteAccount: { deleted: boolean; dueAt: string | null } }>('mutation DeleteAccount { deleteAccount { deleted dueAt } }');
    client.saveSession(undefined);
    output.result(deleteAccount, (deletion) =>
      deletion.deleted ? `Deleted ${username}; you are signed out.` : `${username} will be deleted at ${deletion.dueAt}; sign in before then and run \`authgraph account keep\` to keep it.`,
    );
  },
};

export const keep: Command = {
  signature: 'keep',
  summary: 'cancel a scheduled deletion of your account',
  async run({ client, output }) {
    await client.authenticated('mutation Keep { cancelAccountDeletion { username } }');
    output.result({ kept: true }, () => 'Your account is kept.');
  },
};
