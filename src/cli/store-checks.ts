/** verify-setup's store checks: reachable, its facts (Redis), and a write+read+delete round trip. */
import { randomBytes } from "node:crypto";
import type { Config } from "../config.ts";
import { existsSync } from "node:fs";
import { existingMaskingSecret } from "../secrets.ts";
import { openStore } from "../store/index.ts";
import { ObservedStore } from "../store/observed.ts";
import type { RedisStore } from "../store/redis.ts";
import { sqlitePath, type CheckResult } from "./checks.ts";

export async function checkStore(config: Config): Promise<CheckResult[]> {
  const name = "mapping store";
  const engine = config.storeUrl.startsWith("sqlite://") ? "sqlite" : "redis";
  const fix =
    engine === "sqlite"
      ? `make the directory of STORE_URL (${config.storeUrl.slice("sqlite://".length)}) writable by the service user`
      : "start Redis or fix STORE_URL (host, port, password, TLS via rediss://)";
  // Never creates a store or a secret: it inspects what the service has.
  const database = sqlitePath(config);
  if (database !== undefined && !existsSync(database)) {
    return [{ name, status: "warn", detail: `no store yet at ${database}`, fix: "if the service runs elsewhere, point DATA_DIR or STORE_URL (or --env-file) at its store; otherwise `serve` creates it on first start" }];
  }
  // Without its secret a store cannot be read; the MASKING_SECRET check says why.
  const secret = existingMaskingSecret(config)?.secret ?? (database === undefined ? "verify-setup-reachability-only" : undefined);
  if (secret === undefined) return [{ name, status: "warn", detail: `${database} exists; not opened without its masking secret`, fix: "see the MASKING_SECRET check" }];
  let store;
  try {
    store = await openStore({ url: config.storeUrl, secret, ttlMs: 60_000, commandTimeoutMs: 2_000 });
  } catch {
    return [{ name, status: "fail", detail: `cannot open the ${engine} store`, fix }];
  }
  try {
    const health = await store.health();
    if (!health.ok) return [{ name, status: "fail", detail: health.detail, fix }];
    const results: CheckResult[] = [];
    const engine = store.inner instanceof ObservedStore ? store.inner.inner : store.inner;
    if (health.engine !== "sqlite") results.push(...(await redisFacts(engine as RedisStore)));
    else results.push({ name, status: "pass", detail: health.detail });
    // A round trip with a made-up secret would prove nothing about the service's mappings.
    if (existingMaskingSecret(config)) results.push(await roundTrip(store));
    return results;
  } catch {
    return [{ name, status: "fail", detail: `${engine} store did not answer`, fix }];
  } finally {
    await store.close();
  }
}

async function redisFacts(redis: RedisStore): Promise<CheckResult[]> {
  const facts = await redis.diagnostics();
  const results: CheckResult[] = [{ name: "mapping store", status: "pass", detail: `redis ${facts.version} reachable` }];
  results.push(
    facts.maxmemoryPolicy === "noeviction"
      ? { name: "redis eviction policy", status: "pass", detail: "noeviction" }
      : {
          name: "redis eviction policy",
          status: "warn",
          detail: `maxmemory-policy is ${facts.maxmemoryPolicy || "unknown"}: evicted mappings mean answers that cannot be restored`,
          fix: "set `maxmemory-policy noeviction` in redis.conf (or CONFIG SET maxmemory-policy noeviction)",
        },
  );
  results.push(
    facts.aof || facts.rdb
      ? { name: "redis persistence", status: "pass", detail: [facts.aof && "AOF", facts.rdb && "RDB"].filter(Boolean).join(" + ") }
      : {
          name: "redis persistence",
          status: "warn",
          detail: "neither AOF nor RDB is enabled: a Redis restart forgets every mapping",
          fix: "enable `appendonly yes` (or a `save` schedule) in redis.conf",
        },
  );
  return results;
}

/** Masks a random value under a private tenant, reads it back; the short TTL deletes it. */
async function roundTrip(store: Awaited<ReturnType<typeof openStore>>): Promise<CheckResult> {
  const name = "store round trip";
  const tenant = `verify-setup-${randomBytes(6).toString("hex")}`;
  const original = randomBytes(16).toString("hex");
  const [surrogate] = await store.inner.getOrCreate(tenant, [{ type: "verify", prefix: "VERIFY", original }]);
  const [back] = await store.inner.lookup(tenant, [surrogate!]);
  if (back !== original) return { name, status: "fail", detail: "wrote a mapping but could not read it back", fix: "check that all instances share the same MASKING_SECRET and store" };
  return { name, status: "pass", detail: "write + read OK (the test mapping expires within a minute)" };
}
