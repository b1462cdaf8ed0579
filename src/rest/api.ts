import type { IncomingMessage } from 'node:http';
import { createRoute, OpenAPIHono, type RouteConfig, type z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { accessRefused, meetsRequirement, type AccessRequirement } from '../accounts/access.js';
import { recordKeyUse } from '../apikeys/usage.js';
import { clientInfo, readBasicCredentials, resolveCredentials } from '../context.js';
import { pathToLog } from '../http/request-log.js';
import { AppError, codeForStatus, type ErrorCode, errorCodes, type FieldProblem, refusals } from '../errors.js';
import type { ClientInfo, Principal, RequestCredentials, SessionPrincipal, UserPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import type { TokenDelivery } from '../sessions/delivery.js';
import { refuseUnsafeInput } from '../validation.js';
import { errorResponses, type OperationDocs } from './operation-docs.js';

/**
 * Who may call a route: `public` (anyone), `password` (a username and password,
 * as HTTP Basic or in the JSON body, which the handler checks with passwordOf), or
 * what the caller's credential must be, in the vocabulary GraphQL's authScopes use
 * (accounts/access.ts).
 */
export type RestAuth = 'public' | 'password' | AccessRequirement;

/** What the Node listener passes along with each request. */
export type NodeBindings = {
  /** The client's address: the socket peer's, or X-Forwarded-For's from a trusted proxy (http/client-address.ts). */
  ip?: string;
  /** node:http's request, when listening: a small JSON body is read from it (http/buffered-body.ts). */
  incoming?: IncomingMessage;
};

export type RestEnv = {
  Bindings: NodeBindings;
  Variables: {
    /** The runtime with this request's logger (see requestRuntime). */
    runtime: Runtime;
    credentials: RequestCredentials;
  };
};

export type RestApi = OpenAPIHono<RestEnv>;

/** Every route's method, path and auth, for OPTIONS. */
export type RouteTable = { method: string; path: string; auth: RestAuth }[];

/** The body of every REST error but 422's; `message` is what novem's client prints. */
export const errorBody = (code: ErrorCode, detail: string = errorCodes[code].message) => ({ detail, code, message: detail });

/** A REST error answer straight from the catalogue. */
export function errorAnswer(c: Context, code: ErrorCode, detail?: string): Response {
  return c.json(errorBody(code, detail), errorCodes[code].status as 400);
}

const snakeCase = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** FastAPI's 422 body, which RESTume's clients parse, plus our code. */
export function validationBody(problems: FieldProblem[]) {
  return {
    detail: problems.map((problem) => ({
      loc: ['body', ...problem.field.split('.').map(snakeCase)],
      msg: problem.message,
      type: 'value_error',
    })),
    code: 'BAD_USER_INPUT' as const,
    message: problems.map((problem) => `${problem.field.split('.').map(snakeCase).join('.')}: ${problem.message}`).join('; '),
  };
}

export function errorResponse(c: Context, error: AppError): Response {
  if (error.retryAfter !== undefined) c.header('Retry-After', String(error.retryAfter));
  if (error.code === 'BAD_USER_INPUT' && error.fields) return c.json(validationBody(error.fields), 422);
  if (error.mfaChallenge) {
    const { challengeId, expiresAt, methods } = error.mfaChallenge;
    const mfa = { challenge_id: challengeId, expires_at: expiresAt.toISOString(), methods, verify: mfaVerifyPath };
    return c.json({ ...errorBody(error.code, error.message), mfa_required: true, mfa }, 401);
  }
  return errorAnswer(c, error.code, error.message);
}

const safelyDecoded = (url: string) => {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
};

/** A 500 for what no handler expected, logged with its type and code only (a message may hold SQL). */
export function unexpectedFailure(c: Context<RestEnv>, error: unknown) {
  const { name, code } = error as { name?: string; code?: unknown };
  c.var.runtime.logger.error({ err: { type: name, code }, path: pathToLog(c) }, 'unexpected error');
  return errorAnswer(c, 'INTERNAL');
}

/** What Hono itself refuses (malformed JSON, a wrong content type, the time limit), by its status. */
export function refusedByHono(c: Context, error: HTTPException): Response {
  const code = codeForStatus(error.status);
  return errorAnswer(c, code, code === 'BAD_REQUEST' && error.message ? error.message : undefined);
}

export function createRestApi(): RestApi {
  const api = new OpenAPIHono<RestEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const problems = result.error.issues.map((issue) => ({
        field: issue.path.map(String).join('.') || 'body',
        message: issue.message,
      }));
      return c.json(validationBody(problems), 422);
    },
  });
  api.onError((error, c) => {
    if (error instanceof AppError) return errorResponse(c, error);
    if (error instanceof HTTPException) return refusedByHono(c, error);
    return unexpectedFailure(c, error);
  });
  api.use('*', async (c, next) => {
    const body = c.req.header('content-type')?.includes('json') ? await c.req.json().catch(() => undefined) : undefined;
    refuseUnsafeInput(safelyDecoded(c.req.url), body);
    await next();
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  api.openAPIRegistry.registerComponent('securitySchemes', 'basic', { type: 'http', scheme: 'basic' });
  api.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  return api;
}

const sessionOnly = (auth: AccessRequirement) => auth.session && !auth.signedIn && !auth.scope && !auth.admin;

function securityFor(auth: RestAuth): Record<string, string[]>[] | undefined {
  if (auth === 'public') return undefined;
  if (auth === 'password') return [{ basic: [] }, {}];
  if (sessionOnly(auth)) return [{ bearer: [] }];
  return [{ bearer: [] }, { apiKey: [] }];
}

/** What a route's auth rule refuses with: a key's requests are rate-limited, a password's misses throttled. */
function refusalsOf(auth: RestAuth): ErrorCode[] {
  if (auth === 'public') return [];
  if (auth === 'password') return ['UNAUTHENTICATED', 'MFA_REQUIRED', 'RATE_LIMITED'];
  return sessionOnly(auth) ? ['UNAUTHENTICATED', 'FORBIDDEN'] : ['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED'];
}

/** Whether a caller may use a route: what OPTIONS answers with, and what `authenticate` enforces. */
export async function routeAllows(runtime: Runtime, auth: RestAuth, principal: Principal): Promise<boolean> {
  if (auth === 'public' || auth === 'password') return true;
  return meetsRequirement(runtime, principal, auth);
}

/** Refuses the request unless the caller's credential satisfies `auth`; stores what it found. */
export function authenticate(auth: RestAuth): MiddlewareHandler<RestEnv> {
  return async (c, next) => {
    if (auth === 'public' || auth === 'password') return next();
    const { runtime } = c.var;
    const credentials = await resolveCredentials(runtime, c.req.raw, clientOf(c), { sessionCookie: true });
    const { principal } = credentials;
    if (principal.kind === 'anonymous') throw accessRefused(principal);
    c.set('credentials', credentials);
    if (principal.kind !== 'apiKey') {
      if (!(await meetsRequirement(runtime, principal, auth))) throw accessRefused(principal, auth);
      return next();
    }
    // One activity-log entry per use of a key, with what it answered.
    let outcome = 'INTERNAL';
    try {
      if (!(await meetsRequirement(runtime, principal, auth))) throw accessRefused(principal, auth);
      await next();
      outcome = c.error instanceof AppError ? c.error.code : c.res.status < 400 ? 'success' : String(c.res.status);
    } catch (error) {
      if (error instanceof AppError) outcome = error.code;
      throw error;
    } finally {
      recordKeyUse(runtime, principal, { operation: `${c.req.method} ${c.req.routePath}`, outcome, client: clientOf(c) });
    }
  };
}

/**
 * The username and password of a `password` route: HTTP Basic (novem's document)
 * or `username` and `password` in the JSON body (novem's own client).
 */
export function passwordOf(c: Context<RestEnv>, body: { username?: string; password?: string }) {
  const basic = readBasicCredentials(c.req.raw.headers);
  if (basic) return basic;
  if (body.username !== undefined && body.password !== undefined) return { username: body.username, password: body.password };
  c.header('WWW-Authenticate', 'Basic realm="authgraph"');
  throw new AppError(refusals.passwordCredentialsNeeded);
}

/**
 * Declares a route: its OpenAPI description with the errors it may answer, its auth rule
 * (enforced and documented), its place in OPTIONS.
 */
export function restRoute<R extends Omit<RouteConfig, 'middleware' | 'security' | 'operationId' | 'tags' | 'summary'> & OperationDocs>(
  table: RouteTable,
  auth: RestAuth,
  config: R,
) {
  table.push({ method: config.method.toUpperCase(), path: config.path, auth });
  const { product, errors = [], mfaChallenge, ...route } = config;
  const refused = [...refusalsOf(auth), ...(config.request ? (['BAD_USER_INPUT'] as const) : []), ...errors];
  return createRoute({
    ...route,
    summary: `${product}: ${config.summary}`,
    responses: { ...errorResponses(refused, { mfaChallenge }), ...config.responses } as R['responses'],
    security: securityFor(auth),
    middleware: [authenticate(auth)] as const,
  });
}

export function principalOf(c: Context<RestEnv>): Principal {
  return c.get('credentials').principal;
}

/** The session of a route declared with `{ session: true }`. */
export function sessionOf(c: Context<RestEnv>): SessionPrincipal {
  const principal = principalOf(c);
  if (principal.kind !== 'session') throw new AppError('FORBIDDEN');
  return principal;
}

/** A user's credential, a session or one of the user's keys: a service account's key is refused. */
export function userCredentialOf(c: Context<RestEnv>): UserPrincipal {
  const principal = principalOf(c);
  if (principal.kind === 'anonymous' || principal.userId === null) throw new AppError(refusals.serviceAccountHasNoUser);
  return principal as UserPrincipal;
}

export function clientOf(c: Context<RestEnv>): ClientInfo {
  return clientInfo(c.req.raw.headers, c.env?.ip);
}

/** The REST door's refresh path: NovaVMS's refresh route, the only one a browser's refresh cookie is sent to. */
export const restRefreshPath = '/api/auth/refresh';
/** authgraph's addition to the products' paths: completes a sign-in that answered `mfa_required`. */
export const mfaVerifyPath = '/v1/auth/mfa/verify';

/** How REST routes hand over a session's tokens (sessions/delivery.ts): cookies go on this response. */
export function restDelivery(c: Context<RestEnv>): TokenDelivery {
  return { cookiePath: restRefreshPath, setCookie: (cookie) => c.header('Set-Cookie', cookie, { append: true }) };
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: true } };
}

/** A JSON body a route reads when one is sent (novem's routes also take their input from HTTP Basic alone). */
export function optionalJsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: false } };
}
