import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readConfig, writeConfig, type CliConfig, type StoredSession } from './config-file.js';
import { CliError, exitCodes } from './errors.js';
import { ask, interactive, readPassword } from './prompt.js';

/**
 * Sessions are bound to the User-Agent seen at login, so every call (refresh
 * included) sends the same one, without a version that an upgrade would change.
 */
export const cliUserAgent = 'authgraph-cli';

/** Refresh this long before the access token's expiry, so it does not lapse in flight. */
const expirySkewMs = 5_000;

type GraphQLErrorBody = { message: string; extensions?: { code?: string; fields?: { field: string; message: string }[] } };

const refreshMutation = `mutation Refresh($refreshToken: String!) {
  refresh(refreshToken: $refreshToken) { accessToken refreshToken expiresIn }
}`;

const reauthenticateMutation = 'mutation Reauthenticate($password: String!) { reauthenticate(password: $password) }';
const stepUpMutation = 'mutation StepUpMfa($code: String!) { stepUpMfa(code: $code) }';

/**
 * One POST and its whole answer. node:http rather than fetch: fetch loads undici on
 * first use, which doubles the time of a command (about 130 ms of its 270).
 */
function postJson(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const endedCodes = new Set(['UNAUTHENTICATED', 'SESSION_MISMATCH']);

function serverError(error: GraphQLErrorBody): CliError {
  const code = error.extensions?.code ?? 'INTERNAL';
  const exitCode = endedCodes.has(code) ? exitCodes.unauthenticated : exitCodes.failed;
  return new CliError(error.message, exitCode, code, error.extensions?.fields);
}

/** The public GraphQL API of one server, with the tokens stored for it in the config file. */
export class ApiClient {
  private config: CliConfig;

  constructor(
    readonly server: string,
    private readonly configFile: string,
  ) {
    this.config = readConfig(configFile);
  }

  get session(): StoredSession | undefined {
    return this.config.sessions[this.server];
  }

  saveSession(session: StoredSession | undefined): void {
    // Re-read first: another command may have rotated tokens for a different server meanwhile.
    this.config = readConfig(this.configFile);
    if (session) {
      this.config.sessions[this.server] = session;
      this.config.server = this.server;
    } else {
      delete this.config.sessions[this.server];
    }
    writeConfig(this.configFile, this.config);
  }

  /** A call without credentials (login). */
  anonymous<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    return this.post<T>(query, variables);
  }

  /** A call as the stored session: refreshed first when expired, and once more if the server says UNAUTHENTICATED. */
  async authenticated<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    let session = this.session;
    if (!session) throw new CliError(`Not signed in to ${this.server}; run \`authgraph login\`.`, exitCodes.unauthenticated, 'UNAUTHENTICATED');
    let refreshed = false;
    if (Date.parse(session.accessTokenExpiresAt) - expirySkewMs <= Date.now()) {
      session = await this.refresh(session);
      refreshed = true;
    }
    try {
      return await this.post<T>(query, variables, session.accessToken);
    } catch (error) {
      if (refreshed || !(error instanceof CliError) || error.code !== 'UNAUTHENTICATED') throw error;
      return this.post<T>(query, variables, (await this.refresh(session)).accessToken);
    }
  }

  /**
   * A sensitive change (API keys, second factors): when the server wants a recent
   * sign-in (REAUTHENTICATION_REQUIRED) it asks for the password and confirms it
   * with reauthenticate; when it wants a second factor (MFA_REQUIRED) it asks for
   * a code and confirms it with stepUpMfa; then it retries. Without a terminal the
   * refusal stands.
   */
  async sensitive<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.authenticated<T>(query, variables);
      } catch (error) {
        if (!(error instanceof CliError) || !interactive() || attempt === 2) throw error;
        if (error.code === 'REAUTHENTICATION_REQUIRED') {
          const password = await readPassword(`This change needs a recent sign-in. Password for ${this.session?.username ?? 'this account'}: `);
          await this.authenticated(reauthenticateMutation, { password });
        } else if (error.code === 'MFA_REQUIRED') {
          await this.authenticated(stepUpMutation, { code: await ask('This change needs your second factor. Code from the app: ') });
        } else throw error;
      }
    }
  }

  private async refresh(session: StoredSession): Promise<StoredSession> {
    let tokens: { refresh: { accessToken: string; refreshToken: string | null; expiresIn: number } };
    try {
      tokens = await this.post(refreshMutation, { refreshToken: session.refreshToken });
    } catch (error) {
      if (!(error instanceof CliError) || !error.code || !endedCodes.has(error.code)) throw error;
      this.saveSession(undefined);
      throw new CliError(
        `Your session on ${this.server} has ended (${error.code}); run \`authgraph login\` again.`,
        exitCodes.unauthenticated,
        error.code,
      );
    }
    const rotated = {
      username: session.username,
      accessToken: tokens.refresh.accessToken,
      accessTokenExpiresAt: new Date(Date.now() + tokens.refresh.expiresIn * 1000).toISOString(),
      refreshToken: tokens.refresh.refreshToken ?? session.refreshToken,
    };
    this.saveSession(rotated);
    return rotated;
  }

  private async post<T>(query: string, variables: Record<string, unknown>, accessToken?: string): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': cliUserAgent };
    if (accessToken) headers.authorization = `Bearer ${accessToken}`;
    let response: { status: number; text: string };
    try {
      response = await postJson(`${this.server}/graphql`, headers, JSON.stringify({ query, variables }));
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new CliError(`Cannot reach ${this.server} (${reason}).`, exitCodes.unreachable, 'UNREACHABLE');
    }
    let body: { data?: T | null; errors?: GraphQLErrorBody[] };
    try {
      body = JSON.parse(response.text) as typeof body;
    } catch {
      throw new CliError(`${this.server}/graphql answered HTTP ${response.status}, not GraphQL; is --server right?`, exitCodes.unreachable, 'UNREACHABLE');
    }
    const [error] = body.errors ?? [];
    if (error) throw serverError(error);
    if (!body.data) throw new CliError(`${this.server}/graphql answered without data.`, exitCodes.unreachable, 'UNREACHABLE');
    return body.data;
  }
}
