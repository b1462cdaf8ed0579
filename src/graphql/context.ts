import { AppError } from '../errors.js';
import type { RequestScope } from '../http/request-scope.js';
import type { ClientInfo, RequestCredentials, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import type { TokenDelivery } from '../sessions/delivery.js';

export type GraphQLContext = {
  /** The runtime with this request's logger (see requestRuntime). */
  runtime: Runtime;
  scope: RequestScope;
  credentials: RequestCredentials;
  client: ClientInfo;
  /** Refresh cookies go to /graphql: the endpoint's refresh operation is there. */
  delivery: TokenDelivery;
};

/** The session behind a field whose auth scopes already demand one; narrows the type for the resolver. */
export function sessionOf(context: GraphQLContext): SessionPrincipal {
  const { principal } = context.credentials;
  if (principal.kind !== 'session') throw new AppError('FORBIDDEN');
  return principal;
}
