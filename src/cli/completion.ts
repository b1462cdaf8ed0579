import type { Command as CommandLine } from 'commander';
import { subcommandName } from './command-tree.js';

export const shells = ['bash', 'zsh'] as const;
export type Shell = (typeof shells)[number];

const everyCommand = (command: CommandLine): CommandLine[] => [command, ...command.commands.flatMap(everyCommand)];

const longFlags = (command: CommandLine) => command.options.flatMap((option) => (option.long ? [option.long] : []));

/**
 * A case per command: what may follow it (its subcommands, the choices of its
 * arguments, its options and the global ones). Built from the command tree, so a new command completes without
 * touching this file; static, so completing never starts node.
 */
function wordsFunction(program: CommandLine): string {
  const globalFlags = longFlags(program).filter((flag) => flag !== '--version');
  const cases = everyCommand(program).map((command) => {
    const flags = command === program ? longFlags(program) : [...longFlags(command), ...globalFlags];
    const choices = command.registeredArguments.flatMap((argument) => argument.argChoices ?? []);
    const words = [...command.commands.map((child) => child.name()), ...choices, ...flags, '--help'];
    return `    '${subcommandName(command)}') echo '${words.join(' ')}' ;;`;
  });
  return ['_authgraph_words() {', '  case "$1" in', ...cases, '  esac', '}'].join('\n');
}

/** Options whose next word is their value, not a command. */
const valuedFlags = (program: CommandLine) =>
  [...new Set(everyCommand(program).flatMap((command) => command.options.filter((option) => option.required || option.optional).map((option) => option.long)))].join(' ');

/** Walks the words typed so far ($@) and prints the command they name, skipping options, their values and arguments. */
const commandPathFunction = (program: CommandLine) => `_authgraph_path() {
  local typed='' skip='' word
  for word in "$@"; do
    if [[ -n $skip ]]; then skip=''; continue; fi
    case ' ${valuedFlags(program)} ' in *" $word "*) skip=1; continue ;; esac
    [[ $word == -* ]] && continue
    case " $(_authgraph_words "$typed") " in *" $word "*) typed=\${typed:+$typed }$word ;; esac
  done
  echo "$typed"
}`;

const shellSpecific: Record<Shell, string> = {
  bash: `_authgraph() {
  local current=\${COMP_WORDS[COMP_CWORD]}
  COMPREPLY=($(compgen -W "$(_authgraph_words "$(_authgraph_path "\${COMP_WORDS[@]:1:COMP_CWORD-1}")")" -- "$current"))
}
complete -F _authgraph authgraph`,
  zsh: `_authgraph() {
  compadd -- \${=$(_authgraph_words "$(_authgraph_path "\${(@)words[2,CURRENT-1]}")")}
}
compdef _authgraph authgraph`,
};

/** The completion script for \`eval "$(authgraph completion <shell>)"\`. */
export function completionScript(shell: Shell, program: CommandLine): string {
  return [`# authgraph completion for ${shell}: eval "$(authgraph completion ${shell})"`, wordsFunction(program), commandPathFunction(program), shellSpecific[shell], ''].join('\n\n');
}
