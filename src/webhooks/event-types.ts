import type { TokenEventInput } from '../token-events/writer.js';

/** Every event a webhook endpoint can ask for, with what it means (README, "Webhooks"). */
export const webhookEventTypes = {
  'user.created': 'An account was created: registration, or a first sign-in with Google or an e-mailed code.',
  'user.email_verified': 'The account proved its e-mail address.',
  'user.email_changed': 'The account confirmed a new e-mail address.',
  'user.password_changed': 'The password was changed, reset or set for the first time.',
  'user.disabled': 'An admin disabled the account.',
  'user.enabled': 'The account was enabled again (by an admin, or its disabling ended).',
  'user.deleted': 'The account and its data were deleted.',
  'session.created': 'A sign-in started a session.',
  'session.reuse_detected': 'A rotated refresh token was presented again: the session was revoked.',
  'api_key.created': 'An API key was created.',
  'api_key.rolled': 'An API key was rolled to a new secret.',
  'api_key.revoked': 'An API key was revoked.',
  'mfa.enabled': 'A second factor (authenticator app) was confirmed.',
  'mfa.disabled': 'A second factor was removed, by its owner or an admin.',
  'webhook.test': 'Sent by sendTestWebhook: checks an endpoint, describes nothing.',
} as const;

export type WebhookEventType = keyof typeof webhookEventTypes;

export const isWebhookEventType = (value: string): value is WebhookEventType => Object.hasOwn(webhookEventTypes, value);

const mfaEnabling = new Set(['confirmed']);
const mfaDisabling = new Set(['removed', 'admin-reset']);

/** The webhook event an activity-log event is, if any: one event model, the log's. */
export function webhookTypeOf(event: TokenEventInput): WebhookEventType | null {
  if (event.action === 'reuse-detected') return 'session.reuse_detected';
  if (event.outcome !== 'success') return null;
  switch (event.action) {
    case 'register':
      return 'user.created';
    case 'email-verified':
      return 'user.email_verified';
    case 'email-changed':
      return 'user.email_changed';
    case 'password-changed':
    case 'password-reset':
    case 'password-set':
      return 'user.password_changed';
    case 'disabled':
      return 'user.disabled';
    case 'enabled':
      return 'user.enabled';
    case 'deleted':
      return 'user.deleted';
    case 'login':
      return 'session.created';
    case 'create':
      return 'api_key.created';
    case 'roll':
      return 'api_key.rolled';
    case 'revoke':
      return event.apiKeyId ? 'api_key.revoked' : null;
    case 'mfa':
      if (mfaEnabling.has(event.operation ?? '')) return 'mfa.enabled';
      return mfaDisabling.has(event.operation ?? '') ? 'mfa.disabled' : null;
    default:
      return null;
  }
}
