import { CommanderError } from 'commander';
import { CliError, exitCodes } from './errors.js';
import { buildProgram } from './program.js';

function report(error: CliError, json: boolean): void {
  if (json) {
    const body = { error: { code: error.code ?? 'ERROR', message: error.message, ...(error.fields && { fields: error.fields }) } };
    process.stderr.write(`${JSON.stringify(body)}\n`);
    return;
  }
  const fields = (error.fields ?? []).map(({ field, message }) => `\n  ${field}: ${message}`).join('');
  process.stderr.write(`authgraph: ${error.message}${fields}\n`);
}

try {
  await buildProgram().parseAsync();
} catch (error) {
  // --help and --version end the parse by throwing, with exit code 0.
  if (error instanceof CommanderError && error.exitCode === 0) process.exit(0);
  const failure =
    error instanceof CliError
      ? error
      : new CliError(`Unexpected error: ${(error as Error).message ?? String(error)}`, exitCodes.failed, 'INTERNAL');
  report(failure, process.argv.includes('--json'));
  process.exitCode = failure.exitCode;
}
