import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import { randomToken } from '../crypto/random.js';

export type MailMessage = { from: string; to: string; subject: string; text: string; html: string };

/** Where a delivered message went: a Message-ID, and the file in outbox mode. */
export type DeliveryReceipt = { messageId: string; outboxFile?: string };

/** What the mailer delivers through; tests inject their own. */
export type MailTransport = {
  deliver(message: MailMessage): Promise<DeliveryReceipt>;
  close(): void;
};

export function smtpTransport(smtpUrl: string): MailTransport {
  // Short timeouts: a hung server holds only the retry queue, but should not hold it for minutes.
  const transporter = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  return {
    async deliver(message) {
      const info = await transporter.sendMail(message);
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}

/** What the development mail viewer (http/dev-mail.ts) reads: the message as sent, beside its .eml file. */
export type OutboxEntry = MailMessage & { sentAt: string };

/**
 * Writes each message as an .eml file, so that a development server needs no mail
 * server, and as JSON beside it for /dev/mail.
 */
export function outboxTransport(directory: string): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async deliver(message) {
      const info = await composer.sendMail(message);
      await mkdir(directory, { recursive: true, mode: 0o700 });
      const sentAt = new Date().toISOString();
      const base = join(directory, `${sentAt.replace(/[:.]/g, '-')}-${randomToken(6)}`);
      const entry: OutboxEntry = { ...message, sentAt };
      await writeFile(`${base}.eml`, info.message as Buffer, { mode: 0o600 });
      await writeFile(`${base}.json`, JSON.stringify(entry), { mode: 0o600 });
      return { messageId: info.messageId, outboxFile: `${base}.eml` };
    },
    close: () => composer.close(),
  };
}

export function createMailTransport(config: Config): MailTransport {
  return config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl) : outboxTransport(join(config.dataDir, 'outbox'));
}
