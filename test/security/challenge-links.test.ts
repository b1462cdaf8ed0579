import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerUser } from '../helpers/flows.js';
import { capturingTransport, challengeIn } from '../helpers/security.js';

const mail = capturingTransport();
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ mailTransport: mail.transport });
});
afterAll(() => app.close());

async function verificationUid() {
  const { identity } = await registerUser(app);
  await app.runtime.background.idle();
  return { identity, uid: challengeIn(mail.mailsTo(identity.email).at(-1)).uid };
}

const requestLines = () =>
  app.logLines.map((line) => JSON.parse(line) as { msg: string; path?: string; method?: string; status?: number }).filter((entry) => entry.msg === 'request');

describe('challenge links', () => {
  it('a link with a trailing slash opens the page, and pressing its button verifies the address', async () => {
    const { identity, uid } = await verificationUid();
    const page = await app.request(`/challenge/${uid}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    // The page's form posts back to the URL it was opened at, slash included.
    const confirmed = await app.request(`/challenge/${uid}/`, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Address verified');
    const user = await app.runtime.db.user.findUniqueOrThrow({ where: { username: identity.username } });
    expect(user.emailVerified).toBe(true);
  });

  it.each([
    ['GET', (uid: string) => `/challenge/${uid}/`],
    ['POST', (uid: string) => `/challenge/${uid}/`],
    ['GET', (uid: string) => `/challenge/${uid}//`],
    ['GET', (uid: string) => `/challenge/${uid}/unknown`],
    ['POST', (uid: string) => `/challenge/${uid}/reset/`],
    ['GET', (uid: string) => `/Challenge/${uid}`],
    ['GET', (uid: string) => `//challenge/${uid}`],
    ['GET', (uid: string) => `/%63hallenge/${uid}`],
  ])('%s %s never puts the uid in the request log', async (method, pathOf) => {
    const { uid } = await verificationUid();
    const before = requestLines().length;
    await app.request(pathOf(uid), { method });
    const lines = requestLines().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.path).toBe('/challenge/:uid');
    expect(app.logLines.join('\n')).not.toContain(uid);
  });
});

describe('challenge page failures', () => {
  it('an unexpected failure behind a link logs the pattern, not the uid', async () => {
    const { uid } = await verificationUid();
    const lookup = vi.spyOn(app.runtime.db.challenge, 'findFirst').mockRejectedValueOnce(new Error('connection lost'));
    try {
      expect((await app.request(`/challenge/${uid}/`, { method: 'POST' })).status).toBe(500);
    } finally {
      lookup.mockRestore();
    }
    const failure = app.logLines.map((line) => JSON.parse(line) as { msg: string; path?: string }).find((entry) => entry.msg === 'unexpected error');
    expect(failure).toMatchObject({ path: '/challenge/:uid' });
    expect(app.logLines.join('\n')).not.toContain(uid);
  });
});
