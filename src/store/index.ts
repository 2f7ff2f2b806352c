/** Opens the mapping store named by STORE_URL, with the in-process cache in front. */
import { resolve } from "node:path";
import { CachedStore } from "./cache.ts";
import { MappingCrypto } from "./crypto.ts";
import { ObservedStore, type StoreObserver } from "./observed.ts";
import { SqliteStore } from "./sqlite.ts";
import type { MappingStore } from "./types.ts";

export interface OpenStoreOptions {
  url: string;
  secret: string;
  ttlMs: number;
  cacheEntries?: number;
  commandTimeoutMs?: number;
  /** Sees every real round trip (cache hits never reach it). */
  observe?: StoreObserver;
}

export async function openStore(options: OpenStoreOptions): Promise<CachedStore> {
  // Trust a cached mapping for a quarter of its lifetime (at most an hour) before asking the
  // store again, which also extends the mapping's life there.
  const cache = { capacity: options.cacheEntries, refreshAfterMs: Math.min(options.ttlMs / 4, 3_600_000) };
  const wrap = (engine: MappingStore) => new CachedStore(options.observe ? new ObservedStore(engine, options.observe) : engine, cache);
  if (options.url.startsWith("sqlite://")) {
    const path = resolve(options.url.slice("sqlite://".length));
    return wrap(new SqliteStore(path, new MappingCrypto(options.secret), options.ttlMs));
  }
  if (/^(rediss?|redis\+cluster):\/\//.test(options.url)) {
    // Loaded only when asked for: the Redis client alone costs ~20 MB of resident memory.
    const { RedisStore } = await import("./redis.ts");
    return wrap(await RedisStore.open(options));
  }
  throw new Error("STORE_URL must start with sqlite://, redis://, rediss:// or redis+cluster://");
}
