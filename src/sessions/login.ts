import { z } from 'zod';
import { findUserByLogin } from '../accounts/users.js';
import { issueAccessToken } from '../crypto/access-token.js';
import { verifyPassword } from '../crypto/password.js';
import { randomToken } from '../crypto/random.js';
import { AppError, refusals } from '../errors.js';
import { loginAccount, recordLoginFailure, recordLoginSuccess, reserveLoginAttempt } from '../limits/login-throttle.js';
import { loginAttempts } from '../metrics.js';
import type { ClientInfo, ClientType } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { generatedTokenName, tokenNameSchema } from '../tokens/token-names.js';
import { parseOrThrow } from '../validation.js';
import { newRefreshToken, refreshExpiry, refreshTokenHash, sessionTokens, type SessionTokens } from './session-tokens.js';
import type { User } from '../generated/sqlite/client.js';

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

/** Username or e-mail plus password; an unknown user and a wrong password fail alike. */
export async function login(runtime: Runtime, input: LoginInput, client: ClientInfo): Promise<StartedSession & { user: User }> {
  const { login: name, password, clientType, rememberMe, sessionName } = parseOrThrow(loginSchema, input);
  const user = await authenticatePassword(runtime, name, password, client);
  const tokens = await startSession(runtime, user.id, { clientType, rememberMe, name: sessionName }, client);
  return { ...tokens, user };
}

/**
 * Checks a username-or-e-mail and password, throttled (see limits/login-throttle.ts).
 * Login and novem's Basic-authenticated routes go through here.
 */
export async function authenticatePassword(runtime: Runtime, name: string, password: string, client: ClientInfo) {
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
  return user;
}

export type SessionOptions = { clientType: ClientType; rememberMe: boolean; name?: string };

/** The session row every way of signing in starts with; `credential` is what the client will hold. */
export async function createSession(
  runtime: Runtime,
  userId: string,
  options: SessionOptions,
  client: ClientInfo,
  credential: { expiresAt: Date; refreshTokenHash?: string; secretHash?: string },
) {
  const now = runtime.clock();
  const session = await runtime.db.session.create({
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
      expiresAt: credential.expiresAt,
      secretHash: credential.secretHash,
      ...(credential.refreshTokenHash && { refreshTokens: { create: { tokenHash: credential.refreshTokenHash, generation: 0, createdAt: now } } }),
    },
    select: { id: true, name: true, expiresAt: true },
  });
  runtime.tokenEvents.record({ action: 'login', outcome: 'success', client, userId, sessionId: session.id });
  return session;
}

export async function startSession(runtime: Runtime, userId: string, options: SessionOptions, client: ClientInfo): Promise<StartedSession> {
  const now = runtime.clock();
  const refreshToken = newRefreshToken();
  const expiresAt = refreshExpiry(runtime, { createdAt: now, rememberMe: options.rememberMe }, now);
  const session = await createSession(runtime, userId, options, client, { expiresAt, refreshTokenHash: refreshTokenHash(refreshToken) });
  const grant = { userId, sessionId: session.id, clientType: options.clientType, refreshToken, issuedAt: now, refreshExpiresAt: expiresAt };
  return { ...(await sessionTokens(runtime, grant)), sessionName: session.name };
}

/**
 * RESTume's sign-ins hand out only an access token (its document has no refresh):
 * such a session holds no refresh token and ends when its access token does.
 */
export async function startAccessOnlySession(runtime: Runtime, userId: string, client: ClientInfo) {
  const now = runtime.clock();
  const expiresIn = runtime.accessTokens.ttlSeconds;
  const expiresAt = new Date(now.getTime() + expiresIn * 1000);
  const session = await createSession(runtime, userId, { clientType: 'API', rememberMe: false }, client, { expiresAt });
  const tokenId = randomToken(16);
  const accessToken = await issueAccessToken(runtime.signingKeys, runtime.accessTokens, { userId, sessionId: session.id, tokenId, issuedAt: now });
  return { accessToken, expiresIn, sessionId: session.id };
}
