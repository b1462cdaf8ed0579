import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import { DateTimeResolver, EmailAddressResolver, JSONObjectResolver } from 'graphql-scalars';
import { accessChecks, accessRefused, type AccessScopes } from '../accounts/access.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import type { GraphQLContext } from '../graphql/context.js';

/** The scope names whose checks failed, anywhere in Pothos' report of a refusal. */
const failedScopes = (failure: AuthFailure): string[] =>
  'failures' in failure ? failure.failures.flatMap(failedScopes) : failure.kind === AuthScopeFailureType.AuthScope ? [failure.scope] : [];

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    EmailAddress: { Input: string; Output: string };
    JSONObject: { Input: Record<string, unknown>; Output: object };
  };
  /** The vocabulary REST routes use too (accounts/access.ts). */
  AuthScopes: AccessScopes;
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
    authScopes: ({ runtime, credentials }) => accessChecks(runtime, credentials.principal),
    // The refusal names the admin requirement when that is what failed: a TEST key then gets NOT_FOUND, as on REST.
    unauthorizedError: (_parent, context, _info, { failure }) => {
      const failed = failedScopes(failure);
      const requirement = failed.includes('admin') ? { admin: true } : failed.includes('verifier') ? { verifier: true } : {};
      return accessRefused(context.credentials.principal, requirement);
    },
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);
builder.queryType();
builder.mutationType();
