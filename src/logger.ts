import pino, { type DestinationStream, type Logger } from 'pino';

/** JSON logs; anything that could carry a credential is censored by path as a second line of defence. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'refreshToken', '*.refreshToken', 'headers.authorization', 'headers.cookie', 'headers["x-api-key"]'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
