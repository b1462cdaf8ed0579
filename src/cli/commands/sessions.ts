import type { Command } from '../command.js';
import { formatTime, table } from '../output.js';

type Session = { id: string; name: string; createdAt: string; lastUsedAt: string; expiresAt: string; current: boolean };

const sessionFields = 'id name createdAt lastUsedAt expiresAt current';

export const list: Command = {
  signature: 'list',
  summary: 'your active sign-ins, most recently used first; * marks this one',
  async run({ client, output }) {
    const { sessions } = await client.authenticated<{ sessions: Session[] }>(`query Sessions { sessions { ${sessionFields} } }`);
    output.result(sessions, () =>
      table(
        ['', 'ID', 'NAME', 'CREATED', 'LAST USED', 'EXPIRES'],
        sessions.map((session) => [
          session.current ? '*' : '',
          session.id,
          session.name,
          formatTime(session.createdAt),
          formatTime(session.lastUsedAt),
          formatTime(session.expiresAt),
        ]),
      ),
    );
  },
};

export const revoke: Command = {
  signature: 'revoke <id>',
  summary: 'end one of your sessions (ending this one signs you out)',
  async run({ client, output, args }) {
    const { revokeSession } = await client.authenticated<{ revokeSession: Session }>(
      `mutation RevokeSession($id: ID!) { revokeSession(id: $id) { ${sessionFields} } }`,
      { id: args[0] },
    );
    if (revokeSession.current) client.saveSession(undefined);
    output.result(revokeSession, (session) =>
      session.current ? `Ended this session (${session.id}); you are signed out.` : `Ended session ${session.id} (${session.name}).`,
    );
  },
};
