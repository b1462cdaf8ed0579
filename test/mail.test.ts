import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { BackgroundTasks } from '../src/background.js';
import { Mailer, type OutgoingMail } from '../src/mail/mailer.js';
import type { MailMessage, MailTransport } from '../src/mail/transport.js';
import { capturingLogger, createTestApp, newIdentity } from './helpers/app.js';
import { codeOf, registerMutation, registerUser } from './helpers/flows.js';

const verifyEmailMutation = `mutation($email: EmailAddress!, $code: String!) { verifyEmail(email: $email, code: $code) }`;

const mail: OutgoingMail = { kind: 'test', to: 'someone@example.com', subject: 'Hello', text: 'code 123456', html: '<p>code 123456</p>' };

/** A transport that fails as told, then delivers; and the log lines of the mailer using it. */
function mailerWith(failures: (Error & { permanent?: boolean })[], retryDelaysMs: number[]) {
  const delivered: MailMessage[] = [];
  let attempts = 0;
  const transport: MailTransport = {
    async deliver(message) {
      attempts += 1;
      const failure = failures.shift();
      if (failure) throw failure;
      delivered.push(message);
      return { messageId: `<${attempts}@test>` };
    },
    close: () => undefined,
  };
  const { logger, lines: logLines } = capturingLogger();
  const background = new BackgroundTasks(logger);
  const mailer = new Mailer(transport, { from: 'Robot <robot@example.test>', logger, background, retryDelaysMs });
  return { mailer, background, delivered, logLines, attempts: () => attempts };
}

const connectionRefused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('the mailer', () => {
  it('returns at once and retries a failed delivery until it goes through', async () => {
    const { mailer, background, delivered, logLines, attempts } = mailerWith([connectionRefused(), connectionRefused()], [5, 5, 5]);
    mailer.send(mail);
    expect(delivered).toHaveLength(0);
    await background.idle();
    expect(attempts()).toBe(3);
    expect(delivered).toEqual([{ from: 'Robot <robot@example.test>', to: mail.to, subject: mail.subject, text: mail.text, html: mail.html }]);
    expect(logLines.filter((line) => line.includes('will retry'))).toHaveLength(2);
    expect(logLines.at(-1)).toContain('mail sent');
  });

  it('gives up after the last retry, logging neither the recipient nor the content', async () => {
    const { mailer, background, delivered, logLines, attempts } = mailerWith([connectionRefused(), connectionRefused(), connectionRefused()], [5, 5]);
    mailer.send(mail);
    await background.idle();
    expect(attempts()).toBe(3);
    expect(delivered).toHaveLength(0);
    expect(logLines.at(-1)).toContain('giving up');
    expect(logLines.join('')).toContain('ECONNREFUSED');
    expect(logLines.join('')).not.toMatch(/someone@example\.com|123456/);
  });

  it('does not retry an error the server calls permanent', async () => {
    const rejected = Object.assign(new Error('550 no such mailbox'), { responseCode: 550, permanent: true });
    const { mailer, background, attempts, logLines } = mailerWith([rejected], [5, 5]);
    mailer.send(mail);
    await background.idle();
    expect(attempts()).toBe(1);
    expect(logLines.at(-1)).toContain('giving up');
  });

  it('close() cuts a retry wait short for one last attempt', async () => {
    const { mailer, delivered, attempts } = mailerWith([connectionRefused()], [3_600_000]);
    mailer.send(mail);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await mailer.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(attempts()).toBe(2);
    expect(delivered).toHaveLength(1);
  });
});

describe('outbox mode (no SMTP_URL)', () => {
  it('writes each mail as an .eml file under DATA_DIR/outbox, logs where, and its code works', async () => {
    const app = await createTestApp();
    try {
      const { identity } = await registerUser(app);
      await app.runtime.background.idle();
      const outbox = join(app.dataDir, 'outbox');
      const files = readdirSync(outbox).filter((name) => name.endsWith('.eml'));
      expect(files).toHaveLength(1);
      const parsed = await simpleParser(readFileSync(join(outbox, files[0]!)));
      expect(parsed.subject).toContain('authgraph');
      expect(parsed.html).toContain('/challenge/');
      const code = /Your code: (\d{6})/.exec(parsed.text ?? '')?.[1];
      expect(code).toMatch(/^\d{6}$/);

      const logLine = app.logLines.find((line) => line.includes('mail written to the outbox'));
      expect(JSON.parse(logLine!).outboxFile).toBe(join(outbox, files[0]!));
      expect(logLine).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));

      const verified = await app.gql(verifyEmailMutation, { email: identity.email, code });
      expect(verified.data.verifyEmail).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('an unreachable SMTP server', () => {
  it('neither fails nor delays registration; the failure is logged and retried', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const app = await createTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${closedPort}` } });
    try {
      const result = await app.gql(registerMutation, { input: newIdentity() });
      expect(codeOf(result)).toBeUndefined();
      expect(result.data.register.id).toBeTruthy();
      await expect.poll(() => app.logLines.some((line) => line.includes('will retry'))).toBe(true);
    } finally {
      await app.close();
    }
    expect(app.logLines.some((line) => line.includes('giving up'))).toBe(true);
  });
});

describe('shutting down', () => {
  it("runtime.close() delivers what is queued and closes the mail transport", async () => {
    const delivered: MailMessage[] = [];
    let closed = 0;
    const app = await createTestApp({
      mailTransport: {
        deliver: async (message) => {
          delivered.push(message);
          return { messageId: '<1@test>' };
        },
        close: () => void (closed += 1),
      },
    });
    await registerUser(app);
    await app.close();
    expect(delivered).toHaveLength(1);
    expect(closed).toBe(1);
  });
});
