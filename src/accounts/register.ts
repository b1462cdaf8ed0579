import { z } from 'zod';
import { mailChallenge, newChallenge } from '../challenges/challenge.js';
import { parseRedirectTarget } from '../challenges/redirect.js';
import { hashPassword } from '../crypto/password.js';
import { AppError, badInput, refusals } from '../errors.js';
import { fullNameSchema, parseOrThrow } from '../validation.js';
import { consumeOrThrow } from '../limits/limits.js';
import type { ClientInfo } from '../principal.js';
import type { Runtime } from '../runtime.js';
import { passwordLength, passwordProblem } from './password-policy.js';
import { isUniqueViolation } from '../db.js';
import { assertStillAwaited } from '../http/deadline.js';
import { normalizeLogin, usernamePattern } from './users.js';
import { assertAccountAllowed } from '../hooks/before-user-created.js';
import { commitWithEvents } from '../webhooks/outbox.js';
import { userCreatedData } from '../webhooks/event-data.js';

export type RegisterInput = { username: string; email: string; password: string; fullName?: string | null; redirectTo?: string | null };

const registerSchema = z.object({
  username: z
    .string()
    .transform(normalizeLogin)
    .pipe(z.string().regex(usernamePattern, 'must be 3 to 32 of a-z, 0-9, _ . -')),
  email: z.string().transform(normalizeLogin).pipe(z.string().email('must be an e-mail address').max(254)),
  password: z.string().max(passwordLength.max * 4, `must be at most ${passwordLength.max} characters`),
  fullName: fullNameSchema.nullish(),
  redirectTo: z.string().nullish(),
});

export async function registerUser(runtime: Runtime, input: RegisterInput, client: ClientInfo) {
  const { username, email, password, fullName, redirectTo } = parseOrThrow(registerSchema, input);
  const verificationExtras = { redirectTo: parseRedirectTarget(runtime.config, redirectTo) };
  const problem = passwordProblem(password, { username, email });
  if (problem) throw badInput([{ field: 'password', message: problem }]);
  await consumeOrThrow(runtime.limits.registrationsByIp, client.ip ?? 'unknown');

  const taken = await runtime.db.user.findFirst({ where: { OR: [{ username }, { email }] }, select: { username: true } });
  if (taken) {
    const field = taken.username === username ? 'username' : 'email';
    throw new AppError(refusals.alreadyRegistered(field), { fields: [{ field, message: 'is already registered' }] });
  }
  await assertAccountAllowed(runtime, { username, email, fullName: fullName || null, provider: 'password' }, client);
  const passwordHash = await hashPassword(password);
  const verification = newChallenge(runtime, 'VERIFY_EMAIL', email, verificationExtras);
  try {
    // In a transaction so that an account whose request was already answered 503 (a stalled database) is not kept.
    const user = await commitWithEvents(
      runtime,
      async (tx) => {
        const created = await tx.user.create({
          data: { username, email, fullName: fullName || null, passwordHash, challenges: { create: verification.record } },
        });
        assertStillAwaited(runtime);
        return created;
      },
      (created) => [{ action: 'register', outcome: 'success', userId: created.id, client, data: { user: userCreatedData(created, 'password') } }],
    );
    mailChallenge(runtime, verification);
    return user;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError(refusals.usernameOrEmailTaken);
    }
    throw error;
  }
}
