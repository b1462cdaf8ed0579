import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Prisma } from '../generated/sqlite/client.js';
import { isWebhookEventType, webhookEventTypes } from './event-types.js';

/** The sealing purpose of endpoints' signing secrets (crypto/sealed-secret.ts). */
export const secretPurpose = 'webhook-secret';

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** `*` (every type, also those added later) or the listed types, stored space-separated. */
export const endpointWants = (stored: string, type: string) => stored === '*' || stored.split(' ').includes(type);

/** The enabled endpoints and the event types each wants (as stored): who an event goes to. */
export const enabledEndpoints = (db: Prisma.TransactionClient) =>
  db.webhookEndpoint.findMany({ where: { disabledAt: null }, select: { id: true, events: true } });

export const eventListSchema = z
  .array(z.string())
  .min(1, 'must name at least one event type, or "*" for all')
  .max(50)
  .refine((types) => types.every((type) => type === '*' || isWebhookEventType(type)), {
    message: `must be "*" or event types among ${Object.keys(webhookEventTypes).join(', ')}`,
  })
  .transform((types) => (types.includes('*') ? '*' : [...new Set(types)].join(' ')));

export const storedEvents = (stored: string) => (stored === '*' ? ['*'] : stored.split(' '));
