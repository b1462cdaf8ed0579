import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { answerByUid } from '../challenges/answer.js';
import { resetPassword } from '../challenges/password-recovery.js';
import { purposeOfLink, renewLink } from '../challenges/renew.js';
import { AppError } from '../errors.js';
import { graphqlPath } from '../graphql/server.js';
import { signInNonceCookie, signInNonceCookieName } from '../passwordless/cookie.js';
import { signInLinkView, signInWithLink, type LinkView } from '../passwordless/sign-in.js';
import type { RestEnv } from '../rest/api.js';
import { clientOf } from '../rest/api.js';
import type { Runtime } from '../runtime.js';
import { deliverTokens } from '../sessions/delivery.js';
import { escapeHtml } from './html.js';

/**
 * The page an e-mail link opens. Opening it changes nothing (mail scanners
 * follow links); the person confirms with a button, and for a recovery sets the
 * new password on the next page. Plain forms: the uid and the reset token are
 * the proof. A sign-in link (passwordless/) is the exception: it signs in only
 * the browser whose cookie holds the nonce of the request; any other browser is
 * shown the code, to type where the sign-in was asked for. Once done, the page
 * offers the request's redirect target (challenges/redirect.ts), else sign-in.
 * Its words come from the `page` strings of the mail locales, in the language
 * Accept-Language asks for.
 */
const basePolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Images only from MAIL_LOGO_URL's origin, when a logo is set; forms post here, and a sign-in
 * form's answer may redirect to its target's origin (form-action governs redirects too).
 */
function policyFor(logoUrl: string | undefined, redirectTo: string | null = null): string {
  const formTargets = redirectTo && !redirectTo.startsWith('/') ? `'self' ${new URL(redirectTo).origin}` : "'self'";
  return `${basePolicy}; form-action ${formTargets}${logoUrl ? `; img-src ${new URL(logoUrl).origin}` : ''}`;
}


type Strings = Record<string, string>;

/** Where a person goes on once done: the request's target, else the console's sign-in. */
const onwardLink = (t: Strings, redirectTo: string | null) =>
  `<p><a href="${escapeHtml(redirectTo ?? '/console/')}">${escapeHtml(redirectTo ? t.continue! : t.go_to_sign_in!)}</a></p>`;

