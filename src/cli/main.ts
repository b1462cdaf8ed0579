import { parseArgs } from 'node:util';
import { ApiClient } from './api-client.js';
import type { Command, CommandOptions } from './command.js';
import * as account from './commands/account.js';
import * as keys from './commands/keys.js';
import * as sessions from './commands/sessions.js';
import { configPath, readConfig } from './config-file.js';
import { CliError, exitCodes, usageError } from './errors.js';
import { Output } from './output.js';

const defaultServer = 'http://localhost:4000';

const commands: Record<string, Command> = {
  login: account.login,
  whoami: account.whoami,
  logout: account.logout,
  'keys create': keys.create,
  'keys list': keys.list,
  'keys info': keys.info,
  'keys log': keys.log,
  'keys revoke': keys.revoke,
  'sessions list': sessions.list,
  'sessions revoke': sessions.revoke,
};

const globalOptions: CommandOptions = {
  server: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

function helpText(): string {
  return [
    'usage: authgraph [--server URL] [--json] <command>',
    '',
    ...Object.values(commands).map((command) => `  ${command.usage}\n      ${command.summary}`),
    '',
    `--server  the authgraph server (default: the last one signed in to, else ${defaultServer})`,
    '--json    print results as JSON',
    `Tokens are kept in ${configPath()}.`,
  ].join('\n');
}

function findCommand(words: string[]): { name: string; command: Command } | undefined {
  const [first = '', second = ''] = words;
  const name = first === 'keys' || first === 'sessions' ? `${first} ${second}` : first;
  const command = commands[name];
  return command && { name, command };
}

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

async function run(argv: string[]): Promise<void> {
  // A first, lenient pass only finds the command, so that its own options can then be checked strictly.
  const allOptions = Object.assign({}, globalOptions, ...Object.values(commands).map((command) => command.options ?? {}));
  const loose = parseArgs({ args: argv, options: allOptions, strict: false, allowPositionals: true });
  const found = findCommand(loose.positionals);
  if (!found) {
    if (loose.values.help || loose.positionals.length === 0) {
      process.stdout.write(`${helpText()}\n`);
      if (loose.values.help) return;
      throw new CliError('No command given.', exitCodes.usage, 'USAGE');
    }
    throw usageError(`Unknown command "${loose.positionals.join(' ')}"; see authgraph --help.`);
  }
  const { name, command } = found;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...globalOptions, ...command.options }, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageError(`${(error as Error).message}\nusage: authgraph ${command.usage}`);
  }
  if (parsed.values.help) {
    process.stdout.write(`usage: authgraph ${command.usage}\n${command.summary}\n`);
    return;
  }
  const args = parsed.positionals.slice(name.split(' ').length);
  const [least, most] = command.arity;
  if (args.length < least || args.length > most) throw usageError(`usage: authgraph ${command.usage}`);
  const configFile = configPath();
  const client = new ApiClient(serverUrl(parsed.values.server as string | undefined, configFile), configFile);
  await command.run({ client, output: new Output(parsed.values.json === true), args, options: parsed.values });
}

function report(error: CliError, json: boolean): void {
  if (json) {
    const body = { error: { code: error.code ?? 'ERROR', message: error.message, ...(error.fields && { fields: error.fields }) } };
    process.stderr.write(`${JSON.stringify(body)}\n`);
    return;
  }
  process.stderr.write(`authgraph: ${error.message}\n`);
}

const argv = process.argv.slice(2);
const json = argv.includes('--json');
try {
  await run(argv);
} catch (error) {
  const failure =
    error instanceof CliError
      ? error
      : new CliError(`Unexpected error: ${(error as Error).message ?? String(error)}`, exitCodes.failed, 'INTERNAL');
  report(failure, json);
  process.exitCode = failure.exitCode;
}
