import { z } from '@hono/zod-openapi';
import { cancelAccountDeletion, deleteAccount } from '../accounts/deletion.js';
import { changeEmail, confirmEmailChange } from '../accounts/email-change.js';
import { exportAccount } from '../accounts/export.js';
import { setPassword, updateProfile } from '../accounts/profile.js';
import { clientOf, json, jsonBody, restRoute, sessionOf, type RestApi, type RouteTable } from './api.js';
import { AccountStatus, accountStatus } from './shapes.js';

/**
 * authgraph's self-service additions under RESTume's /v1/me: the same service
 * functions as the GraphQL mutations, with a session that signed in recently.
 */
const recentSession = ['REAUTHENTICATION_REQUIRED', 'MFA_REQUIRED'] as const;

const Deletion = z
  .object({
    deleted: z.boolean().openapi({ description: 'True when the account is gone; false while its grace period runs' }),
    due_at: z.string().datetime().nullable(),
  })
  .openapi('AccountDeletion');

export function meRoutes(api: RestApi, table: RouteTable) {
  const profile = restRoute(table, { session: true }, {
    method: 'patch',
    path: '/v1/me/profile',
    summary: 'Set the display name (authgraph addition)',
    operationId: 'authgraphUpdateProfile',
    tags: ['Accounts'],
    product: 'authgraph',
    errors: [...recentSession],
    request: jsonBody(z.object({ full_name: z.string().nullable() }).openapi('UpdateProfileBody')),
    responses: { 200: json(AccountStatus, 'The account') },
  });
  api.openapi(profile, async (c) => {
    const account = await updateProfile(c.var.runtime, sessionOf(c), { fullName: c.req.valid('json').full_name }, clientOf(c));
    return c.json(accountStatus(account), 200);
  });

  const email = restRoute(table, { session: true }, {
    method: 'post',
    path: '/v1/me/email',
    summary: 'Ask to change the e-mail address: a code goes to the new one (authgraph addition)',
    operationId: 'authgraphChangeEmail',
    tags: ['Accounts'],
    product: 'authgraph',
    errors: ['CONFLICT', ...recentSession],
    request: jsonBody(z.object({ new_email: z.string() }).openapi('ChangeEmailBody')),
    responses: { 202: json(z.object({ status: z.literal('pending') }), 'The code is mailed to the new address') },
  });
  api.openapi(email, async (c) => {
    await changeEmail(c.var.runtime, sessionOf(c), c.req.valid('json').new_email, clientOf(c));
    return c.json({ status: 'pending' as const }, 202);
  });

  const confirm = restRoute(table, { session: true }, {
    method: 'post',
    path: '/v1/me/email/confirm',
    summary: 'Confirm the new e-mail address with its code (authgraph addition)',
    operationId: 'authgraphConfirmEmailChange',
    tags: ['Accounts'],
    product: 'authgraph',
    errors: ['NOT_FOUND', 'CONFLICT'],
    request: jsonBody(z.object({ code: z.string() }).openapi('ConfirmEmailChangeBody')),
    responses: { 200: json(AccountStatus, 'The account, with its new address') },
  });
  api.openapi(confirm, async (c) => c.json(accountStatus(await confirmEmailChange(c.var.runtime, sessionOf(c), c.req.valid('json').code)), 200));

  const password = restRoute(table, { session: true }, {
    method: 'post',
    path: '/v1/me/password',
    summary: 'Set a first password on an account made with Google (authgraph addition)',
    operationId: 'authgraphSetPassword',
    tags: ['Accounts'],
    product: 'authgraph',
    errors: ['CONFLICT', ...recentSession],
    request: jsonBody(z.object({ new_password: z.string() }).openapi('SetPasswordBody')),
    responses: { 200: json(AccountStatus, 'The account') },
  });
  api.openapi(password, async (c) => {
    const account = await setPassword(c.var.runtime, sessionOf(c), { newPassword: c.req.valid('json').new_password }, clientOf(c));
    return c.json(accountStatus(account), 200);
  });

  const remove = restRoute(table, { session: true }, {
    method: 'delete',
    path: '/v1/me',
    summary: 'Delete the account: credentials end at once, the data now or after the grace period (authgraph addition)',
    operationId: 'authgraphDeleteAccount',
    tags: ['Accounts'],
    product: 'authgraph',
    errors: ['CONFLICT', ...recentSession],
    responses: { 200: json(Deletion, 'Deleted, or scheduled') },
  });
  api.openapi(remove, async (c) => {
    const result = await deleteAccount(c.var.runtime, sessionOf(c), clientOf(c));
    return c.json({ deleted: result.deleted, due_at: result.dueAt?.toISOString() ?? null }, 200);
  });

  const cancel = restRoute(table, { session: true }, {
    method: 'post',
    path: '/v1/me/deletion/cancel',
    summary: 'Keep an account whose deletion is scheduled (authgraph addition)',
    operationId: 'authgraphCancelAccountDeletion',
    tags: ['Accounts'],
    product: 'authgraph',
    errors: ['NOT_FOUND'],
    responses: { 200: json(AccountStatus, 'The account') },
  });
  api.openapi(cancel, async (c) => c.json(accountStatus(await cancelAccountDeletion(c.var.runtime, sessionOf(c), clientOf(c))), 200));

  const download = restRoute(table, { session: true }, {
    method: 'get',
    path: '/v1/me/export',
    summary: 'Everything stored about the account, as a JSON download (authgraph addition)',
    operationId: 'authgraphExportAccount',
    tags: ['Accounts'],
    product: 'authgraph',
    errors: [...recentSession],
    responses: { 200: json(z.record(z.string(), z.unknown()).openapi('AccountExport'), 'The export, as an attachment') },
  });
  api.openapi(download, async (c) => {
    const document = await exportAccount(c.var.runtime, sessionOf(c), clientOf(c));
    c.header('Content-Disposition', `attachment; filename="${document.account.username}-export.json"`);
    c.header('Cache-Control', 'no-store');
    return c.json(JSON.parse(JSON.stringify(document)) as Record<string, unknown>, 200);
  });
}
