import { AuthClientError, createAuthClient, inProcessCoordinator, type AuthClient, type SignInResult, type TokenStorage } from '../../packages/client/src/index.js';
import { readConfig, writeConfig, type CliConfig, type StoredSession } from './config-file.js';
import { CliError, exitCodes } from './errors.js';
import { nodeHttpFetch } from './http-fetch.js';
import { ask, interactive, readPassword } from './prompt.js';

/**
 * Sessions are bound to the User-Agent seen at login, so every call (refresh
 * included) sends the same one, without a version that an upgrade would change.
 */
export const cliUserAgent = 'authgraph-cli';

const reauthenticateMutation = 'mutation Reauthenticate($password: String!) { reauthenticate(password: $password) }';
const stepUpMutation = 'mutation StepUpMfa($code: String!) { stepUpMfa(code: $code) }';

const requestSignInCodeMutation = 'mutation RequestSignInLink($email: EmailAddress!) { requestSignInLink(email: $email) }';
const emailCodeSignInMutation = `mutation SignInWithEmailCode($input: EmailCodeSignInInput!) { signInWithEmailCode(input: $input) {
  __typename
  ... on AuthPayload { accessToken expiresIn refreshToken user { id username email fullName role createdAt } }
  ... on MfaChallenge { challengeId expiresAt methods } } }`;

type EmailCodeSignIn = {
  signInWithEmailCode:
    | { __typename: 'AuthPayload'; accessToken: string; expiresIn: number; refreshToken: string | null; user: Extract<SignInResult, { kind: 'signedIn' }>['user'] }
    | { __typename: 'MfaChallenge'; challengeId: string; expiresAt: string; methods: string[] };
};

const endedCodes = new Set(['UNAUTHENTICATED', 'SESSION_MISMATCH']);

/**
 * The public GraphQL API of one server through @authgraph/client (one refresh implementation
 * for the console, the CLI and users' apps), with the tokens kept in the config file.
 */
export class ApiClient {
  private config: CliConfig;
  private readonly auth: AuthClient;
  /** Who the next stored tokens belong to: set by a sign-in, before the client stores its tokens. */
  private signingIn: string | undefined;

  constructor(
    readonly server: string,
    private readonly configFile: string,
  ) {
    this.config = readConfig(configFile);
    this.auth = createAuthClient({
      url: `${server}/graphql`,
      fetch: nodeHttpFetch(server),
      storage: this.tokenStorage(),
      coordinator: inProcessCoordinator(),
      refreshMarginSeconds: 5,
      headers: { 'user-agent': cliUserAgent },
    });
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

  /** Signs in as `username`; the tokens are stored once the sign-in (and its second factor, if any) completes. */
  signIn(username: string, password: string, rememberMe: boolean): Promise<SignInResult> {
    this.signingIn = username;
    return this.call(() => this.auth.signIn({ username, password, rememberMe }));
  }

  /** Mails a sign-in code to the address (the server answers the same whether it has an account). */
  async requestSignInCode(email: string): Promise<void> {
    await this.anonymous(requestSignInCodeMutation, { email });
  }

  /** Signs in with the mailed code; the tokens are stored (under the address until the account is known) as signIn does. */
  async signInWithEmailCode(email: string, code: string, rememberMe: boolean): Promise<SignInResult> {
    this.signingIn = email;
    const { signInWithEmailCode: result } = await this.anonymous<EmailCodeSignIn>(emailCodeSignInMutation, {
      input: { email, code, rememberMe, clientType: 'API' },
    });
    if (result.__typename === 'MfaChallenge') return { kind: 'mfaRequired', challengeId: result.challengeId, methods: result.methods, expiresAt: result.expiresAt };
    this.signingIn = result.user.username;
    await this.auth.setSession(result);
    return { kind: 'signedIn', user: result.user };
  }

  verifyMfa(challengeId: string, code: string): Promise<SignInResult> {
    return this.call(() => this.auth.verifyMfa(challengeId, code));
  }

  /** A call that needs no credentials (registration, e-mail verification, recovery). */
  anonymous<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    return this.call(() => this.auth.request<T, Record<string, unknown>>(query, variables));
  }

  /** A call as the stored session, which the client refreshes ahead of expiry and once on UNAUTHENTICATED. */
  async authenticated<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    if (!this.session) throw new CliError(`Not signed in to ${this.server}; run \`authgraph login\`.`, exitCodes.unauthenticated, 'UNAUTHENTICATED');
    try {
      return await this.call(() => this.auth.request<T, Record<string, unknown>>(query, variables));
    } catch (error) {
      // The client forgets the tokens when a refresh says the session is over.
      if (error instanceof CliError && error.code && endedCodes.has(error.code) && !this.session) {
        throw new CliError(`Your session on ${this.server} has ended (${error.code}); run \`authgraph login\` again.`, exitCodes.unauthenticated, error.code);
      }
      throw error;
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

  /** The stored session as the client's TokenStorage. */
  private tokenStorage(): TokenStorage {
    return {
      load: () => {
        const session = this.session;
        return session ? { accessToken: session.accessToken, refreshToken: session.refreshToken, expiresAt: Date.parse(session.accessTokenExpiresAt) } : null;
      },
      save: (tokens) => {
        const username = this.signingIn ?? this.session?.username;
        if (!tokens || !username) return this.saveSession(undefined);
        if (!tokens.refreshToken) throw new CliError('The server did not return a refresh token.', exitCodes.failed);
        this.saveSession({
          username,
          accessToken: tokens.accessToken,
          accessTokenExpiresAt: new Date(tokens.expiresAt).toISOString(),
          refreshToken: tokens.refreshToken,
        });
      },
    };
  }

  /** Runs a client call, reporting the server's refusals as CliErrors with their codes. */
  private async call<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (error) {
      if (!(error instanceof AuthClientError)) throw error;
      if (error.code.startsWith('HTTP_')) {
        throw new CliError(`${this.server}/graphql answered HTTP ${error.code.slice(5)}, not GraphQL; is --server right?`, exitCodes.unreachable, 'UNREACHABLE');
      }
      const exitCode = endedCodes.has(error.code) ? exitCodes.unauthenticated : exitCodes.failed;
      throw new CliError(error.message, exitCode, error.code, error.fields.length > 0 ? error.fields : undefined);
    }
  }
}
