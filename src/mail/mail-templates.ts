import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Liquid, type Template } from 'liquidjs';
import { projectRoot } from '../paths.js';
import { StartupError } from '../startup-error.js';

export const mailKinds = ['verify-email', 'reset-password', 'change-email', 'sign-in', 'account-change', 'webhook-disabled'] as const;
export type MailKind = (typeof mailKinds)[number];
type Format = 'html' | 'txt';
type Strings = Record<string, Record<string, string>>;
/** A locale's strings, each parsed once: section, then key. */
type ParsedStrings = Record<string, Record<string, Template[]>>;

export type RenderedMail = { subject: string; text: string; html: string };

const builtInDir = fileURLToPath(new URL('src/mail/', projectRoot));
/** The challenge mails share one built-in template, the notices another; a deployment may give each its own. */
const builtInTemplateOf = (kind: MailKind) => (kind === 'account-change' || kind === 'webhook-disabled' ? 'account-change' : 'challenge');

// Operators' templates are Liquid, which runs no JavaScript; HTML output is escaped unless a template says `| raw`.
const engines: Record<Format, Liquid> = {
  html: new Liquid({ outputEscape: 'escape', strictFilters: true }),
  txt: new Liquid({ strictFilters: true }),
};
const stringEngine = new Liquid({ strictFilters: true });

const mapValues = <T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));

function parseOrStop(engine: Liquid, text: string, what: string): Template[] {
  try {
    return engine.parse(text);
  } catch (error) {
    throw new StartupError(`${what} does not parse: ${(error as Error).message.split('\n')[0]}`);
  }
}

function readLocales(dir: string): Record<string, Strings> {
  if (!existsSync(dir)) return {};
  const files = readdirSync(dir).filter((file) => /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?\.json$/.test(file));
  const read = (file: string): Strings => {
    try {
      return JSON.parse(readFileSync(join(dir, file), 'utf8')) as Strings;
    } catch {
      throw new StartupError(`The mail strings ${join(dir, file)} are not valid JSON.`);
    }
  };
  return Object.fromEntries(files.map((file) => [file.slice(0, -5).toLowerCase(), read(file)]));
}

/** Each locale's strings, a deployment's file laid over the built-in one of the same language. */
function mergedLocales(templatesDir: string | undefined): Record<string, Strings> {
  const builtIn = readLocales(join(builtInDir, 'locales'));
  const own = templatesDir ? readLocales(join(templatesDir, 'locales')) : {};
  const merged: Record<string, Strings> = {};
  for (const locale of new Set([...Object.keys(builtIn), ...Object.keys(own)])) {
    merged[locale] = {};
    // English fills in what a locale lacks, so a deployment may translate a few strings only.
    for (const section of new Set([...Object.keys(builtIn.en ?? {}), ...Object.keys(builtIn[locale] ?? {}), ...Object.keys(own[locale] ?? {})])) {
      merged[locale][section] = { ...builtIn.en?.[section], ...builtIn[locale]?.[section], ...own[locale]?.[section] };
    }
  }
  return merged;
}

/** The locale to write in: the first of Accept-Language's languages (by weight) that has strings, else the default. */
export function chooseLocale(acceptLanguage: string | undefined, available: readonly string[], fallback: string): string {
  if (!acceptLanguage) return fallback;
  const wanted = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().toLowerCase().split(';');
      const weight = Number(parameters.find((parameter) => parameter.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { tag, weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter(({ tag, weight }) => tag && weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of wanted) {
    if (available.includes(tag)) return tag;
    const language = tag.split('-')[0]!;
    if (available.includes(language)) return language;
  }
  return fallback;
}

/**
 * The mails' templates (Liquid, one file per mail and format) and their strings (one JSON
 * file per locale), read and checked once at start: a deployment's TEMPLATES_DIR may hold
 * `<kind>.html.liquid`, `<kind>.txt.liquid` (or `challenge.*` for the three code mails) and
 * `locales/<lang>.json`; what it lacks comes built in.
 */
export class MailTemplates {
  private constructor(
    private readonly templates: Record<MailKind, Record<Format, Template[]>>,
    private readonly locales: Record<string, ParsedStrings>,
    readonly defaultLocale: string,
  ) {}

  static load(options: { templatesDir?: string; defaultLocale: string }): MailTemplates {
    const { templatesDir, defaultLocale } = options;
    const locales = Object.fromEntries(
      Object.entries(mergedLocales(templatesDir)).map(([locale, sections]) => [
        locale,
        Object.fromEntries(
          Object.entries(sections).map(([section, strings]) => [
            section,
            Object.fromEntries(Object.entries(strings).map(([key, text]) => [key, parseOrStop(stringEngine, text, `The string ${key} of ${section} in locales/${locale}.json`)])),
          ]),
        ),
      ]),
    );
    if (!locales[defaultLocale]) throw new StartupError(`MAIL_LOCALE=${defaultLocale} has no strings: add locales/${defaultLocale}.json to TEMPLATES_DIR.`);
    const parse = (format: Format, kind: MailKind): Template[] => {
      const candidates = [
        ...(templatesDir ? [join(templatesDir, `${kind}.${format}.liquid`), join(templatesDir, `${builtInTemplateOf(kind)}.${format}.liquid`)] : []),
        join(builtInDir, 'templates', `${builtInTemplateOf(kind)}.${format}.liquid`),
      ];
      const file = candidates.find((candidate) => existsSync(candidate))!;
      return parseOrStop(engines[format], readFileSync(file, 'utf8'), `The mail template ${file}`);
    };
    const templates = Object.fromEntries(mailKinds.map((kind) => [kind, { html: parse('html', kind), txt: parse('txt', kind) }])) as MailTemplates['templates'];
    return new MailTemplates(templates, locales, defaultLocale);
  }

  /** A section's strings (the pages opened from mails use `page`) in the language Accept-Language asks for, and that language. */
  strings(section: string, acceptLanguage: string | undefined, variables: Record<string, unknown> = {}): { locale: string; t: Record<string, string> } {
    const locale = chooseLocale(acceptLanguage, Object.keys(this.locales), this.defaultLocale);
    return { locale, t: mapValues(this.locales[locale]![section] ?? {}, (template) => stringEngine.renderSync(template, variables) as string) };
  }

  /** `section` names the strings beside the mail's own (the challenge mails' code and link lines). */
  render(kind: MailKind, acceptLanguage: string | undefined, variables: Record<string, unknown>, section?: string): RenderedMail {
    const locale = chooseLocale(acceptLanguage, Object.keys(this.locales), this.defaultLocale);
    const strings = { ...this.locales[locale]![section ?? ''], ...this.locales[locale]![kind] };
    const t = mapValues(strings, (template) => stringEngine.renderSync(template, variables) as string);
    const context = { ...variables, locale, t };
    return {
      subject: t.subject ?? kind,
      text: engines.txt.renderSync(this.templates[kind].txt, context) as string,
      html: engines.html.renderSync(this.templates[kind].html, context) as string,
    };
  }
}