function page(runtime: Runtime, locale: string, title: string, body: string): string {
  const { productName, logoUrl } = runtime.config.mail;
  const product = escapeHtml(productName);
  const brand = logoUrl ? `<img src="${escapeHtml(logoUrl)}" alt="${product}" height="40">` : `<strong>${product}</strong>`;
  return `<!doctype html><html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${product}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:30rem;margin:4rem auto;padding:0 1rem;color:#1b1b1f;background:#fff}header{margin-bottom:2rem}button,input{font:inherit;padding:.4rem .8rem}label{display:block;margin:.8rem 0 .3rem}a{color:#4a2fb0}[role=alert]{color:#b3261e;font-weight:600}</style>
</head><body><header>${brand}</header><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function resetForm(t: Strings, uid: string, token: string, problem?: string): string {
  return `${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/challenge/${encodeURIComponent(uid)}/reset">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="password">${escapeHtml(t.reset_label!)}</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128">
<p><button type="submit">${escapeHtml(t.reset_button!)}</button></p></form>`;
}

/** The sign-in link's page in the browser that asked (a button), or anywhere else (the code to type there). */
function signInPage(t: Strings, view: Exclude<LinkView, { kind: 'dead' }>): { title: string; body: string } {
  if (view.kind === 'sign-in') {
    return { title: t.sign_in_title!, body: `<form method="post"><p>${escapeHtml(t.sign_in_body!)}</p><button type="submit">${escapeHtml(t.sign_in_button!)}</button></form>` };
  }
  return {
    title: t.code_title!,
    body:
      `<p>${escapeHtml(t.code_body!)}</p>` +
      `<p><strong style="font-size:2rem;letter-spacing:.3em" data-code>${escapeHtml(view.code)}</strong></p>` +
      `<p>${escapeHtml(t.code_ignore!)}</p>`,
  };
}

/** A dead link's page: a button that asks for a new mail (renewLink), or for an address change, the way to ask again. */
function deadLinkBody(t: Strings, uid: string, purpose: string | null): string {
  const renew =
    purpose === 'CHANGE_EMAIL'
      ? `<p>${escapeHtml(t.renew_change_email!)}</p>`
      : `<form method="post" action="/challenge/${encodeURIComponent(uid)}/renew"><button type="submit">${escapeHtml(t.renew_button!)}</button></form>`;
  return `<p>${escapeHtml(t.dead_body!)}</p>${renew}${onwardLink(t, null)}`;
}

/** The words a field problem from the services has in a page: the new password's, else none. */
const passwordProblemOf = (error: AppError) => error.fields?.find(({ field }) => field === 'newPassword')?.message;

export function mountChallengePage(http: Hono<RestEnv>, runtime: Runtime) {
  const wordsFor = (c: Context<RestEnv>, variables: Record<string, string> = {}) =>
    runtime.mailTemplates.strings('page', c.req.header('accept-language'), { product: runtime.config.mail.productName, ...variables });
  const html = (c: Context<RestEnv>, title: string, body: string, options: { status?: 200 | 422; redirectTo?: string | null } = {}) => {
    c.header('Content-Security-Policy', policyFor(runtime.config.mail.logoUrl, options.redirectTo));
    c.header('Cache-Control', 'no-store');
    c.header('Content-Language', wordsFor(c).locale);
    c.header('Vary', 'Accept-Language', { append: true });
    return c.html(page(runtime, wordsFor(c).locale, title, body), options.status ?? 200);
  };
  const deadLink = async (c: Context<RestEnv>, uid: string) => {
    const { t } = wordsFor(c);
    return html(c, t.dead_title!, deadLinkBody(t, uid, await purposeOfLink(c.var.runtime, uid)), { status: 422 });
  };

  // Mail clients and people add a trailing slash to links; the page's form posts back to whichever was opened.
  for (const link of ['/challenge/:uid', '/challenge/:uid/'] as const) {
    http.get(link, async (c) => {
      const { t } = wordsFor(c);
      const view = await signInLinkView(c.var.runtime, c.req.param('uid'), getCookie(c, signInNonceCookieName(c.var.runtime)));
      if (view.kind !== 'dead') {
        const { title, body } = signInPage(t, view);
        return html(c, title, body, { redirectTo: view.kind === 'sign-in' ? view.redirectTo : null });
      }
      return html(c, t.confirm_title!, `<form method="post"><p>${escapeHtml(t.confirm_body!)}</p><button type="submit">${escapeHtml(t.confirm_button!)}</button></form>`);
    });

    http.post(link, async (c) => {
      const { t } = wordsFor(c);
      const uid = c.req.param('uid');
      try {
        const nonce = getCookie(c, signInNonceCookieName(c.var.runtime));
        const view = await signInLinkView(c.var.runtime, uid, nonce);
        if (view.kind === 'code') {
          const { title, body } = signInPage(t, view);
          return html(c, title, body);
        }
        if (view.kind === 'sign-in') {
          const { session, redirectTo } = await signInWithLink(c.var.runtime, uid, nonce, clientOf(c));
          // The console (and any page of this server) resumes from the refresh cookie of the GraphQL door.
          deliverTokens(c.var.runtime, session, { cookiePath: graphqlPath, setCookie: (cookie) => c.header('Set-Cookie', cookie, { append: true }) });
          return c.redirect(redirectTo ?? '/console/', 303);
        }
        const result = await answerByUid(c.var.runtime, { uid });
        if (result.purpose === 'VERIFY_EMAIL') return html(c, t.verified_title!, `<p>${escapeHtml(t.verified_body!)}</p>${onwardLink(t, result.redirectTo)}`);
        if (result.purpose === 'CHANGE_EMAIL') return html(c, t.changed_title!, `<p>${escapeHtml(t.changed_body!)}</p>${onwardLink(t, result.redirectTo)}`);
        return html(c, t.reset_title!, resetForm(t, uid, result.resetToken ?? ''));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return deadLink(c, uid);
      }
    });
  }

  http.post('/challenge/:uid/renew', async (c) => {
    const { t } = wordsFor(c);
    const renewed = await renewLink(c.var.runtime, c.req.param('uid'));
    // A new sign-in link signs in this browser, as the request from the sign-in page would have.
    if (renewed) c.header('Set-Cookie', signInNonceCookie(c.var.runtime, renewed.nonce), { append: true });
    return html(c, t.renewed_title!, `<p role="status">${escapeHtml(t.renewed_body!)}</p>${onwardLink(t, null)}`);
  });

  http.post('/challenge/:uid/reset', async (c) => {
    const { t } = wordsFor(c);
    const form = await c.req.parseBody();
    const token = String(form.token ?? '');
    const uid = c.req.param('uid');
    try {
      const { redirectTo } = await resetPassword(c.var.runtime, { token, newPassword: String(form.password ?? '') });
      return html(c, t.reset_done_title!, `<p>${escapeHtml(t.reset_done_body!)}</p>${onwardLink(t, redirectTo)}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const problem = passwordProblemOf(error);
      if (!problem) return deadLink(c, uid);
      return html(c, t.reset_title!, resetForm(t, uid, token, wordsFor(c, { problem }).t.reset_problem), { status: 422 });
    }
  });
}
