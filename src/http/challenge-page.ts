import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { answerByUid } from '../challenges/answer.js';
import { graphqlPath } from '../graphql/server.js';
import { signInNonceCookieName } from '../passwordless/cookie.js';
import { signInLinkView, signInWithLink, type LinkView } from '../passwordless/sign-in.js';
import { clientOf } from '../rest/api.js';
import { deliverTokens } from '../sessions/delivery.js';
import { resetPassword } from '../challenges/password-recovery.js';
import { AppError } from '../errors.js';
import type { RestEnv } from '../rest/api.js';
import type { Runtime } from '../runtime.js';

/**
 * The page an e-mail link opens. Opening it changes nothing (mail scanners
 * follow links); the person confirms with a button, and for a recovery sets the
 * new password on the next page. Plain forms: the uid and the reset token are
 * the proof. A sign-in link (passwordless/) is the exception: it signs in only
 * the browser whose cookie holds the nonce of the request; any other browser is
 * shown the code, to type where the sign-in was asked for.
 */
const basePolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/** The page's policy: images only from MAIL_LOGO_URL's origin, when a logo is set. */
const policyFor = (logoUrl: string | undefined) => (logoUrl ? `${basePolicy}; img-src ${new URL(logoUrl).origin}` : basePolicy);

/** Where a person goes on to sign in: the console of this server. */
const signInLink = '<p><a href="/console/">Go to sign-in</a></p>';

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function page(runtime: Runtime, title: string, body: string): string {
  const { productName, logoUrl } = runtime.config.mail;
  const product = escapeHtml(productName);
  const brand = logoUrl ? `<img src="${escapeHtml(logoUrl)}" alt="${product}" height="40">` : `<strong>${product}</strong>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${product}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:30rem;margin:4rem auto;padding:0 1rem}header{margin-bottom:2rem}button,input{font:inherit;padding:.4rem .8rem}label{display:block;margin:.8rem 0 .3rem}</style>
</head><body><header>${brand}</header><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function resetForm(uid: string, token: string, problem?: string): string {
  return `${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/challenge/${encodeURIComponent(uid)}/reset">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="password">New password (8 to 128 characters)</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128">
<p><button type="submit">Set password</button></p></form>`;
}

/** The sign-in link's page in the browser that asked (a button), or anywhere else (the code to type there). */
function signInPage(view: Exclude<LinkView, { kind: 'dead' }>): { title: string; body: string } {
  if (view.kind === 'sign-in') {
    return { title: 'Sign in', body: '<form method="post"><p>Press the button to sign in in this browser.</p><button type="submit">Sign in</button></form>' };
  }
  return {
    title: 'Your sign-in code',
    body:
      '<p>This link signs in only the browser that asked for it. Type this code there:</p>' +
      `<p><strong style="font-size:2rem;letter-spacing:.3em" data-code>${escapeHtml(view.code)}</strong></p>` +
      '<p>If you did not ask to sign in, ignore it: nobody signs in without it.</p>',
  };
}

export function mountChallengePage(http: Hono<RestEnv>, runtime: Runtime) {
  const html = (c: Context<RestEnv>, title: string, body: string, status: 200 | 422 = 200) => {
    c.header('Content-Security-Policy', policyFor(runtime.config.mail.logoUrl));
    c.header('Cache-Control', 'no-store');
    return c.html(page(runtime, title, body), status);
  };

  // Mail clients and people add a trailing slash to links; the page's form posts back to whichever was opened.
  for (const link of ['/challenge/:uid', '/challenge/:uid/'] as const) {
    http.get(link, async (c) => {
      const view = await signInLinkView(c.var.runtime, c.req.param('uid'), getCookie(c, signInNonceCookieName(c.var.runtime)));
      if (view.kind !== 'dead') {
        const { title, body } = signInPage(view);
        return html(c, title, body);
      }
      return html(c, 'Confirm it is you', `<form method="post"><p>Press the button to confirm this request.</p><button type="submit">Confirm</button></form>`);
    });

    http.post(link, async (c) => {
      try {
        const nonce = getCookie(c, signInNonceCookieName(c.var.runtime));
        const view = await signInLinkView(c.var.runtime, c.req.param('uid'), nonce);
        if (view.kind === 'code') {
          const { title, body } = signInPage(view);
          return html(c, title, body);
        }
        if (view.kind === 'sign-in') {
          const { session, redirectPath } = await signInWithLink(c.var.runtime, c.req.param('uid'), nonce, clientOf(c));
          // The console (and any page of this server) resumes from the refresh cookie of the GraphQL door.
          deliverTokens(c.var.runtime, session, { cookiePath: graphqlPath, setCookie: (cookie) => c.header('Set-Cookie', cookie, { append: true }) });
          return c.redirect(redirectPath ?? '/console/', 303);
        }
        const result = await answerByUid(c.var.runtime, { uid: c.req.param('uid') });
        if (result.purpose === 'VERIFY_EMAIL') return html(c, 'Address verified', `<p>Your e-mail address is verified. You can close this page.</p>${signInLink}`);
        if (result.purpose === 'CHANGE_EMAIL') return html(c, 'Address changed', `<p>Your account now uses this e-mail address. You can close this page.</p>${signInLink}`);
        return html(c, 'Choose a new password', resetForm(c.req.param('uid'), result.resetToken ?? ''));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return html(c, 'This link no longer works', `<p>${escapeHtml(error.message)} Ask for a new e-mail where you asked for this one, or sign in to ask again.</p>${signInLink}`, 422);
      }
    });
  }

  http.post('/challenge/:uid/reset', async (c) => {
    const form = await c.req.parseBody();
    const token = String(form.token ?? '');
    try {
      await resetPassword(c.var.runtime, { token, newPassword: String(form.password ?? '') });
      return html(c, 'Password changed', `<p>Your password is changed and every session of the account has ended. Sign in again.</p>${signInLink}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return html(c, 'Choose a new password', resetForm(c.req.param('uid'), token, error.message), 422);
    }
  });
}
