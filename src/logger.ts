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
    destination ?? stdoutLines(),
  );
}

/**
 * stdout, written as each line comes (as node writes to pipes and files) rather than through
 * pino's default asynchronous stream: that one queues every line on libuv's pool behind the
 * password hashes, and at exit flushes synchronously in a loop that never ends once the
 * reader of stdout is gone (sonic-boom 4 retries EPIPE for ever), so an orphaned server
 * ignored SIGTERM.
 */
const stdoutLines = () => pino.destination({ dest: 1, sync: true });

/**
 * Where `LOG_FORMAT` sends lines: pino-pretty's readable lines (in this thread: a
 * worker transport cannot be bundled) for `pretty`, or `auto` on a terminal;
 * undefined for pino's own JSON on stdout (then pino-pretty is not even loaded).
 */
export async function readableLog(format: 'auto' | 'json' | 'pretty'): Promise<DestinationStream | undefined> {
  if (format === 'json' || (format === 'auto' && !process.stdout.isTTY)) return undefined;
  const { default: pretty } = await import('pino-pretty');
  return pretty({ colorize: Boolean(process.stdout.isTTY), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}
