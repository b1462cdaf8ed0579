// Grants or takes back the ADMIN role: `npm run admin -- grant <username>` (or `revoke`).
// The first admin is made this way, by someone with access to the server's configuration.
import { setUserRole } from '../src/accounts/roles.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { AppError } from '../src/errors.js';
import { createRuntime } from '../src/runtime.js';

const [command, username] = process.argv.slice(2);
const roleFor = { grant: 'ADMIN', revoke: 'USER' } as const;
if ((command !== 'grant' && command !== 'revoke') || !username) {
  console.error('usage: npm run admin -- grant|revoke <username>');
  process.exit(2);
}

try {
  const runtime = await createRuntime(loadConfig());
  try {
    const user = await setUserRole(runtime, username, roleFor[command]);
    console.log(`${user.username} is now ${user.role}`);
  } finally {
    await runtime.close();
  }
} catch (error) {
  if (!(error instanceof AppError || error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
