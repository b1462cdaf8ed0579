import type { ApiKeyPrincipal } from '../principal.js';

/** A verified key, or a known key that is refused (revoked, or its owner disabled). */
export type CachedKey = {
  keyId: string;
  principal: ApiKeyPrincipal | null;
  /** Why `principal` is null (an expiry shows in validUntilMs instead). */
  refusal: 'REVOKED' | 'DISABLED' | null;
  /** When this secret stops working: the key's expiry, or the end of a roll's grace period. */
  validUntilMs: number | null;
  /** Who to log a refused use against. */
  owner: { userId: string | null; serviceAccountId: string | null };
};

const defaultMaxEntries = 10_000;

/**
 * Verified keys by secret hash, so that a key's requests after the first cost
 * no database read. Bounded (least recently used goes first) and short-lived;
 * revoking or rolling a key evicts it here at once.
 */
export class VerifiedKeyCache {
  private readonly entries = new Map<string, { key: CachedKey; cachedUntilMs: number }>();
  private suspended = false;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = defaultMaxEntries,
  ) {}

  get(secretHash: string, nowMs: number): CachedKey | undefined {
    if (this.suspended) return undefined;
    const hit = this.entries.get(secretHash);
    if (!hit) return undefined;
    this.entries.delete(secretHash);
    if (hit.cachedUntilMs <= nowMs) return undefined;
    this.entries.set(secretHash, hit);
    return hit.key;
  }

  set(secretHash: string, key: CachedKey, nowMs: number): void {
    if (this.ttlMs <= 0 || this.suspended) return;
    this.entries.delete(secretHash);
    this.entries.set(secretHash, { key, cachedUntilMs: nowMs + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /**
   * While this instance cannot hear other instances' revocations (Redis away),
   * every key is read from the database on each use; `resume` starts afresh.
   */
  suspend(): void {
    this.suspended = true;
    this.entries.clear();
  }

  resume(): void {
    this.entries.clear();
    this.suspended = false;
  }

  /** Forgets every secret of a key: sessions/revocations.ts calls it here and, with Redis, on every instance. */
  evictKey(keyId: string): void {
    for (const [secretHash, { key }] of this.entries) if (key.keyId === keyId) this.entries.delete(secretHash);
  }
}
