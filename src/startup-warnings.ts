import type { Logger } from 'pino';
import type { Config } from './config.js';

/**
 * Settings that work for one instance and break once there are several: one log
 * line each at start. Instances share a database only on PostgreSQL; there, an
 * issuer derived from the port (http://localhost:$PORT) differs between instances
 * on different ports, and each refuses the others' access tokens.
 */
export function warnAboutSettings(config: Config, logger: Logger): void {
  if (config.databaseProvider === 'postgresql' && config.jwt.issuerFromPort) {
    logger.warn(
      { issuer: config.jwt.issuer },
      'the token issuer is derived from PORT: instances on other ports refuse these access tokens; set PUBLIC_URL (or JWT_ISSUER) to the address clients use, the same on every instance',
    );
  }
}
