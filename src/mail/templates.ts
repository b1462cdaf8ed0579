import { acceptLanguageOf } from '../http/request-scope.js';
import type { Runtime } from '../runtime.js';
import type { OutgoingMail } from './mailer.js';
import type { MailKind } from './mail-templates.js';

export type ChallengeMailPurpose = 'VERIFY_EMAIL' | 'RESET_PASSWORD' | 'CHANGE_EMAIL' | 'SIGN_IN';

const kindOf: Record<ChallengeMailPurpose, MailKind> = { VERIFY_EMAIL: 'verify-email', RESET_PASSWORD: 'reset-password', CHANGE_EMAIL: 'change-email', SIGN_IN: 'sign-in' };

/** What every mail may show: the product, its logo and address. */
const brand = ({ config }: Runtime) => ({ product: config.mail.productName, logoUrl: config.mail.logoUrl ?? null, publicUrl: config.publicUrl });

/**
 * The mail of an e-mail challenge: its six-digit code and its link, in plain text and HTML,
 * in the language of the request that asked for it (Accept-Language) when there are strings for it.
 */
export function challengeMail(
  runtime: Runtime,
  challenge: { purpose: ChallengeMailPurpose; to: string; code: string; link: string; ttlSeconds: number },
): OutgoingMail {
  const kind = kindOf[challenge.purpose];
  const minutes = Math.max(1, Math.round(challenge.ttlSeconds / 60));
  const variables = { ...brand(runtime), code: challenge.code, link: challenge.link, minutes };
  return { kind, to: challenge.to, ...runtime.mailTemplates.render(kind, acceptLanguageOf(runtime), variables, 'challenge') };
}

/**
 * The notice of a sensitive change (a key created, Google linked, the password
 * changed...): what changed, when, and what to do if it was not the owner. It
 * carries no secret and no link to act on, so it is useless to whoever reads it.
 */
export function accountChangeMail(runtime: Runtime, notice: { to: string; change: string; notes: string[]; at: Date }): OutgoingMail {
  const variables = { ...brand(runtime), change: notice.change, notes: notice.notes, at: notice.at.toISOString() };
  return { kind: 'account-change', to: notice.to, ...runtime.mailTemplates.render('account-change', acceptLanguageOf(runtime), variables) };
}

/** To an administrator: the dispatcher disabled a webhook endpoint that kept failing (its URL in the body). */
export function webhookDisabledMail(runtime: Runtime, notice: { to: string; url: string; at: Date }): OutgoingMail {
  const variables = { ...brand(runtime), notes: [notice.url], at: notice.at.toISOString() };
  return { kind: 'webhook-disabled', to: notice.to, ...runtime.mailTemplates.render('webhook-disabled', undefined, variables) };
}
