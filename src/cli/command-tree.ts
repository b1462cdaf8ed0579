import type { Command as CommandLine } from 'commander';

/** How a user types the command: `authgraph keys info`. */
export const typedName = (command: CommandLine): string =>
  command.parent ? `${typedName(command.parent)} ${command.name()}` : command.name();

/** The same without the program's name: `keys info`. */
export const subcommandName = (command: CommandLine): string => typedName(command).split(' ').slice(1).join(' ');

/** The runnable commands under `command`, groups opened, so that help lists `keys create` rather than `keys`. */
export const runnableCommands = (command: CommandLine): CommandLine[] =>
  command.commands.flatMap((child) => (child.commands.length > 0 ? runnableCommands(child) : [child]));
