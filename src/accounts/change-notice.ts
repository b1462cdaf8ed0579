import { accountChangeMail } from '../mail/templates.js';
import type { Runtime } from '../runtime.js';

/**
 * Mails the owner about a sensitive change (accounts/reauth.ts guards them), in
 * the background. `change` is fixed wording (it makes the subject); what the
 * user named (a key's name) goes in `notes`, in the body only. Only a verified address is written to: an unproven one may
 * belong to someone else.
 */
export async function notifyAccountChange(runtime: Runtime, userId: string, change: string, notes: string[] = []): Promise<void> {
  const user = await runtime.db.user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true } });
  if (!user?.email || !user.emailVerified) return;
  runtime.mailer.send(accountChangeMail(runtime, { to: user.email, change, notes, at: runtime.clock() }));
}
