import { setAccountDisabled } from '../accounts/disable.js';
import { finishDueDeletions } from '../accounts/deletion.js';
import { systemActor } from '../audit/actor.js';
import { pruneAuditLog } from '../audit/queries.js';
import type { Runtime } from '../runtime.js';
import { pruneWebhookEvents } from '../webhooks/deliveries.js';

/** How often each instance runs the job; every step is idempotent, so instances may overlap. */
export const maintenanceIntervalMs = 60_000;

/** Deletions past their grace period, disablings past their end, audit entries past AUDIT_RETENTION, finished webhook events past WEBHOOK_RETENTION. */
export async function runMaintenance(runtime: Runtime): Promise<{ deleted: number; enabled: number; pruned: number; webhookEventsPruned: number }> {
  const deleted = await finishDueDeletions(runtime);
  const lapsed = await runtime.db.user.findMany({ where: { disabledUntil: { lte: runtime.clock() } }, select: { id: true } });
  for (const user of lapsed) await setAccountDisabled(runtime, { id: user.id }, false, { actor: systemActor });
  const pruned = await pruneAuditLog(runtime);
  const webhookEventsPruned = await pruneWebhookEvents(runtime);
  return { deleted, enabled: lapsed.length, pruned, webhookEventsPruned };
}

/** Runs the job every maintenanceIntervalMs through the background tasks (failures are logged there); returns the stop. */
export function startMaintenance(runtime: Runtime): () => void {
  const timer = setInterval(() => runtime.background.run('maintenance', () => runMaintenance(runtime)), maintenanceIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
