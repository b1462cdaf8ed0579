import { Option } from 'commander';
import type { Command } from '../command.js';
import { CliError, exitCodes } from '../errors.js';
import { formatTime, table } from '../output.js';
import { argumentOrAsk, ask, interactive } from '../prompt.js';

type Factor = { id: string; kind: string; name: string; confirmed: boolean; createdAt: string };
const factorFields = 'id kind name confirmed createdAt';
const codeOption = () => new Option('--code <code>', 'the six-digit code from the authenticator app (asked on a terminal)');
const recoveryWarning = 'Store these recovery codes now (each works once, when the app is lost): they are shown only this once.';

async function factors(client: Parameters<Command['run']>[0]['client']): Promise<Factor[]> {
  return (await client.authenticated<{ account: { mfaFactors: Factor[] } }>(`{ account { mfaFactors { ${factorFields} } } }`)).account.mfaFactors;
}

export const list: Command = {
  signature: 'list',
  summary: 'your second factors',
  async run({ client, output }) {
    const all = await factors(client);
    output.result(all, () =>
      all.length === 0
        ? 'No second factor: signing in asks for the password only.'
        : table(['ID', 'NAME', 'KIND', 'CONFIRMED', 'CREATED'], all.map((factor) => [factor.id, factor.name, factor.kind, factor.confirmed ? 'yes' : 'no', formatTime(factor.createdAt)])),
    );
  },
};

type Client = Parameters<Command['run']>[0]['client'];
type Output = Parameters<Command['run']>[0]['output'];

async function confirmFactor(client: Client, output: Output, factorId: string, code: string) {
  const { confirmTotp } = await client.authenticated<{ confirmTotp: { factor: Factor; recoveryCodes: string[] | null } }>(
    `mutation ConfirmTotp($id: ID!, $code: String!) { confirmTotp(factorId: $id, code: $code) { factor { ${factorFields} } recoveryCodes } }`,
    { id: factorId, code },
  );
  output.result(confirmTotp, ({ factor, recoveryCodes }) => [
    `Second factor "${factor.name}" (${factor.id}) is on: signing in now asks for a code.`,
    ...(recoveryCodes ?? []),
  ]);
  if (confirmTotp.recoveryCodes) output.note(recoveryWarning);
}

export const enroll: Command = {
  signature: 'enroll [name]',
  summary: 'add an authenticator app: prints its secret and otpauth:// URI; on a terminal, confirms it with a first code',
  async run({ client, output, args: [name] }) {
    const { enrollTotp } = await client.sensitive<{ enrollTotp: { factor: Factor; secret: string; uri: string } }>(
      `mutation EnrollTotp($name: String) { enrollTotp(name: $name) { factor { ${factorFields} } secret uri } }`,
      { name },
    );
    if (!interactive()) {
      output.result(enrollTotp, ({ factor, secret, uri }) => [`secret ${secret}`, uri, `Confirm it: authgraph mfa confirm ${factor.id} --code <code>`]);
      return;
    }
    output.note(`Add this to your authenticator app: secret ${enrollTotp.secret}\n${enrollTotp.uri}`);
    await confirmFactor(client, output, enrollTotp.factor.id, await ask('Code from the app: '));
  },
};

export const confirm: Command = {
  signature: 'confirm <factor>',
  summary: 'turn an enrolled authenticator app on with a first code (the factor by id)',
  options: [codeOption()],
  async run({ client, output, args: [factorId = ''], options }) {
    await confirmFactor(client, output, factorId, await argumentOrAsk(options.code as string | undefined, 'Code from the app: ', '--code'));
  },
};

export const remove: Command = {
  signature: 'remove <factor>',
  summary: 'remove a second factor (by id or name)',
  async run({ client, output, args: [reference = ''] }) {
    const matches = (await factors(client)).filter((factor) => factor.id === reference || factor.name === reference);
    if (matches.length !== 1) {
      throw new CliError(matches.length === 0 ? `No second factor ${reference}.` : `Several factors are named "${reference}": give the id.`, matches.length === 0 ? exitCodes.failed : exitCodes.usage);
    }
    await client.sensitive('mutation RemoveMfaFactor($id: ID!) { removeMfaFactor(id: $id) }', { id: matches[0]!.id });
    output.result({ removed: matches[0] }, () => `Removed second factor "${matches[0]!.name}".`);
  },
};

export const recoveryCodes: Command = {
  signature: 'recovery-codes',
  summary: 'make a new set of 10 recovery codes; the old set stops working',
  async run({ client, output }) {
    const { regenerateRecoveryCodes: codes } = await client.sensitive<{ regenerateRecoveryCodes: string[] }>('mutation { regenerateRecoveryCodes }');
    output.result({ recoveryCodes: codes }, () => codes);
    output.note(recoveryWarning);
  },
};
