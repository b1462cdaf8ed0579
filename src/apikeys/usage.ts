import type { Runtime } from '../runtime.js';
import type { ClientInfo } from '../principal.js';
import type { TokenEventOutcome } from '../token-events/writer.js';
import type { ApiKeyPrincipal } from '../principal.js';

/** One log entry per authenticated use, and the key's lastUsedAt: both batched, never a write per request. */
export function recordKeyUse(
  runtime: Runtime,
  principal: ApiKeyPrincipal,
  use: { operation: string; outcome: TokenEventOutcome; client: ClientInfo },
): void {
  runtime.tokenEvents.keyUsed(principal.keyId, runtime.clock());
  runtime.tokenEvents.record({
    action: 'request',
    ...use,
    apiKeyId: principal.keyId,
    userId: principal.userId,
    serviceAccountId: principal.serviceAccountId,
  });
}
