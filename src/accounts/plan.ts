import { reverifyKeysOf } from '../apikeys/reverify.js';
import { AppError, refusals } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { normalizeLogin } from './users.js';

export const plans = ['FREE', 'PRO'] as const;
export type Plan = (typeof plans)[number];

/**
 * What `npm run admin -- free|pro <username>` does: the plan is then the
 * administrator's (`planSource` "admin", where a new account's is "default").
 * The user's keys are verified again everywhere: a plan sets their requests per minute.
 */
export async function setUserPlan(runtime: Runtime, username: string, plan: Plan): Promise<{ id: string; username: string; plan: string }> {
  const where = { username: normalizeLogin(username) };
  const { count } = await runtime.db.user.updateMany({ where, data: { plan, planSource: 'admin' } });
  if (count === 0) throw new AppError(refusals.noUserNamed(username));
  const user = await runtime.db.user.findUniqueOrThrow({ where, select: { id: true, username: true, plan: true } });
  await reverifyKeysOf(runtime, user.id);
  return user;
}
