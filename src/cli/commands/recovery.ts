import { Option } from 'commander';
import type { Command } from '../command.js';
import { CliError } from '../errors.js';
import { ask, interactive, readNewPassword } from '../prompt.js';

const resetMutation = `mutation Reset($token: String!, $newPassword: String!, $endSessions: Boolean, $revokeApiKeys: Boolean) {
  resetPassword(token: $token, newPassword: $newPassword, endSessions: $endSessions, revokeApiKeys: $revokeApiKeys)
}`;

type RecoveryAnswer = { verifyRecoveryCode: { resetToken: string | null } };

/**
 * Two steps, so that scripts can run them apart: the mail is requested, then the
 * code from it (on the terminal, or with --code) buys a reset token that sets
 * the new password at once; the token never leaves this process.
 */
export const forgotPassword: Command = {
  signature: 'forgot-password <email>',
  summary: 'mail a recovery code, then set a new password with it (asked without echo, or read from the first line of stdin)',
  options: [
    new Option('--code <code>', 'the code from a recovery mail already received: skips sending another'),
    new Option('--keep-sessions', 'leave your other sign-ins running (by default they end)'),
    new Option('--revoke-keys', 'revoke your API keys too'),
  ],
  async run({ client, output, args: [email = ''], options }) {
    let code = options.code as string | undefined;
    if (!code) {
      await client.anonymous('mutation Forgot($email: EmailAddress!) { forgotPassword(email: $email) }', { email });
      if (!interactive()) {
        output.result({ email, mailed: true }, () => `If ${email} has an account, a recovery code is on its way.`);
        output.note(`Then: authgraph forgot-password ${email} --code <code>, with the new password on stdin.`);
        return;
      }
      output.note(`If ${email} has an account, a recovery code is on its way.`);
      code = await ask('Code from the mail: ');
    }
    const { verifyRecoveryCode } = await client.anonymous<RecoveryAnswer>(
      'mutation Recover($email: EmailAddress!, $code: String!) { verifyRecoveryCode(email: $email, code: $code) { resetToken } }',
      { email, code },
    );
    const resetToken = verifyRecoveryCode.resetToken;
    const reset = async (newPassword: string) =>
      client.anonymous(resetMutation, { token: resetToken, newPassword, endSessions: !options.keepSessions, revokeApiKeys: options.revokeKeys === true });
    for (;;) {
      try {
        await reset(await readNewPassword('New password: '));
        break;
      } catch (error) {
        // A refused password leaves the reset token unspent: on a terminal, try another.
        const refusal = error instanceof CliError && error.code === 'BAD_USER_INPUT' ? error.fields?.[0]?.message : undefined;
        if (!refusal || !interactive()) throw error;
        output.note(`The new password ${refusal}.`);
      }
    }
    output.result({ email, passwordReset: true }, () => `The password of ${email} is changed; sign in with authgraph login.`);
  },
};
