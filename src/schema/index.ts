import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './users.js';
import './sessions.js';
import './challenges.js';
import './oidc.js';
import './apikeys.js';
import './service-accounts.js';
import './session-management.js';
import './reauth.js';
import './mfa.js';
import './passkeys.js';
import './passwordless.js';
import './token-events.js';
import './key-verification.js';
import './account-lifecycle.js';
import './user-admin.js';
import './webhooks.js';

export const schema = builder.toSchema();

/** What schema.graphql holds: sorted, with a trailing newline. */
export const printedSchema = () => `${printSchema(lexicographicSortSchema(schema))}\n`;
