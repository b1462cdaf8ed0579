import type { Prisma } from '../generated/sqlite/client.js';
import { z } from 'zod';
import { isOwner } from '../accounts/roles.js';
import { apiKeyScopes, scopesOfRole, storeScopes } from '../apikeys/scopes.js';
import { isUniqueViolation } from '../db.js';
import { AppError, badInput, refusals } from '../errors.js';
import { actorOf } from '../audit/actor.js';
import type { ClientInfo, SessionPrincipal } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { parseOrThrow } from '../validation.js';

export type CreateServiceAccountInput = {
  name: string;
  description?: string | null;
  role?: string | null;
  scopes: string[];
};

export const serviceAccountName = z.string().trim().regex(/^[\w .-]{1,64}$/, 'must be 1 to 64 letters, digits, spaces, _ . -');

const createSchema = z.object({
  name: serviceAccountName,
  description: z.string().trim().max(500, 'must be at most 500 characters').nullish(),
  // OWNER is a person's role: what only an owner may do needs a session, which a service account never has.
  role: z.enum(['USER', 'ADMIN'], { error: 'must be USER or ADMIN' }).nullish(),
  scopes: z.array(z.enum(apiKeyScopes, { error: `must be one of ${apiKeyScopes.join(', ')}` })),
});

/**
 * A non-human principal with a fixed role and scopes; it signs in only with keys an admin mints
 * for it. Giving it the ADMIN role takes an owner, as giving it to a person does.
 */
export async function createServiceAccount(runtime: Runtime, input: CreateServiceAccountInput, creator: SessionPrincipal, client?: ClientInfo) {
  const { name, description, role, scopes } = parseOrThrow(createSchema, input);
  if (role === 'ADMIN' && !(await isOwner(runtime, creator))) throw new AppError(refusals.ownerGivesAdmin);
  const allowed = scopesOfRole(role ?? 'USER');
  const beyondRole = scopes.filter((scope) => !allowed.includes(scope));
  if (beyondRole.length > 0) throw badInput([{ field: 'scopes', message: `${beyondRole.join(', ')} needs the ADMIN role` }]);
  try {
    const account = await runtime.db.serviceAccount.create({
      data: { name, description: description || null, role: role ?? 'USER', scopes: storeScopes(scopes), createdById: creator.userId, createdAt: runtime.clock() },
    });
    runtime.tokenEvents.record({
      action: 'service-account-created',
      outcome: 'success',
      serviceAccountId: account.id,
      actor: actorOf(creator),
      client,
      detail: `${account.role}: ${account.scopes}`,
    });
    return account;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError(refusals.serviceAccountNameTaken, { fields: [{ field: 'name', message: 'is taken' }] });
    }
    throw error;
  }
}

export function listServiceAccounts(runtime: Runtime) {
  return runtime.db.serviceAccount.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

/** A service account with what a GraphQL selection asks of it (`query`: Pothos' include/select). */
export function findServiceAccount<Query extends Omit<Prisma.ServiceAccountFindUniqueArgs, 'where'>>(runtime: Runtime, id: string, query: Query) {
  return runtime.db.serviceAccount.findUnique({ ...query, where: { id } });
}
