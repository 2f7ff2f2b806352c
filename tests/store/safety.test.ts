/**
 * What the store must never get wrong: racing processes, originals in clear, mappings lost
 * to a crash, and answering while its backend is down.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { openStore } from "../../src/store/index.ts";
import { StoreUnavailableError } from "../../src/store/types.ts";
import { ROOT, tempDir } from "../helpers/proxy-process.ts";
import { startRedis, type TestRedis } from "../helpers/redis.ts";

const SECRET = "safety-secret-0123456789abcdef012345";
const started: TestRedis[] = [];
afterAll(async () => {
  for (const redis of started) await redis.stop().catch(() => {});
});
async function redis(options: Parameters<typeof startRedis>[0] = {}) {
  const server = await startRedis(options);
  started.push(server);
  return server;
}

function worker(url: string, tenant: string, prefix: string, count: number, batch: number, concurrency: number, seed: number) {
  return Bun.spawn(["bun", join(ROOT, "tests/store/worker.ts"), url, SECRET, tenant, prefix, String(count), String(batch), String(concurrency), String(seed)], {
    stdout: "pipe",
    stderr: "pipe",
  });
}
const parseLines = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, string>);

describe("race", () => {
  test("two processes × 8 concurrent lanes on overlapping sets of 200 originals agree on every surrogate, with no gaps", async () => {
    const server = await redis();
    const outputs = await Promise.all(
      [1, 2].map(async (seed) => {
        const proc = worker(server.url, "race", "orig", 200, 7, 8, seed);
        const text = await new Response(proc.stdout).text();
        expect(await proc.exited).toBe(0);
        return parseLines(text);
      }),
    );
    const seen = new Map<string, string>();
    for (const batch of outputs.flat()) {
      for (const [original, surrogate] of Object.entries(batch)) {
        if (seen.has(original)) expect(surrogate).toBe(seen.get(original)!);
        seen.set(original, surrogate);
      }
    }
    expect(seen.size).toBe(200);
    const numbers = [...seen.values()].map((surrogate) => Number(surrogate.replace("AWS_TEST_", ""))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1)); // unique and gap-free
  }, 60_000);
});

describe("nothing in clear", () => {
  const originals = ["i-0cleartext0000001", "AKIACLEARTEXTEXAMPL", "arn:aws:iam::111122223333:role/clear", "p@ssw0rd-clear-text"];
  const items = originals.map((original) => ({ type: "t", prefix: "AWS_CLEAR", original }));

  test("Redis: no key and no value holds an original", async () => {
    const server = await redis();
    const store = await openStore({ url: server.url, secret: SECRET, ttlMs: 60_000 });
    await store.getOrCreate("clear-tenant", items);
    await store.close();
    const keys = (await server.cli("--scan")).split("\n").filter(Boolean);
    expect(keys.length).toBe(items.length * 2 + 2); // both directions + one counter + the change feed
    let dump = keys.join("\n");
    for (const key of keys) {
      const type = await server.cli("TYPE", key);
      const value = type === "string" ? await server.cli("GET", key) : type === "list" ? await server.cli("LRANGE", key, "0", "-1") : await server.cli("DUMP", key);
      dump += `\n${type}\n${value}`;
    }
    expect(dump).toContain("list\nAWS_CLEAR_001\nAWS_CLEAR_002"); // the feed holds surrogates only
    for (const original of [...originals, "clear-tenant"]) expect(dump).not.toContain(original);
    expect(dump).toContain("AWS_CLEAR_001"); // surrogates are not secret
  });

  test("SQLite: neither the database nor its WAL holds an original", async () => {
    const dir = tempDir();
    const store = await openStore({ url: `sqlite://${dir}/clear.db`, secret: SECRET, ttlMs: 60_000 });
    await store.getOrCreate("clear-tenant", items);
    const bytes = readdirSync(dir)
      .map((file) => readFileSync(join(dir, file)).toString("latin1"))
      .join("");
    await store.close();
    expect(bytes).toContain("AWS_CLEAR_004");
    for (const original of originals) expect(bytes).not.toContain(original);
  });
});

describe("persistence after kill -9", () => {
  async function killMidway(url: string) {
    const proc = worker(url, "crash", "persist", 5_000, 10, 1, 3);
    const reported: Record<string, string>[] = [];
    let buffer = "";
    const decoder = new TextDecoder();
    for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      reported.push(...lines.filter(Boolean).map((line) => JSON.parse(line)));
      if (reported.length >= 20) {
        proc.kill("SIGKILL");
        break;
      }
    }
    await proc.exited;
    expect(proc.signalCode).toBe("SIGKILL");
    return Object.assign({}, ...reported) as Record<string, string>;
  }

  async function expectAllThere(url: string, mappings: Record<string, string>) {
    const store = await openStore({ url, secret: SECRET, ttlMs: 3_600_000 });
    const surrogates = Object.values(mappings);
    expect(await store.lookup("crash", surrogates)).toEqual(Object.keys(mappings));
    await store.close();
  }

  test("SQLite keeps every mapping the writer reported", async () => {
    const url = `sqlite://${tempDir()}/crash.db`;
    const mappings = await killMidway(url);
    expect(Object.keys(mappings).length).toBeGreaterThanOrEqual(200);
    await expectAllThere(url, mappings);
  }, 60_000);

  test("Redis with AOF keeps every mapping the writer reported, across a Redis crash too", async () => {
    const server = await redis({ appendonly: true });
    const mappings = await killMidway(server.url);
    await server.stop("SIGKILL");
    await server.restart();
    await expectAllThere(server.url, mappings);
  }, 60_000);
});

describe("fail closed", () => {
  test("with Redis down calls reject fast with StoreUnavailableError; the same store recovers when it is back", async () => {
    const server = await redis();
    const store = await openStore({ url: server.url, secret: SECRET, ttlMs: 60_000 });
    expect(await store.getOrCreate("fc", [{ type: "t", prefix: "AWS_FC", original: "before" }])).toEqual(["AWS_FC_001"]);
    await server.stop();
    const down = await store.getOrCreate("fc", [{ type: "t", prefix: "AWS_FC", original: "during" }]).catch((error) => error);
    expect(down).toBeInstanceOf(StoreUnavailableError);
    expect(await store.lookup("fc", ["AWS_FC_009"]).catch((error) => error)).toBeInstanceOf(StoreUnavailableError);
    await server.restart();
    let after: string[] | undefined;
    for (let i = 0; i < 100 && !after; i++) {
      after = await store.getOrCreate("fc", [{ type: "t", prefix: "AWS_FC", original: "after" }]).catch(() => undefined);
      if (!after) await Bun.sleep(100);
    }
    expect(after).toEqual(["AWS_FC_001"]); // a fresh Redis without persistence starts over
    await store.close();
  }, 30_000);
});
