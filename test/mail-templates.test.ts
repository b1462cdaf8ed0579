import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseLocale, MailTemplates } from '../src/mail/mail-templates.js';
import { StartupError } from '../src/startup-error.js';
import { createTestApp, newIdentity, type TestApp } from './helpers/app.js';
import { registerMutation } from './helpers/flows.js';
import { transportNames, transports } from './helpers/transports.js';

/** Every mail in the app's outbox (no SMTP_URL: one .eml file per mail), parsed as a mail client would. */
async function outboxMails(app: TestApp): Promise<ParsedMail[]> {
  await app.runtime.background.idle();
  const outbox = join(app.dataDir, 'outbox');
  const files = readdirSync(outbox).filter((name) => name.endsWith('.eml')).sort();
  return Promise.all(files.map((file) => simpleParser(readFileSync(join(outbox, file)))));
}

async function mailTo(app: TestApp, address: string) {
  const mails = await outboxMails(app);
  const mail = mails.find((candidate) => candidate.to && !Array.isArray(candidate.to) && candidate.to.text === address);
  if (!mail) throw new Error(`no mail to ${address}`);
  return mail;
}

const hrefsOf = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1]!.replaceAll('&amp;', '&'));

describe('mails from templates', () => {
  const doors = transports();
  let app: TestApp;

  beforeAll(async () => {
    // A long product name and address, so that quoted-printable has long lines to break.
    app = await createTestApp({
      env: {
        MAIL_PRODUCT_NAME: 'Acme <Cloud> Platform for Very Long Product Names & Co',
        MAIL_LOGO_URL: 'https://cdn.example.com/brand/acme-logo-with-a-rather-long-file-name.png',
        PUBLIC_URL: 'https://accounts.acme-cloud-platform.example.com/a/very/long/prefix/that/pushes/links/past/seventy-six/characters',
      },
    });
    await doors.open(app);
  });
  afterAll(async () => {
    doors.close();
    await app.close();
  });

  it('sends HTML with a plain-text part whose links survive quoted-printable, and the link works', async () => {
    const identity = newIdentity();
    await app.gql(registerMutation, { input: identity });
    const mail = await mailTo(app, identity.email);
    expect(mail.subject).toBe('Verify your e-mail address for Acme <Cloud> Platform for Very Long Product Names & Co');
    const html = mail.html as string;
    const text = mail.text!;
    // The product name is escaped in HTML, not in text.
    expect(html).toContain('Acme &lt;Cloud&gt; Platform for Very Long Product Names &amp; Co');
    expect(text).toContain('Acme <Cloud> Platform');
    expect(html).toContain('src="https://cdn.example.com/brand/acme-logo-with-a-rather-long-file-name.png"');

    const link = /Or open this link: (\S+)/.exec(text)![1]!;
    expect(link.length).toBeGreaterThan(76);
    expect(hrefsOf(html)).toEqual([link]);
    const code = /Your code: (\d{6})/.exec(text)![1]!;
    expect(html).toContain(`>${code}</strong>`);
    const path = new URL(link).pathname.replace(/^.*\/challenge\//, '/challenge/');
    const page = await app.request(path);
    expect(page.status).toBe(200);
    // The page a mail opens carries the product's name and logo; images come from the logo's origin alone.
    const pageHtml = await page.text();
    expect(pageHtml).toContain('<img src="https://cdn.example.com/brand/acme-logo-with-a-rather-long-file-name.png" alt="Acme &#60;Cloud&#62; Platform');
    expect(pageHtml).toContain('<title>Confirm it is you · Acme &#60;Cloud&#62;');
    expect(page.headers.get('content-security-policy')).toMatch(/; img-src https:\/\/cdn\.example\.com$/);

    const confirmed = await app.request(path, { method: 'POST' });
    expect(await confirmed.text()).toContain('<a href="/console/">Go to sign-in</a>');
    const again = await app.request(path, { method: 'POST' });
    expect(again.status).toBe(422);
    const againHtml = await again.text();
    expect(againHtml).toContain('This link no longer works');
    expect(againHtml).toContain('<a href="/console/">Go to sign-in</a>');
  });

  it.each(transportNames)('writes in the language the request asks for, %s, on both doors', async (door) => {
    const send = doors.send(door);
    const french = newIdentity();
    await send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'de-CH, fr;q=0.8, en;q=0.5' },
      body: JSON.stringify({ query: registerMutation, variables: { input: french } }),
    });
    const mail = await mailTo(app, french.email);
    expect(mail.subject).toBe('Vérifiez votre adresse e-mail pour Acme <Cloud> Platform for Very Long Product Names & Co');
    expect(mail.text).toMatch(/Votre code : \d{6}/);
    expect(mail.html).toContain('lang="fr"');

    const english = newIdentity();
    await send('/v1/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'ja, de' },
      body: JSON.stringify({ username: english.username, email: english.email, password: english.password }),
    });
    expect((await mailTo(app, english.email)).subject).toMatch(/^Verify your e-mail address/);

    const frenchRest = newIdentity();
    await send('/v1/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'fr-CA' },
      body: JSON.stringify({ username: frenchRest.username, email: frenchRest.email, password: frenchRest.password }),
    });
    expect((await mailTo(app, frenchRest.email)).subject).toMatch(/^Vérifiez/);
  });
});

