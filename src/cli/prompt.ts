import { createInterface } from 'node:readline/promises';
import { CliError, exitCodes, usageError } from './errors.js';

const { stdin, stderr } = process;

/** Whether answers can be asked for interactively. */
export const interactive = () => Boolean(stdin.isTTY);

/** A visible answer, asked on the terminal (prompts go to stderr so stdout stays clean for --json). */
export async function ask(question: string): Promise<string> {
  const terminal = createInterface({ input: stdin, output: stderr });
  try {
    return (await terminal.question(question)).trim();
  } finally {
    terminal.close();
  }
}

/** The first line of stdin, for scripts: `printf '%s\n' "$PASSWORD" | authgraph login ada`. */
async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  if (!line) throw usageError('No password on stdin: pipe it in as the first line.');
  return line;
}

/** Reads a password on the terminal without echoing it. */
function hiddenAnswer(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      outcome();
    };
    const onData = (chunk: Buffer) => {
      for (const character of chunk.toString('utf8')) {
        if (character === '\r' || character === '\n' || (character === '\u0004' && answer === '')) {
          return finish(() => resolve(answer));
        }
        if (character === '\u0003') return finish(() => reject(new CliError('Cancelled.', exitCodes.cancelled, 'CANCELLED')));
        if (character === '\u007f' || character === '\b') answer = answer.slice(0, -1);
        else if (character >= ' ') answer += character;
      }
    };
    stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

export const readPassword = (question: string) => (interactive() ? hiddenAnswer(question) : firstLineOfStdin());

/** A password being chosen: typed twice on a terminal, so a typo does not lock the account out; else the first line of stdin. */
export async function readNewPassword(question: string): Promise<string> {
  if (!interactive()) return firstLineOfStdin();
  const password = await hiddenAnswer(question);
  if ((await hiddenAnswer('Again, to confirm: ')) !== password) throw usageError('The two passwords differ; nothing was changed.');
  return password;
}

/** An answer given as an argument, else asked on the terminal; without a terminal it has to be an argument. */
export async function argumentOrAsk(value: string | undefined, question: string, argumentName: string): Promise<string> {
  if (value) return value;
  if (!interactive()) throw usageError(`Give ${argumentName} as an argument when there is no terminal to ask on.`);
  return ask(question);
}
