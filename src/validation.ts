import { z } from 'zod';
import { AppError, badInput, refusals } from './errors.js';

/** Parses service input with zod; failures become BAD_USER_INPUT naming each field. */
export function parseOrThrow<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw badInput(parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'input', message: issue.message })));
  }
  return parsed.data;
}

/**
 * CR, LF and the other control characters (C0, DEL, C1), the Unicode line and
 * paragraph separators, and bidirectional overrides: a name shown in a mail, a log
 * line or the console never needs one, and each can forge or disguise a line.
 */
const controlCharacters = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

/** Text shown on one line (a name, a label): refuses control characters before any trimming. */
export const singleLineText = () => z.string().refine((text) => !text.match(controlCharacters), 'must not contain line breaks or other control characters');

/** A person's name as people type it: at most 200 characters, trimmed, no control characters. */
export const fullNameSchema = singleLineText()
  .transform((name) => name.trim())
  .pipe(z.string().max(200, 'must be at most 200 characters'));

/** A name from elsewhere (an identity provider), made fit to keep: control characters become spaces. */
export const cleanFullName = (name: string | null | undefined) => name?.replace(controlCharacters, ' ').trim().slice(0, 200) || null;

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
