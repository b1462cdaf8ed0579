import { webhookDisabledMail } from '../mail/templates.js';
import type { Runtime } from '../runtime.js';

/** Tells every administrator with a verified address that the dispatcher disabled an endpoint. */
export async function mailAdminsEndpointDisabled(runtime: Runtime, endpointId: string): Promise<void> {
  const endpoint = await runtime.db.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { url: true, disabledAt: true } });
  if (!endpoint) return;
  const admins = await runtime.db.user.findMany({ where: { role: { in: ['ADMIN', 'OWNER'] }, emailVerified: true, disabledAt: null }, select: { email: true } });
  runtime.logger.warn({ webhookEndpoint: endpointId, admins: admins.length }, 'webhook endpoint disabled after failing deliveries');
  for (const admin of admins) runtime.mailer.send(webhookDisabledMail(runtime, { to: admin.email, url: endpoint.url, at: endpoint.disabledAt ?? runtime.clock() }));
}
