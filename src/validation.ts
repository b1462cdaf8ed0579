import type { z } from 'zod';
import { badInput } from './errors.js';

/** Parses service input with zod; failures become BAD_USER_INPUT naming each field. */
export function parseOrThrow<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw badInput(parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'input', message: issue.message })));
  }
  return parsed.data;
}
