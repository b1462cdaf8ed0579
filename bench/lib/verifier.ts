import { graphql } from './http.js';

/** What `npm run admin -- grant` does, straight in the database: that script would open a second runtime on the server's DATA_DIR, which is refused. */
async function grantAdmin(databaseUrl: string, username: string) {
  if (databaseUrl.startsWith('file:')) {
    const { default: SQLite } = await import('better-sqlite3');
    const connection = new SQLite(databaseUrl.slice('file:'.length));
    try {
      connection.prepare(`UPDATE "User" SET role = 'ADMIN' WHERE username = ?`).run(username);
    } finally {
      connection.close();
    }
    return;
  }
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? 'public';
  url.searchParams.delete('schema');
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`UPDATE "${schema}"."User" SET role = 'ADMIN' WHERE username = $1`, [username]);
  } finally {
    await client.end();
  }
}

/** A product backend's credential: a service account's key holding keys:verify, minted by the user made admin here. */
export async function verifierKey(url: string, databaseUrl: string, username: string, auth: Record<string, string>): Promise<string> {
  await grantAdmin(databaseUrl, username);
  const { createServiceAccount } = await graphql<{ createServiceAccount: { id: string } }>(
    url,
    'mutation S($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id } }',
    { input: { name: 'bench-product', scopes: ['keys:verify'] } },
    auth,
  );
  const { createServiceAccountKey } = await graphql<{ createServiceAccountKey: { rawKey: string } }>(
    url,
    'mutation K($id: ID!, $input: CreateApiKeyInput!) { createServiceAccountKey(serviceAccountId: $id, input: $input) { rawKey } }',
    { id: createServiceAccount.id, input: { name: 'verifier', scopes: ['keys:verify'] } },
    auth,
  );
  return createServiceAccountKey.rawKey;
}
