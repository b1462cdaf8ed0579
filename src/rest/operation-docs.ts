import { z, type RouteConfig } from '@hono/zod-openapi';
import { type ErrorCode, errorCodes } from '../errors.js';

/**
 * What the OpenAPI document says of an operation besides its route: what it is
 * for (its tag), which product's API it belongs to, and the errors it answers, so
 * that a generated client groups operations by task and types its error bodies.
 */
export const operationTags = {
  Accounts: 'Register, read the account and profile, unlink Google.',
  Sessions: 'Sign in and out, refresh, and complete a sign-in with a second factor.',
  Passkeys: 'Sign in with a passkey (WebAuthn), or answer a sign-in challenge with one; add, list and remove passkeys.',
  'API keys': 'Create, list, inspect and revoke API keys and named tokens.',
  'E-mail verification': 'Prove an e-mail address with the code or link from the mail.',
  'Password recovery': 'Ask for a recovery mail and set a new password with its code or link.',
  'Service accounts': "Read the server's service accounts (admins).",
  'Key verification': "For a product's backend: verify its callers' keys, or exchange a key for a short-lived JWT.",
  Audit: 'Export the audit log (admins).',
  Webhooks: 'Register webhook endpoints, read their deliveries, send again (admins).',
} as const;

export type OperationTag = keyof typeof operationTags;
export type Product = 'novem' | 'NovaVMS' | 'RESTume' | 'authgraph';

const errorCodeNames = Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]];

/** `errorBody` (api.ts): every REST error but a 422 with field problems. */
export const ErrorBody = z
  .object({
    detail: z.string(),
    code: z.enum(errorCodeNames).openapi({ description: 'The machine-readable code; its HTTP status is fixed' }),
    message: z.string().openapi({ description: 'The same as detail (what novem\'s client prints)' }),
  })
  .openapi('Error');

/** `validationBody` (api.ts): FastAPI's 422. */
export const ValidationErrorBody = z
  .object({
    detail: z.array(z.object({ loc: z.array(z.string()), msg: z.string(), type: z.string() })),
    code: z.literal('BAD_USER_INPUT'),
    message: z.string().openapi({ description: 'The problems on one line' }),
  })
  .openapi('ValidationError');

/** A sign-in of an account with a second factor: 401 with the challenge to answer at /v1/auth/mfa/verify. */
export const MfaRequiredBody = ErrorBody.extend({
  mfa_required: z.literal(true),
  mfa: z.object({ challenge_id: z.string(), expires_at: z.string().datetime(), methods: z.array(z.string()), verify: z.string() }),
}).openapi('MfaRequiredError');

export type OperationDocs = {
  summary: string;
  /** Unique and stable: the product, then what the operation does (novemCreateToken). */
  operationId: string;
  tags: [OperationTag, ...OperationTag[]];
  product: Product;
  /** What the route itself may refuse with, besides what its auth and its input imply. */
  errors?: ErrorCode[];
  /** A sign-in that may answer 401 with a second-factor challenge (MfaRequiredError). */
  mfaChallenge?: true;
};

const json = (schema: z.ZodType, description: string) => ({ content: { 'application/json': { schema } }, description });

/** The error responses of an operation that may answer `codes`: one per status, then `default` for the transport's refusals. */
export function errorResponses(codes: ErrorCode[], { mfaChallenge }: Pick<OperationDocs, 'mfaChallenge'>): RouteConfig['responses'] {
  const byStatus = new Map<number, Set<ErrorCode>>();
  for (const code of codes) {
    const { status } = errorCodes[code];
    byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  }
  const responses: RouteConfig['responses'] = {};
  for (const [status, named] of [...byStatus].sort(([a], [b]) => a - b)) {
    const description = [...named].join(', ');
    if (status === 422) responses[status] = json(z.union([ValidationErrorBody, ErrorBody]), description);
    else if (status === 401 && mfaChallenge) responses[status] = json(z.union([MfaRequiredBody, ErrorBody]), `${description}; or mfa_required with a second-factor challenge`);
    else responses[status] = json(ErrorBody, description);
  }
  responses.default = json(ErrorBody, 'What the HTTP layer refuses (400, 405, 413, 415, 503) and the unexpected (500)');
  return responses;
}
