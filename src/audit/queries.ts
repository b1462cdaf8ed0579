import type { Prisma, TokenEvent } from '../generated/sqlite/client.js';
import { AppError, refusals } from '../errors.js';
import { keysetPage, olderThan, type PageArgs, type Position } from '../pagination.js';
import type { Principal } from '../principal.js';
import type { Runtime } from '../runtime.js';

/** What an administrator searches the log by; every field narrows. `targetId` is the account, session or key concerned. */
export type AuditFilter = {
  actorId?: string | null;
  targetId?: string | null;
  action?: string | null;
  since?: Date | null;
  until?: Date | null;
};

function whereOf(filter: AuditFilter): Prisma.TokenEventWhereInput {
  const { actorId, targetId, action, since, until } = filter;
  return {
    ...(actorId && { actorId }),
    ...(action && { action }),
    ...(targetId && { OR: [{ userId: targetId }, { serviceAccountId: targetId }, { sessionId: targetId }, { apiKeyId: targetId }] }),
    ...((since || until) && { at: { ...(since && { gte: since }), ...(until && { lt: until }) } }),
  };
}

const positionOf = (event: TokenEvent): Position => ({ at: event.at, id: event.id });

/** A page of the log, newest first. */
export function auditPage(runtime: Runtime, where: Prisma.TokenEventWhereInput, page: PageArgs) {
  return keysetPage(
    page,
    (before, take) =>
      runtime.db.tokenEvent.findMany({ where: { AND: [where, olderThan('at', before)] }, orderBy: [{ at: 'desc' }, { id: 'desc' }], take }),
    positionOf,
  );
}

/**
 * auditLog: without a filter, every event of the caller's account (or, for an
 * admin, of `userId`'s); with one (admins only, checked by the schema), the whole log.
 */
export function auditLog(runtime: Runtime, principal: Principal, page: PageArgs, options: { userId?: string | null; filter?: AuditFilter | null }) {
  if (options.filter) return auditPage(runtime, whereOf({ ...options.filter, ...(options.userId && { targetId: options.userId }) }), page);
  const subject = options.userId ?? (principal.kind === 'anonymous' ? null : principal.userId);
  if (!subject) throw new AppError(refusals.serviceAccountHasNoAccountLog);
  return auditPage(runtime, { userId: subject }, page);
}

/** Oldest first from `after` on: the NDJSON export's pages, stable while entries are added. */
export function auditEntriesAfter(runtime: Runtime, filter: AuditFilter, after: Position | undefined, take: number) {
  const later = after ? { OR: [{ at: { gt: after.at } }, { at: after.at, id: { gt: after.id } }] } : {};
  return runtime.db.tokenEvent.findMany({ where: { AND: [whereOf(filter), later] }, orderBy: [{ at: 'asc' }, { id: 'asc' }], take });
}

/** The maintenance job's part: entries older than AUDIT_RETENTION go (0 keeps them all). */
export async function pruneAuditLog(runtime: Runtime): Promise<number> {
  const seconds = runtime.config.auditRetention;
  if (seconds === 0) return 0;
  const { count } = await runtime.db.tokenEvent.deleteMany({ where: { at: { lt: new Date(runtime.clock().getTime() - seconds * 1000) } } });
  return count;
}

/** An entry as the export and the NDJSON stream write it. */
export function auditEntryJson(event: TokenEvent) {
  return {
    id: event.id,
    at: event.at.toISOString(),
    action: event.action,
    outcome: event.outcome,
    operation: event.operation,
    actor: { type: event.actorType, id: event.actorId },
    userId: event.userId,
    serviceAccountId: event.serviceAccountId,
    sessionId: event.sessionId,
    apiKeyId: event.apiKeyId,
    ip: event.ip,
    userAgent: event.userAgent,
    detail: event.detail,
  };
}
