// The pages mails open, beyond their first use: a used or expired link offers a new mail (the
// original request again, with its throttles and its silence about accounts), and the pages
// speak the language Accept-Language asks for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { verifiedSession } from './helpers/apikeys.js';
import { registerUser } from './helpers/flows.js';
import { challengeOf, startSmtpServer } from './helpers/smtp.js';

const resendIntervalSeconds = 60;
const forgotMutation = 'mutation($email: EmailAddress!, $redirectTo: String) { forgotPassword(email: $email, redirectTo: $redirectTo) }';
const signInLinkMutation = 'mutation($email: EmailAddress!) { requestSignInLink(email: $email) }';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let app: TestApp;

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await createTestApp({ env: { SMTP_URL: smtp.url, RESEND_INTERVAL: String(resendIntervalSeconds), REQUIRE_VERIFIED_EMAIL: 'false' } });
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

async function mailsTo(email: string) {
  await app.runtime.background.idle();
  return smtp.mailsTo(email);
}
const lastChallengeTo = async (email: string) => challengeOf((await mailsTo(email)).at(-1));
const post = (path: string, headers: Record<string, string> = {}) => app.request(path, { method: 'POST', headers, redirect: 'manual' });

describe('a link that no longer works', () => {
  it('offers a new mail; the new one carries the same target, and the same throttle applies', async () => {
    const { identity } = await registerUser(app);
    app.clock.advance(resendIntervalSeconds * 1000);
    await app.gql(forgotMutation, { email: identity.email, redirectTo: '/after-reset' });
    const { uid } = await lastChallengeTo(identity.email);
    expect((await post(`/challenge/${uid}`)).status).toBe(200);
    const used = await post(`/challenge/${uid}`);
    expect(used.status).toBe(422);
    const usedPage = await used.text();
    expect(usedPage).toContain('This link no longer works');
    expect(usedPage).toContain(`<form method="post" action="/challenge/${uid}/renew"><button type="submit">Send me a new mail</button></form>`);
    expect(usedPage).not.toMatch(/Invalid input|uid:/);

    // Within RESEND_INTERVAL of the last mail: the same answer, and no mail.
    const before = (await mailsTo(identity.email)).length;
    const throttled = await post(`/challenge/${uid}/renew`);
    expect(await throttled.text()).toContain('If this address can still use it, a new mail is on its way');
    expect((await mailsTo(identity.email)).length).toBe(before);

    app.clock.advance(resendIntervalSeconds * 1000);
    const renewed = await post(`/challenge/${uid}/renew`);
    expect(renewed.status).toBe(200);
    expect(await renewed.text()).toContain('If this address can still use it, a new mail is on its way');
    const mails = await mailsTo(identity.email);
    expect(mails.length).toBe(before + 1);
    expect(mails.at(-1)!.subject).toMatch(/Reset/);
    const fresh = challengeOf(mails.at(-1));
    expect(fresh.uid).not.toBe(uid);
    const form = await (await post(`/challenge/${fresh.uid}`)).text();
    const token = /name="token" value="([^"]+)"/.exec(form)![1]!;
    const done = await app.request(`/challenge/${fresh.uid}/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, password: `${identity.password} again` }),
    });
    expect(await done.text()).toContain('<a href="/after-reset">Continue to authgraph</a>');
  });

  it('an unknown link gets the same answer and sends nothing', async () => {
    await app.runtime.background.idle();
    const before = smtp.received.length;
    const answer = await post('/challenge/no-such-link/renew');
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('If this address can still use it, a new mail is on its way');
    await app.runtime.background.idle();
    expect(smtp.received.length).toBe(before);
  });

  it('an expired sign-in link mails a new one that signs in this browser', async () => {
    const { identity } = await registerUser(app);
    app.clock.advance(resendIntervalSeconds * 1000);
    await app.gql(signInLinkMutation, { email: identity.email });
    const { uid } = await lastChallengeTo(identity.email);
    app.clock.advance(app.config.challenges.ttl * 1000 + 1000);
    const dead = await post(`/challenge/${uid}`);
    expect(dead.status).toBe(422);
    expect(await dead.text()).toContain('Send me a new mail');
    const renewed = await post(`/challenge/${uid}/renew`);
    const cookie = renewed.headers.getSetCookie().find((line) => line.startsWith('authgraph_sign_in'))?.split(';')[0];
    expect(cookie).toBeDefined();
    const fresh = await lastChallengeTo(identity.email);
    expect(fresh.uid).not.toBe(uid);
    const signedIn = await post(`/challenge/${fresh.uid}`, { cookie: cookie! });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/console/');
  });

  it('an address change is asked for again by the signed-in account: its dead link says so, with no button', async () => {
    const { identity, auth } = await verifiedSession(app);
    const newEmail = `new-${identity.email}`;
    expect((await app.gql('mutation($e: EmailAddress!) { changeEmail(newEmail: $e) }', { e: newEmail }, auth)).errors).toBeUndefined();
    const { uid } = await lastChallengeTo(newEmail);
    expect((await post(`/challenge/${uid}`)).status).toBe(200);
    const dead = await (await post(`/challenge/${uid}`)).text();
    expect(dead).toContain('To change your address, sign in and ask for the change again.');
    expect(dead).not.toContain('/renew');
    await app.runtime.background.idle();
    const before = smtp.received.length;
    await post(`/challenge/${uid}/renew`);
    await app.runtime.background.idle();
    expect(smtp.received.length).toBe(before);
  });

  it('a dead reset token shows the dead-link page, not a form to retry with it', async () => {
    const answer = await app.request('/challenge/whatever/reset', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'not-a-token', password: 'a fine long password' }),
    });
    expect(answer.status).toBe(422);
    expect(await answer.text()).toContain('This link no longer works');
  });
});

describe('the pages in the language asked for', () => {
  it('French for Accept-Language: fr, with lang and Content-Language; English otherwise', async () => {
    const person = newIdentity();
    await registerUser(app, person);
    const { uid } = await lastChallengeTo(person.email);
    const french = await app.request(`/challenge/${uid}`, { headers: { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' } });
    const html = await french.text();
    expect(french.headers.get('content-language')).toBe('fr');
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<h1>Confirmez que c’est vous</h1>');
    expect(html).toContain('Confirmer</button>');
    const verified = await app.request(`/challenge/${uid}`, { method: 'POST', headers: { 'accept-language': 'fr' } });
    expect(await verified.text()).toContain('Votre adresse e-mail est vérifiée.');
    const english = await app.request(`/challenge/${uid}`, { headers: { 'accept-language': 'de-DE' } });
    expect(english.headers.get('content-language')).toBe('en');
    expect(await english.text()).toContain('<h1>Confirm it is you</h1>');
  });
});
