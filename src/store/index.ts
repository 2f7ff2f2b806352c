/** Opens the mapping store named by STORE_URL, with the in-process cache in front. */
import { resolve } from "node:path";
import { CachedStore } from "./cache.ts";
import { MappingCrypto } from "./crypto.ts";
import { RedisStore } from "./redis.ts";
import { SqliteStore } from "./sqlite.ts";

export interface OpenStoreOptions {
  url: string;
  secret: string;
  ttlMs: number;
  cacheEntries?: number;
  commandTimeoutMs?: number;
}

export async function openStore(options: OpenStoreOptions): Promise<CachedStore> {
  // Trust a cached mapping for a quarter of its lifetime (at most an hour) before asking the
  // store again, which also extends the mapping's life there.
  const cache = { capacity: options.cacheEntries, refreshAfterMs: Math.min(options.ttlMs / 4, 3_600_000) };
  if (options.url.startsWith("sqlite://")) {
    const path = resolve(options.url.slice("sqlite://".length));
    return new CachedStore(new SqliteStore(path, new MappingCrypto(options.secret), options.ttlMs), cache);
  }
  if (/^(rediss?|redis\+cluster):\/\//.test(options.url)) {
    return new CachedStore(await RedisStore.open(options), cache);
  }
  throw new Error("STORE_URL must start with sqlite://, redis://, rediss:// or redis+cluster://");
}
