import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { DateTimeResolver, EmailAddressResolver } from 'graphql-scalars';
import { holdsScope, isAdmin, type OwnerScope } from '../accounts/roles.js';
import { AppError } from '../errors.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import type { GraphQLContext } from './context.js';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    EmailAddress: { Input: string; Output: string };
  };
  AuthScopes: {
    signedIn: boolean;
    /** Signed in with a session (JWT), not an API key: what managing credentials needs. */
    session: boolean;
    /** An ADMIN user's session, or a LIVE key with the `admin` scope. */
    admin: boolean;
    /** A session, or a key holding this scope. */
    scope: OwnerScope;
  };
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin],
  defaultFieldNullability: false,
  prisma: {
    client: (context) => context.runtime.db,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  scopeAuth: {
    authScopes: ({ runtime, credentials: { principal } }) => ({
      signedIn: principal.kind !== 'anonymous',
      session: principal.kind === 'session',
      admin: () => isAdmin(runtime, principal),
      scope: (scope) => holdsScope(principal, scope),
    }),
    unauthorizedError: (_parent, context) =>
      context.credentials.principal.kind === 'anonymous' ? new AppError('UNAUTHENTICATED') : new AppError('FORBIDDEN'),
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
builder.queryType();
builder.mutationType();
