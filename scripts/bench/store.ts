/** getOrCreate latency for 50 new + 500 known originals: SQLite, Redis, and the in-process cache. */
import { openStore } from "../../src/store/index.ts";
import { tempDir } from "../../tests/helpers/proxy-process.ts";
import { startRedis } from "../../tests/helpers/redis.ts";

async function measure(url: string): Promise<{ p50: number; p99: number; cacheP50: number; roundTrips: number }> {
  const store = await openStore({ url, secret: "bench-secret-0123456789abcdef0123", ttlMs: 3_600_000 });
  const known = Array.from({ length: 500 }, (_, i) => ({ type: "t", prefix: "AWS_BENCH", original: `known-${i}` }));
  await store.inner.getOrCreate("bench", known);
  const times: number[] = [];
  for (let round = 0; round < 60; round++) {
    const fresh = Array.from({ length: 50 }, (_, i) => ({ type: "t", prefix: "AWS_BENCH", original: `new-${round}-${i}` }));
    const started = performance.now();
    await store.inner.getOrCreate("bench", [...fresh, ...known]); // the engine itself: one round trip
    times.push(performance.now() - started);
  }
  const cached: number[] = [];
  await store.getOrCreate("bench", known);
  const before = store.roundTrips;
  for (let round = 0; round < 60; round++) {
    const started = performance.now();
    await store.getOrCreate("bench", known);
    cached.push(performance.now() - started);
  }
  const roundTrips = (store.roundTrips - before) / 60;
  await store.close();
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: sorted[30]!, p99: sorted[59]!, cacheP50: [...cached].sort((a, b) => a - b)[30]!, roundTrips };
}

export async function benchStore(): Promise<string> {
  const sqlite = await measure(`sqlite://${tempDir()}/bench.db`);
  const redis = await startRedis();
  const redisResult = await measure(redis.url);
  await redis.stop();
  return [
    "| engine | round trips per call | p50 ms | p99 ms | all 550 cached: p50 ms (round trips) |",
    "|---|---|---|---|---|",
    `| SQLite (WAL) | 1 | ${sqlite.p50.toFixed(2)} | ${sqlite.p99.toFixed(2)} | ${sqlite.cacheP50.toFixed(3)} (${sqlite.roundTrips}) |`,
    `| Redis 7 (Lua script) | 1 | ${redisResult.p50.toFixed(2)} | ${redisResult.p99.toFixed(2)} | ${redisResult.cacheP50.toFixed(3)} (${redisResult.roundTrips}) |`,
  ].join("\n");
}

if (import.meta.main) console.log(await benchStore());
