/** Redis stops during a run of requests: each request succeeds fully or gets 503; nothing leaks. */
import { afterAll, expect, test } from "bun:test";
import { respond, startScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { startRedis } from "../helpers/redis.ts";
import { startTestProxy } from "../helpers/test-proxy.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test("store down → 503 in Anthropic shape and nothing forwarded; store back → requests succeed without a restart", async () => {
  const redis = await startRedis();
  cleanups.push(() => redis.stop().catch(() => {}));
  const upstream = await startScriptedUpstream();
  cleanups.push(() => upstream.stop());
  const proxy = await startTestProxy({ upstreamUrl: upstream.url, env: { STORE_URL: redis.url, MASKING_SECRET: "m".repeat(40) } });
  cleanups.push(() => proxy.stop());

  const send = (i: number) =>
    fetch(`${proxy.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": proxy.key, "content-type": "application/json" },
      body: JSON.stringify({ model: "m", max_tokens: 5, messages: [{ role: "user", content: `check i-0aaaaaaaaaaaa${String(i).padStart(4, "0")}` }] }),
    });
  const originals: string[] = [];
  const statuses: number[] = [];
  for (let i = 0; i < 60; i++) {
    if (i === 20) await redis.stop();
    originals.push(`i-0aaaaaaaaaaaa${String(i).padStart(4, "0")}`);
    upstream.script(respond.message({ content: [{ type: "text", text: "ok" }] }));
    const response = await send(i);
    statuses.push(response.status);
    const body = (await response.json()) as any;
    if (response.status === 503) {
      expect(body).toEqual({
        type: "error",
        error: {
          type: "api_error",
          message: "The mapping store is unavailable, so the request was not forwarded (nothing leaves unmasked). Retry shortly; operators: run `proxy verify-setup`.",
        },
      });
      expect((await fetch(`${proxy.url}/health/ready`)).status).toBe(503);
    } else {
      expect(response.status).toBe(200);
      expect(body.content).toEqual([{ type: "text", text: "ok" }]);
    }
  }
  expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
  expect(statuses.slice(20).every((status) => status === 503)).toBe(true);
  expect(upstream.requests.length).toBe(20);
  const seen = upstream.requests.map((request) => request.bodyText).join("\n");
  for (const original of originals) expect(seen).not.toContain(original);

  await redis.restart();
  let recovered = 0;
  for (let i = 0; i < 50 && recovered !== 200; i++) {
    upstream.script(respond.message({ content: [{ type: "text", text: "ok" }] }));
    recovered = (await send(1000 + i)).status;
    if (recovered !== 200) await Bun.sleep(100);
  }
  expect(recovered).toBe(200);
  expect((await fetch(`${proxy.url}/health/ready`)).status).toBe(200);
}, 60_000);
