import type { Principal } from '../context.js';
import { AppError } from '../errors.js';

/** The user a credential acts for; owner routes refuse credentials without one. */
export function ownerUserId(principal: Principal): string {
  if (principal.kind === 'session') return principal.userId;
  throw new AppError('FORBIDDEN', { message: 'This route needs a user credential.' });
}
