import type { z } from 'zod';
import { AppError, badInput, refusals } from './errors.js';

/** Parses service input with zod; failures become BAD_USER_INPUT naming each field. */
export function parseOrThrow<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw badInput(parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'input', message: issue.message })));
  }
  return parsed.data;
}

/** No field of this API nests anywhere near this deep; deeper input is refused before anything walks it. */
export const maxInputDepth = 64;

/**
 * PostgreSQL refuses NUL characters in text; no field of this API needs one. Any
 * input holding one is refused up front (BAD_USER_INPUT), alike on both databases;
 * input nested deeper than maxInputDepth is refused as malformed (BAD_REQUEST).
 * The walk keeps its own stack: a recursive one overflows on 5,000 levels of JSON.
 */
export function refuseUnsafeInput(...values: unknown[]): void {
  const pending: { value: unknown; depth: number }[] = values.map((value) => ({ value, depth: 0 }));
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value === 'string') {
      if (value.includes('\0')) throw nulCharacterRefused();
    } else if (value && typeof value === 'object') {
      if (depth >= maxInputDepth) throw new AppError(refusals.inputTooDeep(maxInputDepth));
      for (const child of Array.isArray(value) ? value : Object.values(value)) pending.push({ value: child, depth: depth + 1 });
    }
  }
}

const nulCharacterRefused = () => badInput([{ field: 'input', message: 'must not contain NUL characters' }]);
