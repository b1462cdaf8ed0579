import type { Config } from '../config.js';
import type { OutgoingMail } from './mailer.js';

export type ChallengeMailPurpose = 'VERIFY_EMAIL' | 'RESET_PASSWORD' | 'CHANGE_EMAIL' | 'SIGN_IN';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

const wording = {
  VERIFY_EMAIL: {
    kind: 'verify-email',
    subject: (product: string) => `Verify your e-mail address for ${product}`,
    intro: (product: string) => `Confirm that this address belongs to your ${product} account.`,
    action: 'Verify my address',
    ignore: 'If you did not create an account, ignore this mail: nothing happens without the code.',
  },
  RESET_PASSWORD: {
    kind: 'reset-password',
    subject: (product: string) => `Reset your ${product} password`,
    intro: (product: string) => `Someone, hopefully you, asked to reset the password of your ${product} account.`,
    action: 'Choose a new password',
    ignore: 'If it was not you, ignore this mail: your password stays as it is.',
  },
  CHANGE_EMAIL: {
    kind: 'change-email',
    subject: (product: string) => `Confirm your new e-mail address for ${product}`,
    intro: (product: string) => `Confirm that this address should become the address of your ${product} account.`,
    action: 'Use this address',
    ignore: 'If you did not ask for this, ignore this mail: the account keeps its address without the code.',
  },
  SIGN_IN: {
    kind: 'sign-in',
    subject: (product: string) => `Your ${product} sign-in code`,
    intro: (product: string) => `Someone, hopefully you, asked to sign in to ${product} with this address. Type the code where you asked, or open the link in that same browser.`,
    action: 'Sign in',
    ignore: 'If it was not you, ignore this mail: nobody signs in without the code, and the link signs in only the browser that asked.',
  },
} as const;

/** The mail of an e-mail challenge: its six-digit code and its link, in plain text and HTML. */
export function challengeMail(
  config: Config,
  challenge: { purpose: ChallengeMailPurpose; to: string; code: string; link: string; ttlSeconds: number },
): OutgoingMail {
  const words = wording[challenge.purpose];
  const product = config.mail.productName;
  const minutes = Math.max(1, Math.round(challenge.ttlSeconds / 60));
  const expiry = `The code and the link expire in ${minutes} minute${minutes === 1 ? '' : 's'} and work once.`;
  const text = [
    words.intro(product),
    '',
    `Your code: ${challenge.code}`,
    '',
    `Or open this link: ${challenge.link}`,
    '',
    expiry,
    words.ignore,
    '',
    `${product}, ${config.publicUrl}`,
  ].join('\n');
  const html = `<!doctype html>
<html><body style="font-family: sans-serif; line-height: 1.5">
<p>${escapeHtml(words.intro(product))}</p>
<p>Your code: <strong style="font-size: 1.4em; letter-spacing: 0.2em">${escapeHtml(challenge.code)}</strong></p>
<p><a href="${escapeHtml(challenge.link)}">${escapeHtml(words.action)}</a></p>
<p>${escapeHtml(expiry)}<br>${escapeHtml(words.ignore)}</p>
<p style="color: #666">${escapeHtml(product)}, ${escapeHtml(config.publicUrl)}</p>
</body></html>
`;
  return { kind: words.kind, to: challenge.to, subject: words.subject(product), text, html };
}

/**
 * The notice of a sensitive change (a key created, Google linked, the password
 * changed...): what changed, when, and what to do if it was not the owner. It
 * carries no secret and no link to act on, so it is useless to whoever reads it.
 */
export function accountChangeMail(config: Config, notice: { to: string; change: string; notes: string[]; at: Date }): OutgoingMail {
  const product = config.mail.productName;
  const intro = `On your ${product} account: ${notice.change}.`;
  const when = `When: ${notice.at.toISOString()}`;
  const ifNotYou = 'If this was not you, reset your password (it can end every session and revoke every API key) and check your keys and sign-ins.';
  const text = [intro, when, ...notice.notes, '', ifNotYou, '', `${product}, ${config.publicUrl}`].join('\n');
  const html = `<!doctype html>
<html><body style="font-family: sans-serif; line-height: 1.5">
<p>${escapeHtml(intro)}</p>
<p>${[when, ...notice.notes].map(escapeHtml).join('<br>')}</p>
<p>${escapeHtml(ifNotYou)}</p>
<p style="color: #666">${escapeHtml(product)}, ${escapeHtml(config.publicUrl)}</p>
</body></html>
`;
  return { kind: 'account-change', to: notice.to, subject: `${product}: ${notice.change}`, text, html };
}
