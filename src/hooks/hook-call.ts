import { randomToken } from '../crypto/random.js';
import { AppError, refusals } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { signedHeaders } from '../webhooks/signed-headers.js';
import type { HookName, HookSettings } from './hook-settings.js';

/** Why a hook gave no usable answer (logged; the URL and the answer's body never are). */
type HookFailure = 'timeout' | 'unreachable' | `status ${number}` | 'not JSON' | 'invalid answer';

class HookFailed extends Error {
  constructor(readonly reason: HookFailure) {
    super(reason);
  }
}

/** The hook's JSON answer when it is an object, or throws HookFailed. */
async function postSigned(runtime: Runtime, name: HookName, settings: HookSettings, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const now = runtime.clock();
  const body = JSON.stringify({ type: name, timestamp: now.toISOString(), data });
  const id = `msg_${randomToken(16)}`;
  let response: Response;
  try {
    response = await fetch(settings.url, {
      method: 'POST',
      headers: signedHeaders([runtime.config.hooks.secret], id, now, body),
      body,
      // A redirect could send the signed body anywhere: a hook answers where it is configured, or fails.
      redirect: 'manual',
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
  } catch (error) {
    throw new HookFailed((error as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable');
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    throw new HookFailed(`status ${response.status}`);
  }
  const answer: unknown = await response.json().catch(() => undefined);
  if (answer === undefined) throw new HookFailed('not JSON');
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) throw new HookFailed('invalid answer');
  return answer as Record<string, unknown>;
}

/**
 * Calls a synchronous hook and hands its answer to `read`. When the hook fails (no answer
 * in time, not 2xx, or an answer `read` rejects by throwing HookFailed): fail-open goes on
 * without it (undefined), fail-closed refuses the request with UPSTREAM_UNAVAILABLE.
 */
export async function callHook<T>(
  runtime: Runtime,
  name: HookName,
  data: Record<string, unknown>,
  read: (answer: Record<string, unknown>) => T,
): Promise<T | undefined> {
  const settings = runtime.config.hooks[name];
  if (!settings) return undefined;
  try {
    return read(await postSigned(runtime, name, settings, data));
  } catch (error) {
    if (!(error instanceof HookFailed)) throw error;
    const failOpen = settings.onFailure === 'open';
    runtime.logger.warn({ hook: name, reason: error.reason, failOpen }, failOpen ? 'hook failed; going on without it' : 'hook failed; request refused');
    if (failOpen) return undefined;
    throw new AppError(refusals.hookFailed);
  }
}

/** For `read` functions: the answer does not have the shape the hook's contract gives. */
export function invalidAnswer(): never {
  throw new HookFailed('invalid answer');
}
