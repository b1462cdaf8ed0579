import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Fields that hold or may hold a secret, at the top level and one level down:
 * passwords, tokens, keys, one-time codes, cookies, and GraphQL documents and
 * variables (a document may carry a password inline).
 */
const secretFields = [
  'password', 'newPassword', 'currentPassword', 'token', 'accessToken', 'refreshToken', 'resetToken', 'idToken', 'rawKey',
  'apiKey', 'secret', 'otp', 'authorization', 'cookie', 'query', 'variables',
];

/** One-time codes are plain `code` fields; only where they travel, as `err.code` is an error code worth keeping. */
const codePaths = ['code', 'input.code', 'body.code', 'challenge.code'];

/** JSON logs; anything that could carry a credential is censored by path as a second line of defence. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          ...secretFields.flatMap((field) => [field, `*.${field}`]),
          ...codePaths,
          'headers["x-api-key"]', 'headers["set-cookie"]', '*.headers.authorization', '*.headers.cookie', '*.headers["x-api-key"]',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
