import { AppError, refusals } from '../errors.js';
import type { ClientInfo } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { callHook, invalidAnswer } from './hook-call.js';

export type AccountCandidate = { username: string; email: string; fullName: string | null; provider: 'password' | 'google' };

/** What a refusal may show the person registering: one line, short. */
const maxMessageLength = 200;

function readDecision(answer: Record<string, unknown>): { allowed: true } | { allowed: false; message?: string } {
  const { decision, message } = answer;
  if (decision === undefined || decision === 'allow') return { allowed: true };
  if (decision !== 'reject' || (message !== undefined && typeof message !== 'string')) return invalidAnswer();
  const shown = message?.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').trim().slice(0, maxMessageLength);
  return shown ? { allowed: false, message: shown } : { allowed: false };
}

/** Asks the before_user_created hook, when there is one, whether this account may be created. */
export async function assertAccountAllowed(runtime: Runtime, candidate: AccountCandidate, client?: ClientInfo): Promise<void> {
  const data = { user: candidate, client: client ? { ip: client.ip ?? null, userAgent: client.userAgent } : null };
  const decision = await callHook(runtime, 'before_user_created', data, readDecision);
  if (decision && !decision.allowed) throw new AppError(refusals.registrationRejected(decision.message));
}
