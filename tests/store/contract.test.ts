/**
 * One contract, three engines: embedded SQLite, Redis, and a 3-master Redis Cluster, each a
 * real server started by the test on free loopback ports.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openStore } from "../../src/store/index.ts";
import type { MappingStore } from "../../src/store/types.ts";
import { tempDir } from "../helpers/proxy-process.ts";
import { startRedis, startRedisCluster } from "../helpers/redis.ts";

const SECRET = "contract-secret-0123456789abcdef0123";
type Open = (options?: { ttlMs?: number; secret?: string }) => Promise<MappingStore>;

const engines: { name: string; setup(): Promise<{ open: Open; stop(): Promise<void> }> }[] = [
  {
    name: "sqlite",
    async setup() {
      const path = `${tempDir()}/contract.db`;
      return { open: (o = {}) => openStore({ url: `sqlite://${path}`, secret: o.secret ?? SECRET, ttlMs: o.ttlMs ?? 3_600_000 }), stop: async () => {} };
    },
  },
  {
    name: "redis",
    async setup() {
      const redis = await startRedis();
      return { open: (o = {}) => openStore({ url: redis.url, secret: o.secret ?? SECRET, ttlMs: o.ttlMs ?? 3_600_000 }), stop: () => redis.stop() };
    },
  },
  {
    name: "redis-cluster",
    async setup() {
      const cluster = await startRedisCluster();
      return { open: (o = {}) => openStore({ url: cluster.url, secret: o.secret ?? SECRET, ttlMs: o.ttlMs ?? 3_600_000 }), stop: () => cluster.stop() };
    },
  },
];

const item = (original: string, prefix = "AWS_EC2") => ({ type: "ec2_instance", prefix, original });

for (const engine of engines) {
  describe(`${engine.name} store`, () => {
    let env: Awaited<ReturnType<(typeof engine)["setup"]>>;
    let store: MappingStore;
    const opened: MappingStore[] = [];
    const open: Open = async (options) => {
      const s = await env.open(options);
      opened.push(s);
      return s;
    };
    beforeAll(async () => {
      env = await engine.setup();
      store = await open();
    }, 30_000);
    afterAll(async () => {
      for (const s of opened) await s.close();
      await env.stop();
    });

    test("numbers from 001 per tenant and prefix; the same original keeps its surrogate", async () => {
      expect(await store.getOrCreate("t-number", [item("i-a"), item("i-b"), item("vol-a", "AWS_EBS_VOLUME"), item("i-a")])).toEqual([
        "AWS_EC2_001",
        "AWS_EC2_002",
        "AWS_EBS_VOLUME_001",
        "AWS_EC2_001",
      ]);
      expect(await store.getOrCreate("t-number", [item("i-b"), item("i-c")])).toEqual(["AWS_EC2_002", "AWS_EC2_003"]);
    });

    test("a second instance on the same backing store agrees", async () => {
      const second = await open();
      expect(await second.getOrCreate("t-number", [item("i-c"), item("i-a"), item("i-d")])).toEqual(["AWS_EC2_003", "AWS_EC2_001", "AWS_EC2_004"]);
      expect(await second.lookup("t-number", ["AWS_EC2_002", "AWS_EBS_VOLUME_001"])).toEqual(["i-b", "vol-a"]);
    });

    test("counters pass 999 without losing the padding rule", async () => {
      const many = Array.from({ length: 1001 }, (_, i) => item(`i-many-${i}`));
      const surrogates = await store.getOrCreate("t-many", many);
      expect(surrogates[0]).toBe("AWS_EC2_001");
      expect(surrogates[998]).toBe("AWS_EC2_999");
      expect(surrogates[999]).toBe("AWS_EC2_1000");
      expect(new Set(surrogates).size).toBe(1001);
      expect(await store.lookup("t-many", ["AWS_EC2_1001", "AWS_EC2_1002"])).toEqual(["i-many-1000", undefined]);
    });

    test("unknown surrogates are undefined; tenants never see each other's mappings", async () => {
      expect(await store.getOrCreate("tenant-a", [item("i-shared"), item("i-only-a")])).toEqual(["AWS_EC2_001", "AWS_EC2_002"]);
      expect(await store.getOrCreate("tenant-b", [item("i-only-b"), item("i-shared")])).toEqual(["AWS_EC2_001", "AWS_EC2_002"]);
      expect(await store.lookup("tenant-b", ["AWS_EC2_001", "AWS_EC2_002", "AWS_EC2_003"])).toEqual(["i-only-b", "i-shared", undefined]);
      expect(await store.lookup("tenant-c", ["AWS_EC2_001"])).toEqual([undefined]);
    });

    test("a store opened with another MASKING_SECRET cannot read the mappings", async () => {
      const other = await open({ secret: "another-secret-0123456789abcdef0123" });
      expect(await other.lookup("tenant-a", ["AWS_EC2_001"])).toEqual([undefined]);
      // and its lookup keys differ, so it numbers afresh rather than finding the old mapping
      expect(await other.getOrCreate("tenant-a", [item("i-shared")])).toEqual(["AWS_EC2_003"]);
    });

    test("the change feed: every mapping of the tenant once, in creation order, paged, across instances, never another tenant's", async () => {
      await store.getOrCreate("t-feed", [item("i-feed-1"), item("i-feed-2")]);
      await store.getOrCreate("t-feed-other", [item("i-elsewhere")]);
      const first = await store.changesSince("t-feed", 0, 1);
      expect(first.entries).toEqual([{ surrogate: "AWS_EC2_001", original: "i-feed-1" }]);
      const second = await open(); // another process on the same store creates one
      await second.getOrCreate("t-feed", [item("i-feed-1"), item("i-feed-3")]);
      const rest = await store.changesSince("t-feed", first.cursor, 100);
      expect(rest.entries).toEqual([
        { surrogate: "AWS_EC2_002", original: "i-feed-2" },
        { surrogate: "AWS_EC2_003", original: "i-feed-3" },
      ]);
      expect(first.complete).toBe(false);
      expect(rest.complete).toBe(true);
      expect(await store.changesSince("t-feed", rest.cursor, 100)).toEqual({ entries: [], cursor: rest.cursor, complete: true });
      expect((await store.changesSince("t-feed-other", 0, 100)).entries).toEqual([{ surrogate: "AWS_EC2_001", original: "i-elsewhere" }]);
      // Another masking secret reads nothing.
      const other = await open({ secret: "another-secret-0123456789abcdef0123" });
      expect((await other.changesSince("t-feed", 0, 100)).entries).toEqual([]);
    });

    test("mappings expire after MAPPING_TTL idle, use extends them, numbers are never reused", async () => {
      const short = await open({ ttlMs: 1_500 });
      expect(await short.getOrCreate("t-ttl", [item("i-kept"), item("i-idle")])).toEqual(["AWS_EC2_001", "AWS_EC2_002"]);
      await Bun.sleep(1_000);
      expect(await short.lookup("t-ttl", ["AWS_EC2_001"])).toEqual(["i-kept"]); // a use past half-life extends it
      await Bun.sleep(900);
      expect(await short.lookup("t-ttl", ["AWS_EC2_001", "AWS_EC2_002"])).toEqual(["i-kept", undefined]);
      expect(await short.getOrCreate("t-ttl", [item("i-idle")])).toEqual(["AWS_EC2_003"]);
      // The feed skips what expired and lists the new mapping.
      expect((await short.changesSince("t-ttl", 0, 100)).entries).toEqual([
        { surrogate: "AWS_EC2_001", original: "i-kept" },
        { surrogate: "AWS_EC2_003", original: "i-idle" },
      ]);
    });
  });
}
