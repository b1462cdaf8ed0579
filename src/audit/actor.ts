import type { ClientInfo, Principal } from '../principal.js';

/**
 * Who did what the audit log records: a user (themself or, as an admin, to
 * another account), a service account's key, the operator's shell
 * (`npm run admin`), or the server itself (the maintenance job).
 */
export type Actor =
  | { type: 'user'; id: string }
  | { type: 'service-account'; id: string }
  | { type: 'shell'; id: null }
  | { type: 'system'; id: null };

export const shellActor: Actor = { type: 'shell', id: null };
export const systemActor: Actor = { type: 'system', id: null };

export function actorOf(principal: Principal): Actor {
  if (principal.kind === 'anonymous') return systemActor;
  if (principal.kind === 'apiKey' && principal.serviceAccountId) return { type: 'service-account', id: principal.serviceAccountId };
  return { type: 'user', id: principal.userId! };
}

/** Who acts, and from where (the shell and the maintenance job have no client): what every audited change takes. */
export type ActedBy = { actor: Actor; client?: ClientInfo };

export const byShell: ActedBy = { actor: shellActor };

/** A request's caller as the audit log names it. */
export const actedBy = (principal: Principal, client: ClientInfo): ActedBy => ({ actor: actorOf(principal), client });
