import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { AppError, refusals } from '../errors.js';
import type { Runtime } from '../runtime.js';

/** What the browser must have signed for: this RP ID, from one of these origins (config WEBAUTHN_RP_ID, WEBAUTHN_ORIGINS). */
export const expectedSite = (runtime: Runtime) => ({ expectedRPID: runtime.config.webauthn.rpId, expectedOrigin: runtime.config.webauthn.origins });

/** A passkey's audit detail: no personal data, the counter and backup state the assertion reported. */
export const passkeyDetail = (passkey: { counter: number | bigint; deviceType: string; backedUp: boolean }) =>
  `counter=${passkey.counter} deviceType=${passkey.deviceType} backedUp=${passkey.backedUp}`;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The shape @simplewebauthn/browser answers; anything else is refused before the library reads it. */
function credentialResponse(input: unknown): { id: string; response: Record<string, unknown> } {
  if (!isRecord(input) || typeof input.id !== 'string' || input.id.length > 1024 || input.type !== 'public-key' || !isRecord(input.response)) {
    throw new AppError(refusals.passkeyRejected);
  }
  if (typeof input.response.clientDataJSON !== 'string') throw new AppError(refusals.passkeyRejected);
  return input as { id: string; response: Record<string, unknown> };
}

export const registrationResponse = (input: unknown) => credentialResponse(input) as unknown as RegistrationResponseJSON;
export const authenticationResponse = (input: unknown) => credentialResponse(input) as unknown as AuthenticationResponseJSON;
