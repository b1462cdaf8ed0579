import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = { from: string; to: string; subject: string; text: string; html: string; raw: string };

/**
 * A real SMTP server on a random local port (no TLS, no auth) that keeps what it
 * receives. A message is parsed before the server answers 250, so once the
 * sender's queue is idle, its mail is here.
 */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  const waiters: { to: string; resolve: (mail: ReceivedMail) => void }[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const parsed = await simpleParser(raw);
        const address = (field: typeof parsed.to) => (Array.isArray(field) ? field : field ? [field] : []).map((entry) => entry.text).join(', ');
        received.push({
          from: address(parsed.from),
          to: address(parsed.to),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : '',
          raw: raw.toString('utf8'),
        });
        const mail = received.at(-1)!;
        for (const waiter of waiters.filter(({ to }) => to === mail.to)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(mail);
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    mailsTo: (address: string) => received.filter((mail) => mail.to === address),
    /** The next mail to `address`, for a sender this process does not control (a server process). */
    nextMailTo: (address: string) => new Promise<ReceivedMail>((resolve) => waiters.push({ to: address, resolve })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The six-digit code and the link's uid of a challenge mail. */
export function challengeOf(mail: ReceivedMail | undefined) {
  const code = /Your code: (\d{6})/.exec(mail?.text ?? '')?.[1];
  const link = /Or open this link: (\S+)/.exec(mail?.text ?? '')?.[1];
  const uid = link?.split('/challenge/')[1];
  if (!code || !link || !uid) throw new Error('no challenge in that mail');
  return { code, link, uid };
}
