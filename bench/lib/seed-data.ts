import { createHash } from 'node:crypto';
import { apiKeyHash } from '../../src/apikeys/key-format.js';

/**
 * The seeded data is a pure function of (sizes, index): the scale benchmark
 * recomputes any user's id or any key's raw secret without reading a manifest.
 */
export type SeedSizes = { users: number; keys: number; sessions: number; events: number };

/** The server secret the seeded key hashes are peppered with; the benchmarked server must use it too. */
export const seedServerSecret = process.env.SERVER_SECRET ?? 'authgraph-bench-scale-server-secret-not-for-production';
export const seedKeyPrefix = process.env.API_KEY_PREFIX ?? 'sk';

/** Key 0 (owned by user 0) carries a tenth of the log: the tokenLog pages read it. */
export const hotKeyIndex = 0;
/** keyOwner(hotKeyIndex) whatever the number of users. */
export const hotUserIndex = 0;
/**
 * A second key of the hot key's owner, outside the numbered range: the tokenLog scenarios
 * authenticate with it, so their own request events do not land in the log they page through.
 */
export const readerKeyIndex = 2 ** 40;
export const hotEventCount = (sizes: SeedSizes) => Math.floor(sizes.events / 10);

/** The log spans the 90 days before this instant, so the newest seeded event is older than any live one. */
export const seedEpochMs = Date.UTC(2026, 0, 1);
const spanMs = 90 * 24 * 3600 * 1000;

const tags = { user: '1', key: '2', session: '3', event: '4' } as const;

/** A UUID-shaped id, ordered by index within a table. */
export const seedId = (table: keyof typeof tags, index: number) =>
  `${tags[table]}0000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;

export const keyOwner = (keyIndex: number, sizes: SeedSizes) => keyIndex % sizes.users;
export const sessionOwner = (sessionIndex: number, sizes: SeedSizes) => sessionIndex % sizes.users;

/** `<prefix>_live_<43 base64url characters>`, as newKeySecret makes them, but derived from the index. */
export const seedRawKey = (keyIndex: number) =>
  `${seedKeyPrefix}_live_${createHash('sha256').update(`authgraph-bench-seed-key:${keyIndex}`).digest('base64url')}`;

export const seedKeyHash = (keyIndex: number, serverSecret = seedServerSecret) => apiKeyHash(serverSecret, seedRawKey(keyIndex));

/** When the hot key's h-th event (of `count`) happened; events share milliseconds at large sizes, ids break ties. */
export const spreadAt = (position: number, count: number) => new Date(seedEpochMs - spanMs + Math.floor((position * spanMs) / Math.max(1, count)));
