/** A bounded in-memory map whose entries expire; the oldest entry goes first when it is full. */
export class TtlCache<Key, Value> {
  private readonly entries = new Map<Key, { value: Value; expiresAtMs: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  get(key: Key, nowMs: number): Value | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: Key, value: Value, expiresAtMs: number): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAtMs });
  }
}
