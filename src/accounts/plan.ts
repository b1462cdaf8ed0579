import { byShell, type ActedBy } from '../audit/actor.js';
import { reverifyKeysOf } from '../apikeys/reverify.js';
import type { Runtime } from '../runtime.js';
import { resolveUser, type UserRef } from './users.js';

export const plans = ['FREE', 'PRO'] as const;
export type Plan = (typeof plans)[number];

/**
 * What `npm run admin -- free|pro <username>` and the setUserPlan mutation do: the
 * plan is then the administrator's (`planSource` "admin", where a new account's is
 * "default"). The user's keys are verified again everywhere: a plan sets their requests per minute.
 */
export async function setUserPlan(runtime: Runtime, ref: UserRef, plan: Plan, by: ActedBy = byShell): Promise<{ id: string; username: string; plan: string }> {
  const current = await resolveUser(runtime, ref);
  const user = await runtime.db.user.update({ where: { id: current.id }, data: { plan, planSource: 'admin' }, select: { id: true, username: true, plan: true } });
  await reverifyKeysOf(runtime, user.id);
  runtime.tokenEvents.record({ action: 'plan-changed', outcome: 'success', userId: user.id, ...by, detail: `${current.plan} -> ${plan}` });
  return user;
}
