/**
 * The fault suite (`bun run test:faults`, also part of the README test command): dependencies
 * that die, stall or lie, and clients that misbehave. Every test asserts what the user and
 * the upstream saw; all traffic stays on loopback and every loop is bounded.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { respond, startScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { startProxy, tempDir, type ProxyProcess } from "../helpers/proxy-process.ts";
import { startRedis, type TestRedis } from "../helpers/redis.ts";

const upstream = await startScriptedUpstream();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await upstream.stop();
});

const KEY = "faults-key-0123456789";
const SECRET = "f".repeat(40);
async function proxyOn(storeUrl: string, extra: Record<string, string> = {}): Promise<ProxyProcess> {
  const proxy = await startProxy({
    env: { DATA_DIR: tempDir(), ANTHROPIC_API_KEY: "sk-ant-test-000000000", ANTHROPIC_UPSTREAM_URL: upstream.url, PROXY_API_KEYS: `f:${KEY}`, STORE_URL: storeUrl, MASKING_SECRET: SECRET, LOG_LEVEL: "warn", ...extra },
  });
  cleanups.push(() => proxy.stop("SIGKILL"));
  return proxy;
}
async function redis(options: Parameters<typeof startRedis>[0] = {}): Promise<TestRedis> {
  const server = await startRedis(options);
  cleanups.push(() => server.stop());
  return server;
}
const instance = (i: number) => `i-0${String(i).padStart(16, "0")}`;
const post = (url: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${url}/v1/messages`, { method: "POST", headers: { "x-api-key": KEY, "content-type": "application/json" }, body: JSON.stringify(body), signal });
const message = (i: number, stream = false) => ({ model: "m", max_tokens: 5, stream, messages: [{ role: "user", content: `status of ${instance(i)}?` }] });

const STORE_DOWN = {
  type: "error",
  error: {
    type: "api_error",
    message: "The mapping store is unavailable, so the request was not forwarded (nothing leaves unmasked). Retry shortly; operators: run `claude-masking-proxy verify-setup`.",
  },
};

describe("store faults", () => {
  test("Redis killed mid-load: every request fully succeeds or gets 503, no original reaches the upstream, recovery without restart", async () => {
    upstream.reset();
    const server = await redis();
    const proxy = await proxyOn(server.url);
    let killed = false;
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 200) {
          const i = next++;
          if (i === 80 && !killed) {
            killed = true;
            await server.stop("SIGKILL");
          }
          const response = await post(proxy.url, message(i));
          const body = (await response.json()) as any;
          statuses.push(response.status);
          if (response.status === 200) expect(body.content[0].type).toBe("text");
          else expect(body).toEqual(STORE_DOWN);
        }
      }),
    );
    expect(new Set(statuses)).toEqual(new Set([200, 503]));
    // Refused requests were not forwarded at all, not merely masked.
    expect(upstream.requests.length).toBe(statuses.filter((status) => status === 200).length);
    expect((await fetch(`${proxy.url}/health/ready`)).status).toBe(503);
    const seen = upstream.requests.map((r) => r.bodyText).join("\n");
    for (let i = 0; i < 200; i++) expect(seen).not.toContain(instance(i));
    await server.restart();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await post(proxy.url, message(1000 + i))).status;
      if (status !== 200) await Bun.sleep(100);
    }
    expect(status).toBe(200);
    expect((await fetch(`${proxy.url}/health/ready`)).status).toBe(200);
  }, 60_000);

  test("proxy SIGKILLed mid-load and restarted: every surrogate handed out before still restores", async () => {
    const server = await redis({ appendonly: true });
    const first = await proxyOn(server.url);
    const masked: { surrogate: string; original: string }[] = [];
    let next = 0;
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < 400) {
          const i = next++;
          const response = await fetch(`${first.url}/v1/mask`, {
            method: "POST",
            headers: { "x-api-key": KEY, "content-type": "application/json" },
            body: JSON.stringify({ text: instance(i) }),
          }).catch(() => undefined);
          if (!response) return; // the proxy is gone
          masked.push({ surrogate: ((await response.json()) as any).text, original: instance(i) });
        }
      }),
    );
    while (masked.length < 100) await Bun.sleep(5);
    first.proc.kill("SIGKILL");
    await load;
    const second = await proxyOn(server.url);
    const restore = await fetch(`${second.url}/v1/unmask`, {
      method: "POST",
      headers: { "x-api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ text: masked.map((m) => m.surrogate).join(" ") }),
    });
    expect(((await restore.json()) as any).text).toBe(masked.map((m) => m.original).join(" "));
  }, 60_000);

  test("two proxy instances sharing one Redis agree on every surrogate", async () => {
    const server = await redis();
    const [a, b] = [await proxyOn(server.url), await proxyOn(server.url)];
    const ask = (url: string, i: number) =>
      fetch(`${url}/v1/mask`, { method: "POST", headers: { "x-api-key": KEY, "content-type": "application/json" }, body: JSON.stringify({ text: instance(i) }) }).then(
        async (r) => ((await r.json()) as any).text as string,
      );
    const fromA = await Promise.all(Array.from({ length: 100 }, (_, i) => ask(a.url, i)));
    const fromB = await Promise.all(Array.from({ length: 100 }, (_, i) => ask(b.url, 99 - i)));
    expect(fromB.reverse()).toEqual(fromA);
    expect(new Set(fromA).size).toBe(100);
  }, 60_000);
});

describe("upstream faults", () => {
  test("an upstream that stalls: the client's abort reaches it and the proxy keeps serving", async () => {
    const proxy = await proxyOn(`sqlite://${tempDir()}/s.db`);
    let aborted = 0;
    for (let i = 0; i < 5; i++) upstream.script(respond.stall(() => aborted++));
    const controllers = Array.from({ length: 5 }, () => new AbortController());
    const pending = controllers.map((c, i) => post(proxy.url, message(i, true), c.signal).catch(() => "aborted"));
    await Bun.sleep(300);
    controllers.forEach((c) => c.abort());
    expect(await Promise.all(pending)).toEqual(Array(5).fill("aborted"));
    for (let i = 0; i < 100 && aborted < 5; i++) await Bun.sleep(20);
    expect(aborted).toBe(5); // no upstream request left hanging
    upstream.script(respond.message({ content: [{ type: "text", text: "alive" }] }));
    expect(((await (await post(proxy.url, message(1))).json()) as any).content[0].text).toBe("alive");
  }, 30_000);

  test("malformed SSE from the upstream is passed on and ends with an error event", async () => {
    const proxy = await proxyOn(`sqlite://${tempDir()}/m.db`);
    upstream.script(respond.sse('event: content_block_delta\ndata: {not json\n\nevent: message_start\ndata: {"type":"message_start"'));
    const text = await (await post(proxy.url, message(1, true))).text();
    expect(text.startsWith("event: content_block_delta\ndata: {not json\n\n")).toBe(true);
    expect(text).toContain('event: error\ndata: {"type":"error","error":{"type":"api_error"');
  }, 30_000);

  test("an upstream that refuses connections → 502 every time, the proxy stays up", async () => {
    const closed = Bun.serve({ port: 0, fetch: () => new Response() });
    const port = closed.port;
    await closed.stop(true);
    const proxy = await proxyOn(`sqlite://${tempDir()}/r.db`, { ANTHROPIC_UPSTREAM_URL: `http://127.0.0.1:${port}` });
    for (let i = 0; i < 20; i++) expect((await post(proxy.url, message(i))).status).toBe(502);
    expect((await fetch(`${proxy.url}/health`)).status).toBe(200);
  }, 30_000);
});

describe("hostile clients", () => {
  test("1,000 malformed, oversized, deeply nested and invalid UTF-8 bodies: all 4xx, server alive, memory flat", async () => {
    const proxy = await proxyOn(`sqlite://${tempDir()}/h.db`, { MAX_BODY_BYTES: "256KB" });
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proxy.proc.pid}/status`, "utf8"))![1]) / 1024;
    const bodies: (string | Uint8Array)[] = [
      "{not json",
      "",
      "[]",
      '"just a string"',
      `${"[".repeat(50_000)}${"]".repeat(50_000)}`,
      JSON.stringify({ messages: [{ role: "user", content: "x".repeat(300_000) }] }),
      new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
      '{"model":"m","messages":"not an array"' ,
    ];
    const statuses = new Map<number, number>();
    const before: number[] = [];
    for (let round = 0; round < 125; round++) {
      await Promise.all(
        bodies.map(async (body) => {
          const response = await fetch(`${proxy.url}/v1/messages`, { method: "POST", headers: { "x-api-key": KEY, "content-type": "application/json" }, body });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }),
      );
      if (round === 25) before.push(rss());
    }
    const after = rss();
    expect([...statuses.keys()].every((status) => status >= 400 && status < 500)).toBe(true);
    expect([...statuses.values()].reduce((a, b) => a + b)).toBe(1000);
    expect(statuses.get(413)).toBe(125);
    expect((await fetch(`${proxy.url}/health`)).status).toBe(200);
    // Memory after 1,000 requests stays within 40 MB of what it was after the first 200.
    expect(after - before[0]!).toBeLessThan(40);
  }, 120_000);
});
