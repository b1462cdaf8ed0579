import type { SessionPrincipal } from '../context.js';
import { AppError } from '../errors.js';
import type { GraphQLContext } from './context.js';

/** The session behind a field whose auth scopes already demand one; narrows the type for the resolver. */
export function sessionOf(context: GraphQLContext): SessionPrincipal {
  const { principal } = context.credentials;
  if (principal.kind !== 'session') throw new AppError('FORBIDDEN');
  return principal;
}
