import { z } from '@hono/zod-openapi';
import { auditEntriesAfter, auditEntryJson, type AuditFilter } from '../audit/queries.js';
import { AppError, refusals } from '../errors.js';
import type { Position } from '../pagination.js';
import type { Runtime } from '../runtime.js';
import { principalOf, restRoute, type RestApi, type RouteTable } from './api.js';

/** Entries read per query while streaming. */
const exportPageSize = 500;

const AuditQuery = z.object({
  since: z.iso.datetime().optional().openapi({ description: 'From this time on (inclusive)' }),
  until: z.iso.datetime().optional().openapi({ description: 'Before this time' }),
  action: z.string().max(64).optional(),
  actor_id: z.string().max(64).optional(),
  target_id: z.string().max(64).optional().openapi({ description: 'The account, service account, session or key concerned' }),
});

/** The log as NDJSON, oldest first, read in keyset pages as the client takes them (a SIEM's pull). */
function auditStream(runtime: Runtime, filter: AuditFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: Position | undefined;
  return new ReadableStream({
    async pull(controller) {
      const entries = await auditEntriesAfter(runtime, filter, after, exportPageSize);
      if (entries.length > 0) {
        const last = entries.at(-1)!;
        after = { at: last.at, id: last.id };
        controller.enqueue(encoder.encode(entries.map((entry) => `${JSON.stringify(auditEntryJson(entry))}\n`).join('')));
      }
      if (entries.length < exportPageSize) controller.close();
    },
  });
}

export function auditExportRoutes(api: RestApi, table: RouteTable) {
  const route = restRoute(table, { admin: true }, {
    method: 'get',
    path: '/admin/audit.ndjson',
    summary: 'The audit log as NDJSON, oldest first, for a SIEM; an admin session only (authgraph addition)',
    operationId: 'authgraphExportAuditLog',
    tags: ['Audit'],
    product: 'authgraph',
    request: { query: AuditQuery },
    responses: { 200: { content: { 'application/x-ndjson': { schema: z.string() } }, description: 'One JSON entry per line' } },
  });
  api.openapi(route, async (c) => {
    if (principalOf(c).kind !== 'session') throw new AppError(refusals.sessionNeeded);
    const query = c.req.valid('query');
    const filter: AuditFilter = {
      since: query.since ? new Date(query.since) : null,
      until: query.until ? new Date(query.until) : null,
      action: query.action,
      actorId: query.actor_id,
      targetId: query.target_id,
    };
    await c.var.runtime.tokenEvents.flush();
    // zod-openapi types only JSON and text answers; a stream is declared above as NDJSON.
    return new Response(auditStream(c.var.runtime, filter), { status: 200, headers: { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' } }) as never;
  });
}
