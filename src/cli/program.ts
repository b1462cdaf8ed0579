import { Argument, Command as CommandLine, CommanderError, Option } from 'commander';
import cliPackage from '../../packages/cli/package.json' with { type: 'json' };
import { ApiClient } from './api-client.js';
import type { Command } from './command.js';
import * as account from './commands/account.js';
import * as keys from './commands/keys.js';
import * as keyUpdate from './commands/key-update.js';
import * as mfa from './commands/mfa.js';
import { forgotPassword } from './commands/recovery.js';
import { register, verify } from './commands/registration.js';
import * as selfService from './commands/self-service.js';
import * as sessions from './commands/sessions.js';
import * as users from './commands/users.js';
import { completionScript, shells, type Shell } from './completion.js';
import { runnableCommands, subcommandName, typedName } from './command-tree.js';
import { configPath, readConfig } from './config-file.js';
import { CliError, exitCodes, usageError } from './errors.js';
import { Output } from './output.js';

const defaultServer = 'http://localhost:4000';

const topLevelCommands = [register, verify, account.login, account.whoami, account.logout, forgotPassword];

const commandGroups = [
  { name: 'keys', summary: 'your API keys', commands: [keys.create, keys.list, keys.info, keys.log, keys.revoke, keys.roll, keyUpdate.update] },
  { name: 'sessions', summary: 'your sign-ins', commands: [sessions.list, sessions.revoke] },
  { name: 'mfa', summary: 'your second factors', commands: [mfa.list, mfa.enroll, mfa.confirm, mfa.remove, mfa.recoveryCodes] },
  { name: 'account', summary: 'your account', commands: [selfService.setName, selfService.exportData, selfService.deleteAccount, selfService.keep] },
  { name: 'users', summary: 'accounts (admins)', commands: [users.list, users.show, users.setRole, users.setPlan, users.disable, users.enable] },
  { name: 'audit', summary: 'the audit trail (admins)', commands: [users.audit] },
];

function serverUrl(flag: string | undefined, configFile: string): string {
  const server = flag ?? readConfig(configFile).server ?? defaultServer;
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw usageError(`--server must be a URL like ${defaultServer}; got "${server}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError('--server must be an http:// or https:// URL.');
  return url.toString().replace(/\/+$/, '');
}

/** Commander's own refusals (unknown command, missing argument, ...) become usage errors that show the command's usage. */
function withUsageErrors(command: CommandLine): CommandLine {
  return command.exitOverride((error: CommanderError) => {
    if (error.exitCode === 0) throw error;
    const name = typedName(command);
    // `commander.help` is a group typed without a command; its help is already on stderr.
    const message = error.code === 'commander.help' ? 'No command given.' : error.message.replace(/^error: /, '');
    throw new CliError(`${message}\nusage: ${name} ${command.usage()}; see ${name} --help`, exitCodes.usage, 'USAGE');
  });
}

function addCommand(parent: CommandLine, command: Command): void {
  const commandLine = parent.command(command.signature).description(command.summary);
  for (const option of command.options ?? []) commandLine.addOption(option);
  withUsageErrors(commandLine);
  commandLine.action(async () => {
    const { server, json } = commandLine.optsWithGlobals<{ server?: string; json?: boolean }>();
    const configFile = configPath();
    const client = new ApiClient(serverUrl(server, configFile), configFile);
    const args = commandLine.processedArgs as string[];
    await command.run({ client, output: new Output(json === true), args, options: commandLine.opts() });
  });
}

/** The `authgraph` command line: every command, its help, --version and shell completion. */
export function buildProgram(): CommandLine {
  const program = new CommandLine('authgraph')
    .description(cliPackage.description)
    .version(cliPackage.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .addOption(new Option('--server <url>', `the authgraph server (default: the last one signed in to, else ${defaultServer})`))
    .addOption(new Option('--json', 'print results, and errors on stderr, as JSON'))
    .addHelpText('after', `\nTokens are kept in ${configPath()}.`)
    // Settings that the commands added below inherit.
    .configureOutput({ outputError: () => {} })
    .configureHelp({
      showGlobalOptions: true,
      visibleCommands: runnableCommands,
      subcommandTerm: (command) => `${subcommandName(command)} ${command.usage()}`,
    });
  withUsageErrors(program);
  for (const command of topLevelCommands) addCommand(program, command);
  for (const group of commandGroups) {
    const groupLine = withUsageErrors(program.command(group.name).description(group.summary));
    for (const command of group.commands) addCommand(groupLine, command);
  }
  withUsageErrors(program.command('completion'))
    .description('print a completion script: eval "$(authgraph completion bash)" in ~/.bashrc, or zsh in ~/.zshrc')
    .addArgument(new Argument('<shell>').choices(shells))
    .action((shell: Shell) => {
      process.stdout.write(completionScript(shell, program));
    });
  return program;
}
