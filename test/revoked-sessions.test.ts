import { describe, expect, it } from 'vitest';
import { RevokedSessions } from '../src/sessions/revoked-sessions.js';

describe('the in-memory set of revoked sessions', () => {
  it('forgets revocations whose tokens have all expired once it has doubled, and keeps every live one', () => {
    let now = 0;
    const revoked = new RevokedSessions(() => now);
    const { minimumSweepSize } = RevokedSessions;
    for (let index = 0; index < minimumSweepSize / 2; index += 1) revoked.add(`expired-${index}`, 100);
    for (let index = 0; index < minimumSweepSize / 2 - 1; index += 1) revoked.add(`live-${index}`, 1_000);
    expect(revoked.size).toBe(minimumSweepSize - 1);

    now = 500;
    revoked.add('last', 1_000);
    expect(revoked.size).toBe(minimumSweepSize / 2);
    expect(revoked.has('live-0', now)).toBe(true);
    expect(revoked.has('last', now)).toBe(true);
    expect(revoked.has('expired-0', now)).toBe(false);

    // The next sweep waits until the set has doubled again; by then the first live ones have ended.
    now = 2_000;
    for (let index = 0; index < minimumSweepSize / 2 - 1; index += 1) revoked.add(`later-${index}`, 3_000);
    expect(revoked.size).toBe(minimumSweepSize - 1);
    revoked.add('trigger', 3_000);
    expect(revoked.size).toBe(minimumSweepSize / 2);
    expect(revoked.has('later-0', now)).toBe(true);
    expect(revoked.has('live-0', now)).toBe(false);
  });
});
