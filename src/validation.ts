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

/**
 * PostgreSQL refuses NUL characters in text; no field of this API needs one. Any
 * input holding one is refused up front, alike on both databases.
 */
export function containsNulCharacter(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(containsNulCharacter);
  if (value && typeof value === 'object') return Object.values(value).some(containsNulCharacter);
  return false;
}

export const nulCharacterRefused = () => badInput([{ field: 'input', message: 'must not contain NUL characters' }]);