describe('a deployment\'s own templates (TEMPLATES_DIR)', () => {
  let templatesDir: string;

  beforeAll(() => {
    templatesDir = mkdtempSync(join(tmpdir(), 'authgraph-templates-'));
    mkdirSync(join(templatesDir, 'locales'));
    writeFileSync(
      join(templatesDir, 'verify-email.html.liquid'),
      '<html><body><h1>{{ product }}</h1><p>{{ t.intro }}</p><a href="{{ link }}">{{ t.action }}</a> <b>{{ code }}</b></body></html>',
    );
    writeFileSync(join(templatesDir, 'verify-email.txt.liquid'), 'Welcome to {{ product }}! Code {{ code }}, link {{ link }}');
    writeFileSync(join(templatesDir, 'locales', 'en.json'), JSON.stringify({ 'verify-email': { subject: 'Welcome aboard {{ product }}' } }));
    writeFileSync(join(templatesDir, 'locales', 'de.json'), JSON.stringify({ 'verify-email': { subject: 'Willkommen bei {{ product }}', intro: 'Bitte bestätigen.' } }));
  });
  afterAll(() => rmSync(templatesDir, { recursive: true, force: true }));

  it('renders the verification mail from its files, adds a language, and keeps the built-in ones for the rest', async () => {
    const app = await createTestApp({ env: { TEMPLATES_DIR: templatesDir, MAIL_PRODUCT_NAME: 'Acme' } });
    try {
      const identity = newIdentity();
      await app.gql(registerMutation, { input: identity });
      const mail = await mailTo(app, identity.email);
      expect(mail.subject).toBe('Welcome aboard Acme');
      expect(mail.text).toMatch(/^Welcome to Acme! Code \d{6}, link http/);
      expect(mail.html).toContain('<h1>Acme</h1>');
      // Strings the deployment did not give come from the built-in English.
      expect(mail.html).toContain('Confirm that this address belongs to your Acme account.');

      const german = newIdentity();
      await app.gql(registerMutation, { input: german }, { 'accept-language': 'de' });
      const germanMail = await mailTo(app, german.email);
      expect(germanMail.subject).toBe('Willkommen bei Acme');
      expect(germanMail.html).toContain('Bitte bestätigen.');
      // What the German strings lack is English: the code line of a reset mail.
      const reset = await app.gql('mutation($email: EmailAddress!) { forgotPassword(email: $email) }', { email: german.email }, { 'accept-language': 'de' });
      expect(reset.errors).toBeUndefined();
      const resetMail = (await outboxMails(app)).find((candidate) => candidate.subject?.startsWith('Reset your Acme password'));
      expect(resetMail?.text).toMatch(/Your code: \d{6}/);
    } finally {
      await app.close();
    }
  });

  it('refuses to start on a template that does not parse, or a MAIL_LOCALE without strings', () => {
    const broken = mkdtempSync(join(tmpdir(), 'authgraph-templates-'));
    writeFileSync(join(broken, 'account-change.txt.liquid'), '{% if %}');
    try {
      expect(() => MailTemplates.load({ templatesDir: broken, defaultLocale: 'en' })).toThrow(StartupError);
      expect(() => MailTemplates.load({ templatesDir: broken, defaultLocale: 'en' })).toThrow(/account-change\.txt\.liquid/);
      expect(() => MailTemplates.load({ defaultLocale: 'xx' })).toThrow(/MAIL_LOCALE=xx/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('writes in MAIL_LOCALE when the request names no language it has', async () => {
    const app = await createTestApp({ env: { MAIL_LOCALE: 'fr' } });
    try {
      const identity = newIdentity();
      await app.gql(registerMutation, { input: identity });
      expect((await mailTo(app, identity.email)).subject).toMatch(/^Vérifiez/);
    } finally {
      await app.close();
    }
  });
});

describe('choosing the language', () => {
  it('follows Accept-Language weights, falls back to the language of a regional tag, then to the default', () => {
    const available = ['en', 'fr', 'pt-br'];
    expect(chooseLocale('fr-CH, fr;q=0.9, en;q=0.8', available, 'en')).toBe('fr');
    expect(chooseLocale('en;q=0.2, fr;q=0.9', available, 'en')).toBe('fr');
    expect(chooseLocale('pt-BR', available, 'en')).toBe('pt-br');
    expect(chooseLocale('fr;q=0, de', available, 'en')).toBe('en');
    expect(chooseLocale('*', available, 'fr')).toBe('fr');
    expect(chooseLocale(undefined, available, 'en')).toBe('en');
  });
});
