import { isAdmin } from '../accounts/roles.js';
import type { Principal } from '../principal.js';
import { AppError, refusals } from '../errors.js';
import { keysetPage, olderThan, type PageArgs } from '../pagination.js';
import type { Runtime } from '../runtime.js';

type EventFilter = { sessionId: string } | { apiKeyId: string } | { userId: string };

function listEvents(runtime: Runtime, filter: EventFilter, page: PageArgs) {
  return keysetPage(
    page,
    (before, take) =>
      runtime.db.tokenEvent.findMany({
        where: { ...filter, ...olderThan('at', before) },
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        take,
      }),
    (event) => ({ at: event.at, id: event.id }),
  );
}

/** A session's or an API key's activity, for its owner or an admin; anyone else gets NOT_FOUND. */
export async function tokenLog(runtime: Runtime, principal: Principal, tokenId: string, page: PageArgs) {
  const [session, apiKey] = await Promise.all([
    runtime.db.session.findUnique({ where: { id: tokenId }, select: { userId: true } }),
    runtime.db.apiKey.findUnique({ where: { id: tokenId }, select: { userId: true, serviceAccountId: true } }),
  ]);
  const owner = session ?? apiKey;
  const callerUserId = principal.kind === 'anonymous' ? null : principal.userId;
  const callerServiceAccountId = principal.kind === 'apiKey' ? principal.serviceAccountId : null;
  const owns =
    owner &&
    ((owner.userId !== null && owner.userId === callerUserId) ||
      (apiKey?.serviceAccountId != null && apiKey.serviceAccountId === callerServiceAccountId));
  if (!owner || !(owns || (await isAdmin(runtime, principal)))) throw new AppError(refusals.noSuchToken);
  return listEvents(runtime, session ? { sessionId: tokenId } : { apiKeyId: tokenId }, page);
}
