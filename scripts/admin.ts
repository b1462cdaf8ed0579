// Account administration from the server's shell. The operator, who holds the database,
// needs no role: this is how the first OWNER is made; owners then give roles with setUserRole.
// It refuses to run against a DATA_DIR or database that does not exist (it would create a fresh one).
//   npm run admin -- owner <username>     makes the user an OWNER (the first owner is made this way)
//   npm run admin -- grant <username>     makes the user an ADMIN
//   npm run admin -- revoke <username>    makes an ADMIN or OWNER a USER again (never the last owner)
//   npm run admin -- disable <username>   disables the account, ends its sessions, refuses its keys
//   npm run admin -- enable <username>    lets a disabled account sign in again
//   npm run admin -- free|pro <username>  sets the plan (its source becomes "admin")
//   npm run admin -- delete <username>    deletes the account at once (its log stays, anonymised)
// Every change is in the audit log with the actor "shell".
import { deleteUser } from '../src/accounts/deletion.js';
import { setAccountDisabled } from '../src/accounts/disable.js';
import { setUserPlan } from '../src/accounts/plan.js';
import { setUserRole } from '../src/accounts/roles.js';
import { byShell } from '../src/audit/actor.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { missingData } from '../src/database/existing.js';
import { AppError } from '../src/errors.js';
import { createRuntime } from '../src/create-runtime.js';
import type { Runtime } from '../src/runtime.js';

const commands: Record<string, (runtime: Runtime, username: string) => Promise<string>> = {
  owner: async (runtime, username) => `${(await setUserRole(runtime, username, 'OWNER')).username} is now OWNER`,
  grant: async (runtime, username) => `${(await setUserRole(runtime, username, 'ADMIN')).username} is now ADMIN`,
  revoke: async (runtime, username) => `${(await setUserRole(runtime, username, 'USER')).username} is now USER`,
  disable: async (runtime, username) => `${(await setAccountDisabled(runtime, username, true)).username} is disabled`,
  enable: async (runtime, username) => `${(await setAccountDisabled(runtime, username, false)).username} is enabled`,
  free: async (runtime, username) => `${(await setUserPlan(runtime, username, 'FREE')).username} is now on FREE`,
  pro: async (runtime, username) => `${(await setUserPlan(runtime, username, 'PRO')).username} is now on PRO`,
  delete: async (runtime, username) => {
    await deleteUser(runtime, username, byShell);
    return `${username} is deleted`;
  },
};

const [command = '', username] = process.argv.slice(2);
const run = commands[command];
if (!run || !username) {
  console.error(`usage: npm run admin -- ${Object.keys(commands).join('|')} <username>`);
  process.exit(2);
}

try {
  const config = loadConfig();
  const missing = await missingData(config);
  if (missing) {
    console.error(missing);
    process.exit(1);
  }
  const runtime = await createRuntime(config);
  try {
    console.log(await run(runtime, username));
  } finally {
    await runtime.close();
  }
} catch (error) {
  if (!(error instanceof AppError || error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
