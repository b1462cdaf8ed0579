import type { Option } from 'commander';
import type { ApiClient } from './api-client.js';
import type { Output } from './output.js';

export type CommandContext = {
  client: ApiClient;
  output: Output;
  /** The command's arguments, in the order of its signature. */
  args: string[];
  /** Its options by camelCase name (`--remember-me` is `rememberMe`), as their parsers made them. */
  options: Record<string, unknown>;
};

export type Command = {
  /** Its name and arguments in commander's syntax, e.g. `info <key>`. */
  signature: string;
  summary: string;
  options?: Option[];
  run(context: CommandContext): Promise<void>;
};
