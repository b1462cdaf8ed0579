import type { ParseArgsConfig } from 'node:util';
import type { ApiClient } from './api-client.js';
import type { Output } from './output.js';

export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

export type CommandContext = {
  client: ApiClient;
  output: Output;
  /** The words after the command's name. */
  args: string[];
  options: Record<string, string | boolean | (string | boolean)[] | undefined>;
};

export type Command = {
  /** e.g. `keys info <id>`. */
  usage: string;
  summary: string;
  options?: CommandOptions;
  /** How many words may follow the command's name: [at least, at most]. */
  arity: [number, number];
  run(context: CommandContext): Promise<void>;
};
