/**
 * A bounded in-process cache in front of any engine. Mappings are immutable while they live,
 * so a cached answer is correct; but the store extends a mapping's lifetime only when it sees
 * it used, so an entry is trusted for at most `refreshAfterMs` before the store is asked again.
 */
import type { MappingStore, MaskItem, StoreChanges, StoreHealth } from "./types.ts";

interface Entry {
  value: string;
  at: number;
}

class Lru {
  private readonly map = new Map<string, Entry>();
  constructor(private readonly capacity: number) {}

  get(key: string, freshSince: number): string | undefined {
    const entry = this.map.get(key);
    if (!entry || entry.at < freshSince) return undefined;
    this.map.delete(key); // re-insert: Map order is our recency order
    this.map.set(key, entry);
    return entry.value;
  }

  set(key: string, value: string, at: number): void {
    this.map.delete(key);
    this.map.set(key, { value, at });
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }
}

export class CachedStore implements MappingStore {
  private readonly forward: Lru;
  private readonly reverse: Lru;
  /** Store round trips made, for benchmarks and tests of the one-round-trip promise. */
  roundTrips = 0;

  constructor(
    readonly inner: MappingStore,
    options: { capacity?: number; refreshAfterMs: number },
    private readonly now: () => number = Date.now,
  ) {
    this.forward = new Lru(options.capacity ?? 100_000);
    this.reverse = new Lru(options.capacity ?? 100_000);
    this.refreshAfterMs = options.refreshAfterMs;
  }
  private readonly refreshAfterMs: number;

  async getOrCreate(tenant: string, items: readonly MaskItem[]): Promise<string[]> {
    const now = this.now();
    const freshSince = now - this.refreshAfterMs;
    const result: (string | undefined)[] = items.map((item) => this.forward.get(`${tenant}\0${item.original}`, freshSince));
    const missing = items.filter((_, i) => result[i] === undefined);
    if (missing.length === 0) return result as string[];
    this.roundTrips++;
    const created = await this.inner.getOrCreate(tenant, missing);
    let next = 0;
    return items.map((item, i) => {
      if (result[i] !== undefined) return result[i]!;
      const surrogate = created[next++]!;
      this.forward.set(`${tenant}\0${item.original}`, surrogate, now);
      this.reverse.set(`${tenant}\0${surrogate}`, item.original, now);
      return surrogate;
    });
  }

  async lookup(tenant: string, surrogates: readonly string[]): Promise<(string | undefined)[]> {
    const now = this.now();
    const freshSince = now - this.refreshAfterMs;
    const result = surrogates.map((surrogate) => this.reverse.get(`${tenant}\0${surrogate}`, freshSince));
    const missing = surrogates.filter((_, i) => result[i] === undefined);
    if (missing.length === 0) return result;
    this.roundTrips++;
    const found = await this.inner.lookup(tenant, missing);
    let next = 0;
    return surrogates.map((surrogate, i) => {
      if (result[i] !== undefined) return result[i];
      const original = found[next++];
      if (original !== undefined) {
        this.reverse.set(`${tenant}\0${surrogate}`, original, now);
        this.forward.set(`${tenant}\0${original}`, surrogate, now);
      }
      return original;
    });
  }

  /** Never cached: the feed is how this process learns what others created. */
  changesSince(tenant: string, cursor: number, limit: number): Promise<StoreChanges> {
    return this.inner.changesSince(tenant, cursor, limit);
  }

  health(): Promise<StoreHealth> {
    return this.inner.health();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
