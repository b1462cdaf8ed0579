import { z } from 'zod';
import { findUserByLogin } from '../accounts/users.js';
import { issueAccessToken } from '../crypto/access-token.js';
import { accessTokenClaimsOf } from './access-claims.js';
import { verifyPassword } from '../crypto/password.js';
import { randomToken } from '../crypto/random.js';
import { AppError, refusals, type MfaChallengeDetail } from '../errors.js';
import { loginAccount, recordLoginFailure, recordLoginSuccess, reserveLoginAttempt } from '../limits/login-throttle.js';
import { loginAttempts } from '../metrics.js';
import { startMfaChallenge } from '../mfa/challenge-start.js';
import { hasSecondFactor } from '../mfa/step-up.js';
import type { ClientInfo, ClientType } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { generatedTokenName, tokenNameSchema } from '../tokens/token-names.js';
import { parseOrThrow } from '../validation.js';
import { newRefreshToken, refreshExpiry, refreshTokenHash, sessionTokens, type SessionTokens } from './session-tokens.js';
import type { Prisma, User } from '../generated/sqlite/client.js';
import { commitWithEvents } from '../webhooks/outbox.js';

export type StartedSession = SessionTokens & { sessionName: string };

const loginSchema = z.object({
  login: z.string().min(1, 'is required').max(254),
  password: z.string().min(1, 'is required').max(1024),
  clientType: z.enum(['API', 'BROWSER']),
  rememberMe: z.boolean(),
  sessionName: tokenNameSchema.optional(),
});

const credentialsSchema = loginSchema.pick({ login: true, password: true });

export type LoginInput = z.infer<typeof loginSchema>;

/** A password sign-in's outcome: a session, or (the account has a second factor) the challenge verifyMfa answers. */
export type SignInResult = ({ kind: 'session'; user: User } & StartedSession) | { kind: 'mfa'; challenge: MfaChallengeDetail };

/** Username or e-mail plus password; an unknown user and a wrong password fail alike. */
export async function signIn(runtime: Runtime, input: LoginInput, client: ClientInfo): Promise<SignInResult> {
  const { login: name, password, clientType, rememberMe, sessionName } = parseOrThrow(loginSchema, input);
  const user = await authenticatePassword(runtime, name, password, client, { secondFactor: 'challenge' });
  const options = { clientType, rememberMe, name: sessionName };
  if (await hasSecondFactor(runtime, user.id)) return { kind: 'mfa', challenge: await startMfaChallenge(runtime, user.id, 'pwd', options, client) };
  return { kind: 'session', user, ...(await startSession(runtime, user.id, options, client)) };
}

/** signIn for clients that expect tokens: a second factor is an MFA_REQUIRED refusal that carries the challenge. */
export async function login(runtime: Runtime, input: LoginInput, client: ClientInfo): Promise<StartedSession & { user: User }> {
  const result = await signIn(runtime, input, client);
  if (result.kind === 'mfa') throw new AppError(refusals.signInNeedsSecondFactor, { mfaChallenge: result.challenge });
  return result;
}

/**
 * Checks a username-or-e-mail and password, throttled (see limits/login-throttle.ts).
 * Login and novem's Basic-authenticated routes go through here. An account with a
 * second factor is refused (MFA_REQUIRED) unless the caller asks for it itself
 * (`secondFactor: 'challenge'`): a password alone never signs it in.
 */
export async function authenticatePassword(
  runtime: Runtime,
  name: string,
  password: string,
  client: ClientInfo,
  { secondFactor = 'refuse' }: { secondFactor?: 'refuse' | 'challenge' } = {},
) {
  parseOrThrow(credentialsSchema, { login: name, password });
  const address = client.ip ?? 'unknown';
  // Looked up before the throttle for known and unknown names alike: the counters count the account.
  const user = await findUserByLogin(runtime, name);
  const account = loginAccount(name, user);
  await reserveLoginAttempt(runtime, account, address);
  const passwordMatches = await verifyPassword(user?.passwordHash, password);
  if (!user || !passwordMatches) {
    if (user) runtime.tokenEvents.record({ action: 'login', outcome: 'UNAUTHENTICATED', client, userId: user.id });
    await recordLoginFailure(runtime, account, address);
    loginAttempts.inc({ method: 'password', outcome: 'UNAUTHENTICATED' });
    throw new AppError(refusals.invalidLogin);
  }
  await recordLoginSuccess(runtime, account, address);
  loginAttempts.inc({ method: 'password', outcome: 'success' });
  if (secondFactor === 'refuse' && (await hasSecondFactor(runtime, user.id))) throw new AppError(refusals.passwordOnlyRefused);
  return user;
}

