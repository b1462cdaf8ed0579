/**
 * The one catalogue of error codes a response can carry, each with its default
 * message and HTTP status. REST answers `{ detail, code }` with the status;
 * GraphQL answers `extensions.code` (and the status, where the HTTP layer refuses
 * a request before any resolver runs).
 */
export const errorCodes = {
  UNAUTHENTICATED: { status: 401, message: 'Authentication required: the credential is missing, invalid, expired or revoked.' },
  FORBIDDEN: { status: 403, message: 'This credential is not allowed to do that.' },
  REAUTHENTICATION_REQUIRED: { status: 403, message: 'This change needs a recent sign-in: confirm your password with the reauthenticate mutation, then retry.' },
  MFA_REQUIRED: { status: 403, message: 'A second factor is needed: answer the sign-in challenge, or confirm a code with stepUpMfa, then retry.' },
  BAD_USER_INPUT: { status: 422, message: 'The input is not valid.' },
  CONFLICT: { status: 409, message: 'That already exists.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  SESSION_MISMATCH: { status: 401, message: 'This refresh token belongs to another client; sign in again.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; retry later.' },
  NOT_CONFIGURED: { status: 501, message: 'This feature is not configured on this server.' },
  UPSTREAM_UNAVAILABLE: { status: 503, message: 'A service this request depends on could not be reached; retry later.' },
  INTERNAL: { status: 500, message: 'Unexpected error.' },
  // What the HTTP layer refuses before any route or resolver runs, alike on both doors.
  BAD_REQUEST: { status: 400, message: 'The request is malformed.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This path does not answer that method.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json.' },
  TIMEOUT: { status: 503, message: 'The request took too long.' },
  // graphql-js and yoga's own, for a document that does not parse or validate.
  GRAPHQL_PARSE_FAILED: { status: 400, message: 'The GraphQL document does not parse.' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, message: 'The GraphQL document does not validate against the schema.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCodes;
export type FieldProblem = { field: string; message: string };

/** Each code by name, for code that compares codes (tests import them from here rather than repeating strings). */
export const codes = Object.fromEntries(Object.keys(errorCodes).map((code) => [code, code])) as { [Code in ErrorCode]: Code };

export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && Object.hasOwn(errorCodes, value);

/** The code an HTTP status stands for, for refusals that carry only a status (Hono's and yoga's own). */
export function codeForStatus(status: number): ErrorCode {
  const transport: Record<number, ErrorCode> = { 400: 'BAD_REQUEST', 405: 'METHOD_NOT_ALLOWED', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 503: 'TIMEOUT' };
  return transport[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
}

/** A specific refusal: its code, and what it tells the caller. */
export type Refusal = { readonly code: ErrorCode; readonly message: string };

/**
 * Every specific refusal the services raise, so that each message is written once
 * (tests compare answers with these). An entry that names something is a function.
 */
export const refusals = {
  // Credentials (context.ts, the REST route table, accounts/access.ts)
  malformedAuthorization: { code: 'UNAUTHENTICATED', message: 'The Authorization header must be "Bearer <token>".' },
  twoCredentials: { code: 'UNAUTHENTICATED', message: 'Send one credential per request, not two different ones.' },
  sessionNeeded: { code: 'FORBIDDEN', message: 'This needs a signed-in session (JWT), not an API key.' },
  scopeMissing: (scope: string) => ({ code: 'FORBIDDEN', message: `This key lacks the ${scope} scope.` }),
  serviceAccountHasNoUser: { code: 'FORBIDDEN', message: 'A service account has no user account.' },
  serviceAccountHasNoAccountLog: { code: 'FORBIDDEN', message: 'A service account has no account log; read its keys with tokenLog.' },
  testKeyProductionOnly: { code: 'NOT_FOUND', message: 'Not found: a TEST key (sk_test_...) reaches no production-only resource.' },
  // The database (database/sqlite-adapter.ts)
  storageFull: { code: 'UPSTREAM_UNAVAILABLE', message: 'The server cannot store data right now; retry later.' },
  // Requests (validation.ts)
  inputTooDeep: (levels: number) => ({ code: 'BAD_REQUEST', message: `The input nests deeper than ${levels} levels.` }),
  // Sessions
  invalidLogin: { code: 'UNAUTHENTICATED', message: 'Invalid username or password.' },
  noRefreshToken: { code: 'UNAUTHENTICATED', message: 'No refresh token was presented.' },
  noSuchSession: { code: 'NOT_FOUND', message: 'No such session.' },
  reauthenticationRequired: (windowSeconds: number) => ({
    code: 'REAUTHENTICATION_REQUIRED',
    message: `This change needs a sign-in within the last ${windowSeconds % 60 === 0 ? `${windowSeconds / 60} minutes` : `${windowSeconds} seconds`}: confirm who you are with the reauthenticate(password) mutation (or reauthenticateWithGoogle(credential)) in this session, or sign in again, then retry.`,
  }),
  tooManyPasswordMisses: { code: 'RATE_LIMITED', message: 'Too many wrong passwords: this session has ended; sign in again.' },
  // Accounts
  alreadyRegistered: (field: 'username' | 'email') => ({
    code: 'CONFLICT',
    message: `That ${field === 'email' ? 'e-mail address' : 'username'} is already registered.`,
  }),
  usernameOrEmailTaken: { code: 'CONFLICT', message: 'That username or e-mail address is already registered.' },
  redirectNotAllowed: {
    code: 'BAD_USER_INPUT',
    message: 'The redirect target must be a path on this server (such as /console/) or an http(s) address that REDIRECT_ALLOWLIST allows.',
  },
  emailNotVerified: { code: 'FORBIDDEN', message: 'Verify your e-mail address first (resendVerification sends a new code).' },
  emailNotVerifiedNovem: {
    code: 'FORBIDDEN',
    message: 'Verify your e-mail address first: send the uid from the link in the verification mail to POST /v1/admin/challenge as {"uid": "..."}.',
  },
  noSuchUser: { code: 'NOT_FOUND', message: 'No such user.' },
  noUserNamed: (username: string) => ({ code: 'NOT_FOUND', message: `No user named "${username}".` }),
  lastOwner: { code: 'CONFLICT', message: 'This is the last owner: make another user OWNER first.' },
  ownerGivesAdmin: { code: 'FORBIDDEN', message: 'Only an owner gives the ADMIN role.' },
  passwordAlreadySet: { code: 'CONFLICT', message: 'This account already has a password: change it with changePassword.' },
  sameEmail: { code: 'CONFLICT', message: 'That is already the address of this account.' },
  noEmailChangePending: { code: 'NOT_FOUND', message: 'No e-mail change is waiting for a code; start one with changeEmail.' },
  noDeletionScheduled: { code: 'NOT_FOUND', message: 'This account is not scheduled for deletion.' },
  ownerCannotBeDeleted: { code: 'CONFLICT', message: 'This is the last owner: make another user OWNER before deleting this account.' },
  registrationRejected: (reason?: string) => ({ code: 'FORBIDDEN', message: reason ? `Registration refused: ${reason}` : 'Registration refused.' }),
  // Synchronous hooks (hooks/), set to fail closed
  hookFailed: { code: 'UPSTREAM_UNAVAILABLE', message: 'A service this server consults could not answer; retry later.' },
  // Webhooks (webhooks/)
  noSuchWebhookEndpoint: { code: 'NOT_FOUND', message: 'No such webhook endpoint.' },
  noSuchWebhookDelivery: { code: 'NOT_FOUND', message: 'No such webhook delivery.' },
  webhookEndpointDisabled: { code: 'CONFLICT', message: 'This webhook endpoint is disabled: enable it (updateWebhookEndpoint) before sending to it.' },
  adminCannotActOnSelf: { code: 'FORBIDDEN', message: 'Administrators do this to other accounts; use the self-service operation for your own.' },
  // API keys, service accounts, tokens and their logs
  keyLimitReached: (limit: number) => ({ code: 'FORBIDDEN', message: `You already have ${limit} active API keys, the most allowed; revoke one first.` }),
  noSuchApiKey: { code: 'NOT_FOUND', message: 'No such API key.' },
  usageExceeded: { code: 'RATE_LIMITED', message: "This key has spent its usage budget; it refills at the start of the next period." },
  verifierNeeded: { code: 'FORBIDDEN', message: 'Verifying keys needs a service account\'s key holding the keys:verify scope.' },
  keyChangedMeanwhile: { code: 'CONFLICT', message: 'The key changed meanwhile; try again.' },
  noSuchServiceAccount: { code: 'NOT_FOUND', message: 'No such service account.' },
  serviceAccountNameTaken: { code: 'CONFLICT', message: 'A service account with that name exists.' },
  noSuchToken: { code: 'NOT_FOUND', message: 'No such token.' },
  tokenNameShared: { code: 'CONFLICT', message: 'Several tokens share that name; address it by id.' },
  tokenNameTaken: (name: string) => ({ code: 'CONFLICT', message: `You already have an active token named "${name}"; pick another name or revoke that one.` }),
  passwordCredentialsNeeded: {
    code: 'UNAUTHENTICATED',
    message: 'This route takes a username and password: HTTP Basic, or "username" and "password" in the JSON body.',
  },
  // Sign in with Google
  googleNotConfigured: { code: 'NOT_CONFIGURED', message: 'Google sign-in is not configured on this server.' },
  idTokenInvalid: { code: 'UNAUTHENTICATED', message: 'The ID token is invalid or expired.' },
  providerUnreachable: { code: 'UPSTREAM_UNAVAILABLE', message: 'The sign-in provider could not be reached; retry later.' },
  providerEmailUnverified: { code: 'FORBIDDEN', message: 'The sign-in provider has not verified an e-mail address for this account.' },
  accountDisabled: { code: 'FORBIDDEN', message: 'This account is disabled.' },
  linkWithPasswordFirst: {
    code: 'CONFLICT',
    message: 'An account with this e-mail address exists but has not verified it. Sign in with its password, then link Google to it with linkGoogle.',
  },
  emailLinkedElsewhere: { code: 'CONFLICT', message: 'The account with this e-mail address is linked to another Google account.' },
  googleLinkedElsewhere: { code: 'CONFLICT', message: 'This Google account is linked to another account.' },
  accountLinkedElsewhere: { code: 'CONFLICT', message: 'This account is linked to another Google account; unlink it first.' },
  accountChangedWhileSigningIn: { code: 'CONFLICT', message: 'The account changed while signing in; try again.' },
  googleNotLinked: { code: 'NOT_FOUND', message: 'Google is not linked to this account.' },
  // Second factors (mfa/)
  tooManyFactors: (limit: number) => ({ code: 'CONFLICT', message: `An account may have at most ${limit} second factors; remove one first.` }),
  noSuchFactor: { code: 'NOT_FOUND', message: 'No such second factor on this account.' },
  factorAlreadyConfirmed: { code: 'CONFLICT', message: 'This factor is already confirmed.' },
  wrongMfaCode: { code: 'UNAUTHENTICATED', message: 'The code is wrong, expired or already used.' },
  noSecondFactor: { code: 'NOT_FOUND', message: 'This account has no second factor.' },
  mfaChallengeInvalid: { code: 'UNAUTHENTICATED', message: 'This sign-in challenge is unknown, expired, used up or from another client; sign in again.' },
  signInNeedsSecondFactor: { code: 'MFA_REQUIRED', message: 'This account has a second factor: answer the challenge in extensions with verifyMfa, or use signIn.' },
  passwordOnlyRefused: {
    code: 'MFA_REQUIRED',
    message: 'This account has a second factor, which this sign-in path cannot ask for: sign in with signIn and verifyMfa, or use an API key.',
  },
  adminNeedsSecondFactor: {
    code: 'MFA_REQUIRED',
    message: 'Administrators need a second factor here (REQUIRE_MFA_FOR_ADMINS): add one with enrollTotp and confirmTotp, then retry.',
  },
  stepUpRequired: (windowSeconds: number) => ({
    code: 'MFA_REQUIRED',
    message: `This change needs a second factor within the last ${windowSeconds} seconds: confirm a code with stepUpMfa, then retry.`,
  }),
  setPasswordBeforeUnlinking: {
    code: 'FORBIDDEN',
    message:
      'Set a password (or add a passkey) before unlinking Google, or the account could not be signed in to: request a code with forgotPassword, set a password with resetPassword, then unlink.',
  },
  // Passkeys (passkeys/)
  noSuchPasskey: { code: 'NOT_FOUND', message: 'No such passkey on this account.' },
  passkeyAlreadyRegistered: { code: 'CONFLICT', message: 'This passkey is already registered.' },
  tooManyPasskeys: (limit: number) => ({ code: 'CONFLICT', message: `An account may have at most ${limit} passkeys; remove one first.` }),
  passkeyChallengeInvalid: {
    code: 'UNAUTHENTICATED',
    message: 'This passkey challenge is unknown, expired, already used or from another client; ask for new options and try again.',
  },
  passkeyRejected: { code: 'UNAUTHENTICATED', message: 'The passkey could not be verified (unknown passkey, wrong site or origin, or a bad signature).' },
  passkeyCounterWentBack: {
    code: 'UNAUTHENTICATED',
    message: "This passkey's signature counter went backwards, as a copied authenticator's would: it is refused. Sign in another way.",
  },
  lastSignInMethod: {
    code: 'FORBIDDEN',
    message: "This is the account's last way to sign in: set a password, link Google or add another passkey first.",
  },
} as const satisfies Record<string, Refusal | ((...named: never[]) => Refusal)>;

/** A failure the caller may see: a bare code (its default message) or a refusal from the list above. Anything else is reported as INTERNAL. */
/** The sign-in challenge an MFA_REQUIRED refusal of a sign-in carries, for clients that answer it (verifyMfa). */
export type MfaChallengeDetail = { challengeId: string; expiresAt: Date; methods: string[] };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldProblem[];
  readonly retryAfter?: number;
  readonly mfaChallenge?: MfaChallengeDetail;

  constructor(
    reason: ErrorCode | Refusal,
    options: { fields?: FieldProblem[]; retryAfter?: number; message?: string; mfaChallenge?: MfaChallengeDetail } = {},
  ) {
    const { code, message } = typeof reason === 'string' ? { code: reason, message: errorCodes[reason].message } : reason;
    super(options.message ?? message);
    this.name = 'AppError';
    this.code = code;
    this.fields = options.fields;
    this.retryAfter = options.retryAfter;
    this.mfaChallenge = options.mfaChallenge;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }
}

export function badInput(fields: FieldProblem[]): AppError {
  return new AppError('BAD_USER_INPUT', {
    message: `Invalid input: ${fields.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`,
    fields,
  });
}
