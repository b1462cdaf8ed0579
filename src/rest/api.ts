import { createRoute, OpenAPIHono, type RouteConfig, type z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { readBasicCredentials, resolveCredentials, type Principal, type RequestCredentials, type SessionPrincipal } from '../context.js';
import { holdsScope } from '../accounts/roles.js';
import { recordKeyUse } from '../apikeys/usage.js';
import { AppError, errorCodes, type FieldProblem } from '../errors.js';
import type { Runtime } from '../runtime.js';
import type { ClientInfo } from '../sessions/login.js';
import { containsNulCharacter, nulCharacterRefused } from '../validation.js';

/**
 * Who may call a route. `public`: anyone. `basic`: HTTP Basic username and
 * password. `session`: a signed-in session (JWT) only. `credential`: a session
 * or any API key. `owner`: a session, or an API key with the `account:read` scope.
 */
export type RestAuth = 'public' | 'basic' | 'session' | 'credential' | 'owner';

/** Whether a principal satisfies a route's auth (Basic is checked apart). */
export function principalAllowed(auth: Exclude<RestAuth, 'basic'>, principal: Principal): boolean {
  if (auth === 'public') return true;
  if (principal.kind === 'anonymous') return false;
  if (auth === 'session') return principal.kind === 'session';
  return auth === 'credential' || holdsScope(principal, 'account:read');
}

/** What the Node listener passes along with each request. */
export type NodeBindings = { ip?: string };

export type RestEnv = {
  Bindings: NodeBindings;
  Variables: {
    /** The runtime with this request's logger (see requestRuntime). */
    runtime: Runtime;
    credentials: RequestCredentials;
    basic: { username: string; password: string };
  };
};

export type RestApi = OpenAPIHono<RestEnv>;

/** Every route's method, path and auth, for OPTIONS. */
export type RouteTable = { method: string; path: string; auth: RestAuth }[];

const snakeCase = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** FastAPI's 422 body, which RESTume's clients parse, plus our code. */
export function validationBody(problems: FieldProblem[]) {
  return {
    detail: problems.map((problem) => ({
      loc: ['body', ...problem.field.split('.').map(snakeCase)],
      msg: problem.message,
      type: 'value_error',
    })),
    code: 'BAD_USER_INPUT',
  };
}

export function errorResponse(c: Context, error: AppError): Response {
  if (error.retryAfter !== undefined) c.header('Retry-After', String(error.retryAfter));
  if (error.code === 'BAD_USER_INPUT' && error.fields) return c.json(validationBody(error.fields), 422);
  return c.json({ detail: error.message, code: error.code }, error.status as 401);
}

const safelyDecoded = (url: string) => {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
};

/** Codes for what Hono itself refuses (malformed JSON, wrong content type) before a handler runs. */
const httpExceptionCodes: Record<number, string> = { 400: 'BAD_REQUEST', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

/** A 500 for what no handler expected, logged with its type and code only (a message may hold SQL). */
export function unexpectedFailure(c: Context<RestEnv>, error: unknown) {
  const { name, code } = error as { name?: string; code?: unknown };
  c.var.runtime.logger.error({ err: { type: name, code }, path: c.req.path }, 'unexpected error');
  return c.json({ detail: errorCodes.INTERNAL.message, code: 'INTERNAL' }, 500);
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
    if (error instanceof HTTPException) {
      const code = httpExceptionCodes[error.status] ?? 'BAD_REQUEST';
      return c.json({ detail: error.message || 'Bad request.', code }, error.status);
    }
    return unexpectedFailure(c, error);
  });
  api.use('*', async (c, next) => {
    const body = c.req.header('content-type')?.includes('json') ? await c.req.json().catch(() => undefined) : undefined;
    if (containsNulCharacter(safelyDecoded(c.req.url)) || containsNulCharacter(body)) throw nulCharacterRefused();
    await next();
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  api.openAPIRegistry.registerComponent('securitySchemes', 'basic', { type: 'http', scheme: 'basic' });
  api.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  return api;
}

const securityFor: Record<RestAuth, Record<string, string[]>[] | undefined> = {
  public: undefined,
  basic: [{ basic: [] }],
  session: [{ bearer: [] }],
  credential: [{ bearer: [] }, { apiKey: [] }],
  owner: [{ bearer: [] }, { apiKey: [] }],
};

/** Refuses the request unless the caller's credential satisfies `auth`; stores what it found. */
export function authenticate(runtime: Runtime, auth: RestAuth): MiddlewareHandler<RestEnv> {
  return async (c, next) => {
    if (auth === 'basic') {
      const basic = readBasicCredentials(c.req.raw.headers);
      if (!basic) {
        c.header('WWW-Authenticate', 'Basic realm="authgraph"');
        throw new AppError('UNAUTHENTICATED', { message: 'This route takes HTTP Basic credentials.' });
      }
      c.set('basic', basic);
    } else if (auth !== 'public') {
      const credentials = await resolveCredentials(runtime, c.req.raw.headers, clientOf(c));
      const { principal } = credentials;
      if (principal.kind === 'anonymous') throw new AppError('UNAUTHENTICATED');
      c.set('credentials', credentials);
      if (principal.kind === 'apiKey') {
        // One activity-log entry per use of a key, with what it answered.
        let outcome = 'INTERNAL';
        try {
          if (!principalAllowed(auth, principal)) {
            const message = auth === 'session' ? 'This route needs a signed-in session (JWT), not an API key.' : 'This key lacks the account:read scope.';
            throw new AppError('FORBIDDEN', { message });
          }
          await next();
          outcome = c.error instanceof AppError ? c.error.code : c.res.status < 400 ? 'success' : String(c.res.status);
        } catch (error) {
          if (error instanceof AppError) outcome = error.code;
          throw error;
        } finally {
          recordKeyUse(runtime, principal, { operation: `${c.req.method} ${c.req.routePath}`, outcome, client: clientOf(c) });
        }
        return;
      }
    }
    await next();
  };
}

/** Declares a route: its OpenAPI description, its auth rule (enforced and documented), its place in OPTIONS. */
export function restRoute<R extends Omit<RouteConfig, 'middleware' | 'security'>>(
  runtime: Runtime,
  table: RouteTable,
  auth: RestAuth,
  config: R,
) {
  table.push({ method: config.method.toUpperCase(), path: config.path, auth });
  return createRoute({ ...config, security: securityFor[auth], middleware: [authenticate(runtime, auth)] as const });
}

export function principalOf(c: Context<RestEnv>): Principal {
  return c.get('credentials').principal;
}

/** The session of a route declared with `session` auth. */
export function sessionOf(c: Context<RestEnv>): SessionPrincipal {
  const principal = principalOf(c);
  if (principal.kind !== 'session') throw new AppError('FORBIDDEN');
  return principal;
}

export function clientOf(c: Context<RestEnv>): ClientInfo {
  return { userAgent: c.req.header('user-agent') ?? '', ip: c.env?.ip };
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: true } };
}
