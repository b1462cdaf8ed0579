import { Option } from 'commander';
import type { Command } from '../command.js';
import { argumentOrAsk, readNewPassword } from '../prompt.js';

type RegisteredUser = { id: string; username: string; email: string; fullName: string | null };

const registerMutation = `mutation Register($input: RegisterInput!) { register(input: $input) { id username email fullName } }`;

export const register: Command = {
  signature: 'register <username> <email>',
  summary: 'create an account; the password is asked twice without echo, or read from the first line of stdin',
  options: [new Option('--full-name <name>', 'how mails address you')],
  async run({ client, output, args: [username, email], options }) {
    const password = await readNewPassword('Password: ');
    const { register: user } = await client.anonymous<{ register: RegisteredUser }>(registerMutation, {
      input: { username, email, password, fullName: options.fullName },
    });
    output.result(user, () => `Registered ${user.username} <${user.email}> on ${client.server}.`);
    output.note(`A verification code is on its way to ${user.email}: authgraph verify ${user.email} <code>, then authgraph login ${user.username}.`);
  },
};

export const verify: Command = {
  signature: 'verify <email> [code]',
  summary: 'prove an e-mail address with the six-digit code from the verification mail (asked for when not given)',
  options: [new Option('--resend', 'mail a new code instead')],
  async run({ client, output, args: [email = '', code], options }) {
    if (options.resend) {
      await client.anonymous('mutation Resend($email: EmailAddress!) { resendVerification(email: $email) }', { email });
      output.result({ email, resent: true }, () => `If ${email} belongs to an unverified account, a new code is on its way.`);
      return;
    }
    const answer = await argumentOrAsk(code, 'Code from the mail: ', 'the code');
    // A wrong or spent code is an error from the server; the answer itself is always true.
    await client.anonymous(
      'mutation Verify($email: EmailAddress!, $code: String!) { verifyEmail(email: $email, code: $code) }',
      { email, code: answer },
    );
    output.result({ email, verified: true }, () => `Verified ${email}.`);
  },
};
