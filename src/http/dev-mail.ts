import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { Config } from '../config.js';
import type { OutboxEntry } from '../mail/transport.js';
import type { RestEnv } from '../rest/api.js';
import { escapeHtml } from './html.js';

const shown = 50;
/** Escaped text whose http(s) addresses become links (the challenge links are what a developer clicks). */
const withLinks = (text: string) =>
  escapeHtml(text).replace(/https?:\/\/[^\s&<>"']+(?:&#38;[^\s&<>"']+)*/g, (url) => `<a href="${url}">${url}</a>`);

async function latestMail(directory: string): Promise<OutboxEntry[]> {
  const files = await readdir(directory).catch(() => [] as string[]);
  const latest = files.filter((file) => file.endsWith('.json')).sort().reverse().slice(0, shown);
  return Promise.all(latest.map(async (file) => JSON.parse(await readFile(join(directory, file), 'utf8')) as OutboxEntry));
}

function page(mail: OutboxEntry[]): string {
  const articles = mail.map(
    (message) => `<article><h2>${escapeHtml(message.subject)}</h2>
<p>To ${escapeHtml(message.to)} · ${escapeHtml(message.sentAt)}</p>
<pre>${withLinks(message.text)}</pre></article>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Development mail</title></head>
<body><h1>Development mail</h1><p>What the server wrote to DATA_DIR/outbox, newest first (at most ${shown}).</p>
${articles.join('\n') || '<p>No mail yet.</p>'}
</body></html>`;
}

/**
 * /dev/mail: the outbox, decoded, for a developer without a mail server. Only
 * in development without SMTP_URL: elsewhere mail goes out, and the page would
 * show anyone every code and link.
 */
export function mountDevMail(http: Hono<RestEnv>, config: Config): void {
  if (config.env !== 'development' || config.mail.smtpUrl) return;
  const directory = join(config.dataDir, 'outbox');
  http.get('/dev/mail', async (c) => {
    const mail = await latestMail(directory);
    c.header('Cache-Control', 'no-store');
    return c.req.header('accept')?.includes('text/html') ? c.html(page(mail)) : c.json({ mail });
  });
}
