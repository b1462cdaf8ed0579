import type { RequestCredentials } from '../context.js';
import type { Runtime } from '../runtime.js';
import type { ClientInfo } from '../sessions/login.js';

export type GraphQLContext = {
  runtime: Runtime;
  credentials: RequestCredentials;
  client: ClientInfo;
  request: Request;
  /** Set-Cookie values added to the response. */
  responseCookies: string[];
};
