import type { RequestCredentials } from '../context.js';
import type { RequestScope } from '../http/request-scope.js';
import type { Runtime } from '../runtime.js';
import type { ClientInfo } from '../sessions/login.js';

export type GraphQLContext = {
  /** The runtime with this request's logger (see requestRuntime). */
  runtime: Runtime;
  scope: RequestScope;
  credentials: RequestCredentials;
  client: ClientInfo;
  request: Request;
  /** Set-Cookie values added to the response. */
  responseCookies: string[];
};
