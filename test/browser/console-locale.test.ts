// The console in the browser's language, in Chromium at 1280 and 390 px: a browser that asks for
// French (navigator.language and Accept-Language fr-FR) gets the French catalogue, refusals included,
// with the axe scan on each page; and the sign-up page offers an e-mailed code and Google, which create
// an account as the sign-in page's do.
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newIdentity } from '../helpers/app.js';
import { challengeOf } from '../helpers/smtp.js';
import { checkAtBothWidths, consoleSession, type ConsoleSession } from './browser.js';

let session: ConsoleSession;
let page: Page;
let problems: string[];
const person = newIdentity();

beforeAll(async () => {
  session = await consoleSession({ mail: true, env: { PASSWORDLESS_SIGNUP: 'true' } });
  expect((await session.app.gql('mutation($input: RegisterInput!) { register(input: $input) { id } }', { input: person })).errors).toBeUndefined();
});
afterAll(() => session?.close());
afterEach(async () => {
  await page?.context().close();
  expect(problems).toEqual([]);
});

async function newPage(locale: string) {
  ({ page, problems } = await session.openPage({ locale }));
}

const shown = (locator: Locator) => locator.first().waitFor();
const heading = (name: string) => shown(page.getByRole('heading', { level: 1, name, exact: true }));

describe('the console in French', () => {
  it('speaks French to a browser that asks for it: pages, refusals and the signed-in navigation', async () => {
    await newPage('fr-FR');
    await page.goto(`${session.origin}/console`);
    await heading('Connexion');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.title()).toBe('Connexion · console authgraph');
    await page.getByLabel('Nom d’utilisateur ou adresse e-mail').fill(person.username);
    await page.getByLabel('Mot de passe', { exact: true }).fill(`${person.password}-wrong`);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Refusé' });
    await shown(refusal);
    expect(await refusal.innerText()).not.toMatch(/password|Invalid/i);
    await checkAtBothWidths(page, 'console-fr-sign-in');

    await page.getByRole('link', { name: 'En créer un' }).click();
    await heading('Créer votre compte');
    await checkAtBothWidths(page, 'console-fr-sign-up');
    await page.getByRole('link', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await heading('Mot de passe oublié ?');
    await checkAtBothWidths(page, 'console-fr-forgot-password');
    await page.getByRole('link', { name: 'Retour à la connexion' }).click();

    await page.getByLabel('Nom d’utilisateur ou adresse e-mail').fill(person.username);
    await page.getByLabel('Mot de passe', { exact: true }).fill(person.password);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await shown(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Clés d’API' }));
    await shown(page.getByRole('status').filter({ hasText: `Connecté en tant que ${person.username}.` }));
    await heading('Votre compte');
    expect(await page.locator('main').innerText()).toContain('Méthodes de connexion');
    await checkAtBothWidths(page, 'console-fr-account');
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await shown(page.getByText('Vous êtes déconnecté.'));
  });

  it('speaks English to a browser that asks for a language it has no catalogue for', async () => {
    await newPage('de-DE');
    await page.goto(`${session.origin}/console`);
    await heading('Sign in');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });
});

describe('the sign-up page', () => {
  it('creates an account with an e-mailed code, and offers Google (here not configured) as the sign-in page does', async () => {
    await newPage('en-GB');
    await page.goto(`${session.origin}/console/sign-up`);
    await heading('Create your account');
    await page.getByRole('button', { name: 'Sign up with Google' }).click();
    await shown(page.locator('#google-note').filter({ hasText: 'OIDC_CLIENT_ID' }));
    const email = newIdentity().email;
    await page.getByRole('button', { name: 'Sign up with an e-mailed code instead' }).click();
    await heading('Sign in with an e-mailed code');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'E-mail me a sign-in code' }).click();
    await heading('Check your mail');
    await session.app.runtime.background.idle();
    const { code } = challengeOf(session.smtp!.mailsTo(email).at(-1));
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading('Your account');
    expect(await page.locator('main').innerText()).toContain(email);
  });
});