/** `amr`: how the user signed in (["pwd"] unless said); with a second factor, `mfaAt` is when it was passed. */
export type SessionOptions = { clientType: ClientType; rememberMe: boolean; name?: string; amr?: string[]; mfaAt?: Date };

/** The session row every way of signing in starts with; `credential` is what the client will hold. */
export async function createSession(
  runtime: Runtime,
  userId: string,
  options: SessionOptions,
  client: ClientInfo,
  credential: { expiresAt: Date; refreshTokenHash?: string; secretHash?: string },
) {
  const now = runtime.clock();
  const newSession = (tx: Prisma.TransactionClient) => tx.session.create({
    data: {
      userId,
      name: options.name ?? generatedTokenName(client.userAgent),
      userAgent: client.userAgent,
      clientType: options.clientType,
      rememberMe: options.rememberMe,
      createdAt: now,
      lastUsedAt: now,
      // Every session starts with a sign-in (password or Google): the proof sensitive changes look at (accounts/reauth.ts).
      authenticatedAt: now,
      amr: (options.amr ?? ['pwd']).join(','),
      mfaAt: options.mfaAt ?? null,
      expiresAt: credential.expiresAt,
      secretHash: credential.secretHash,
      ...(credential.refreshTokenHash && { refreshTokens: { create: { tokenHash: credential.refreshTokenHash, generation: 0, createdAt: now } } }),
    },
    select: { id: true, name: true, expiresAt: true },
  });
  const amr = options.amr ?? ['pwd'];
  return commitWithEvents(runtime, newSession, (session) => [{ action: 'login', outcome: 'success', client, userId, sessionId: session.id, data: { amr } }]);
}

export async function startSession(runtime: Runtime, userId: string, options: SessionOptions, client: ClientInfo): Promise<StartedSession> {
  const now = runtime.clock();
  const refreshToken = newRefreshToken();
  const expiresAt = refreshExpiry(runtime, { createdAt: now, rememberMe: options.rememberMe }, now);
  const session = await createSession(runtime, userId, options, client, { expiresAt, refreshTokenHash: refreshTokenHash(refreshToken) });
  const grant = { userId, sessionId: session.id, clientType: options.clientType, refreshToken, issuedAt: now, refreshExpiresAt: expiresAt, amr: options.amr ?? ['pwd'] };
  return { ...(await sessionTokens(runtime, grant)), sessionName: session.name };
}

/** A password sign-in for paths that answer only an access token (RESTume): with a second factor, the challenge instead. */
export async function signInAccessOnly(runtime: Runtime, name: string, password: string, client: ClientInfo) {
  const user = await authenticatePassword(runtime, name, password, client, { secondFactor: 'challenge' });
  if (await hasSecondFactor(runtime, user.id)) {
    const challenge = await startMfaChallenge(runtime, user.id, 'pwd', { clientType: 'API', rememberMe: false }, client);
    throw new AppError(refusals.signInNeedsSecondFactor, { mfaChallenge: challenge });
  }
  return startAccessOnlySession(runtime, user.id, client);
}

/**
 * RESTume's sign-ins hand out only an access token (its document has no refresh):
 * such a session holds no refresh token and ends when its access token does.
 */
export async function startAccessOnlySession(runtime: Runtime, userId: string, client: ClientInfo) {
  // RESTume's recovery signs in with an e-mailed code alone: not enough for an account with a second factor.
  if (await hasSecondFactor(runtime, userId)) throw new AppError(refusals.passwordOnlyRefused);
  const now = runtime.clock();
  const expiresIn = runtime.accessTokens.ttlSeconds;
  const expiresAt = new Date(now.getTime() + expiresIn * 1000);
  const session = await createSession(runtime, userId, { clientType: 'API', rememberMe: false }, client, { expiresAt });
  const tokenId = randomToken(16);
  const accessToken = await issueAccessToken(runtime.signingKeys, runtime.accessTokens, {
    userId,
    sessionId: session.id,
    tokenId,
    issuedAt: now,
    amr: ['pwd'],
    extra: await accessTokenClaimsOf(runtime, userId),
  });
  return { accessToken, expiresIn, sessionId: session.id };
}
