import { Option } from 'commander';
import type { Command } from '../command.js';
import { CliError, exitCodes, usageError } from '../errors.js';
import { argumentOrAsk, ask, interactive, readPassword } from '../prompt.js';

type Whoami = {
  whoami: {
    user: { id: string; username: string; email: string } | null;
    credential: { kind: 'SESSION' | 'API_KEY'; id: string; name: string | null };
  };
};

export const login: Command = {
  signature: 'login [username]',
  summary:
    'sign in; the password is asked without echo, or read from the first line of stdin; then the second factor, if any. ' +
    'With --email-code, no password: the address is asked (or given as the argument), a code is mailed to it and read from the terminal or the first line of stdin',
  options: [
    new Option('--remember-me', 'a long-lived session'),
    new Option('--code <code>', 'the code from the authenticator app, or a recovery code (asked on a terminal)'),
    new Option('--email-code', 'sign in with a six-digit code mailed to the address instead of a password'),
  ],
  async run({ client, output, args, options }) {
    let username = args[0];
    if (!username) {
      if (!interactive()) throw usageError(`Give the ${options.emailCode ? 'address' : 'username'} as an argument when there is no terminal to ask on.`);
      username = await ask(options.emailCode ? 'E-mail address: ' : 'Username: ');
    }
    let signIn = options.emailCode ? await signInByMail(client, username, options.rememberMe === true) : await client.signIn(username, await readPassword('Password: '), options.rememberMe === true);
    if (signIn.kind === 'mfaRequired') {
      const code = await argumentOrAsk(options.code as string | undefined, 'Code from your authenticator app (or a recovery code): ', '--code');
      signIn = await client.verifyMfa(signIn.challengeId, code);
    }
    if (signIn.kind !== 'signedIn') throw new CliError('The server asked for a second factor again.', exitCodes.failed);
    const { id, username: signedInAs, email } = signIn.user;
    const user = { id, username: signedInAs, email };
    output.result({ server: client.server, user }, () => `Signed in to ${client.server} as ${user.username}.`);
  },
};

/** Requests the mailed code, then reads it: asked on a terminal, else the first line of stdin. */
async function signInByMail(client: Parameters<Command['run']>[0]['client'], email: string, rememberMe: boolean) {
  await client.requestSignInCode(email);
  const code = await readPassword(`If ${email} may sign in, a code is on its way. Code from the mail: `);
  return client.signInWithEmailCode(email, code.trim(), rememberMe);
}

export const whoami: Command = {
  signature: 'whoami',
  summary: 'the account and credential the stored session authenticates as',
  async run({ client, output }) {
    const { whoami: answer } = await client.authenticated<Whoami>(
      '{ whoami { user { id username email } credential { kind id name } } }',
    );
    output.result(answer, ({ user, credential }) => [
      user ? `${user.username} <${user.email}>` : '(no user)',
      `${credential.kind === 'SESSION' ? 'session' : 'API key'} ${credential.id}${credential.name ? ` (${credential.name})` : ''} on ${client.server}`,
    ]);
  },
};

export const logout: Command = {
  signature: 'logout',
  summary: 'end the stored session on the server and forget its tokens',
  async run({ client, output }) {
    if (!client.session) {
      output.result({ server: client.server, signedOut: false }, () => `Not signed in to ${client.server}.`);
      return;
    }
    try {
      await client.authenticated<{ logout: boolean }>('mutation Logout { logout }');
    } catch (error) {
      // A session the server has already ended is as good as logged out; anything else is worth reporting.
      if (!(error instanceof CliError) || error.exitCode !== exitCodes.unauthenticated) throw error;
    }
    client.saveSession(undefined);
    output.result({ server: client.server, signedOut: true }, () => `Signed out of ${client.server}.`);
  },
};
