import { z } from '@hono/zod-openapi';
import type { AccountSummary } from '../accounts/account.js';
import { registerUser } from '../accounts/register.js';
import type { Runtime } from '../runtime.js';
import type { ClientInfo } from '../principal.js';

/** The snake_case shapes the REST layer answers with, shared by the three APIs. */
export const UserProfile = z
  .object({
    id: z.string().uuid(),
    username: z.string(),
    email: z.string().email(),
    full_name: z.string().nullable(),
    created_at: z.string().datetime(),
  })
  .openapi('UserProfile');

export function userProfile(user: { id: string; username: string; email: string; fullName: string | null; createdAt: Date }) {
  return { id: user.id, username: user.username, email: user.email, full_name: user.fullName, created_at: user.createdAt.toISOString() };
}

/** Both APIs' register routes: the snake_case body to the service, the new user to its profile. */
export async function registerFromBody(runtime: Runtime, body: z.infer<typeof RegisterBody>, client: ClientInfo) {
  return userProfile(await registerUser(runtime, { ...body, fullName: body.full_name }, client));
}

export const RegisterBody = z
  .object({
    username: z.string().openapi({ example: 'yourname' }),
    email: z.string().openapi({ example: 'you@example.com' }),
    password: z.string().openapi({ example: 'secureP@ss123' }),
    full_name: z.string().nullish().openapi({ example: 'Your Name' }),
  })
  .openapi('RegisterBody');

export const AccountStatus = z
  .object({
    username: z.string(),
    email: z.string().email(),
    email_verified: z.boolean(),
    google_linked: z.boolean(),
    has_password: z.boolean(),
    can_unlink_google: z.boolean(),
    available_sign_in_methods: z.array(z.enum(['password', 'google', 'passkey'])).openapi({ description: 'passkey: an authgraph addition' }),
    role: z.string(),
    plan: z.string(),
    plan_source: z.string().openapi({ description: 'Where the plan comes from: default, or admin' }),
  })
  .openapi('AccountStatus');

export function accountStatus(account: AccountSummary): z.infer<typeof AccountStatus> {
  return {
    username: account.username,
    email: account.email,
    email_verified: account.emailVerified,
    google_linked: account.googleLinked,
    has_password: account.hasPassword,
    can_unlink_google: account.canUnlinkGoogle,
    // RESTume's document knows password and google; passkeys and the e-mailed code are authgraph's own.
    available_sign_in_methods: account.availableSignInMethods.flatMap((method) => (method === 'EMAIL_CODE' ? [] : [method.toLowerCase() as Lowercase<Exclude<typeof method, 'EMAIL_CODE'>>])),
    role: account.role,
    plan: account.plan,
    plan_source: account.planSource,
  };
}

export const BearerToken = z
  .object({ access_token: z.string(), token_type: z.literal('bearer') })
  .openapi('BearerToken');
