/**
 * Leased body buffers: reused only once returned, never while a request may still need them.
 * Reuse after the upstream call rests on fetch copying its body when called; the pin below
 * fails if a Bun upgrade changes that.
 */
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, describe, expect, test } from "bun:test";
import { BodyBuffers } from "../../../src/proxy/reuse/body-buffers.ts";
import { startScriptedUpstream } from "../../fixtures/scripted-upstream.ts";
import { startTestProxy } from "../../helpers/test-proxy.ts";

describe("body buffers", () => {
  test("a returned buffer serves the next body of its size class; one still leased never does", () => {
    const buffers = new BodyBuffers();
    const first = buffers.acquire(200_000);
    const second = buffers.acquire(200_000);
    expect(second.bytes.buffer).not.toBe(first.bytes.buffer);
    first.release();
    first.release(); // a second release must not put it in the pool twice
    const third = buffers.acquire(150_000);
    const fourth = buffers.acquire(150_000);
    expect(third.bytes.buffer).toBe(first.bytes.buffer);
    expect(fourth.bytes.buffer).not.toBe(first.bytes.buffer);
    expect(third.bytes.length).toBe(150_000);
  });

  test("small and very large bodies get buffers of their own", () => {
    const buffers = new BodyBuffers();
    const small = buffers.acquire(1_000);
    small.release();
    expect(buffers.acquire(1_000).bytes.buffer).not.toBe(small.bytes.buffer);
  });

  test("pin: fetch copies its body when called (overwriting the buffer afterwards changes nothing sent)", async () => {
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: async (request) => new Response(Buffer.from(await request.arrayBuffer()).toString()) });
    try {
      const body = Buffer.alloc(300_000, "a");
      const sent = fetch(`http://127.0.0.1:${server.port}/`, { method: "POST", body });
      body.fill("b");
      expect(await (await sent).text()).toBe("a".repeat(300_000));
    } finally {
      server.stop(true);
    }
  });
});

describe("concurrent large bodies through the proxy", async () => {
  const upstream = await startScriptedUpstream();
  const proxy = await startTestProxy({ upstreamUrl: upstream.url });
  const client = new Anthropic({ baseURL: proxy.url, apiKey: proxy.key, maxRetries: 0 });
  afterAll(async () => {
    await proxy.stop();
    await upstream.stop();
  });

  test("each upstream body is exactly its own request's, however buffers are reused", async () => {
    const filler = "log line without anything sensitive ".repeat(3_000);
    const body = (n: number, round: number) => ({
      model: "claude-x",
      max_tokens: 10,
      messages: [{ role: "user" as const, content: `request ${n} round ${round} i-0${String(n).padStart(16, "0")} ${filler.slice(n * 7)}` }],
    });
    for (let round = 0; round < 3; round++) {
      upstream.requests.length = 0;
      await Promise.all(Array.from({ length: 16 }, (_, n) => client.messages.create(body(n, round))));
      expect(upstream.requests).toHaveLength(16);
      for (const recorded of upstream.requests) {
        const n = Number(/request (\d+) round/.exec(recorded.bodyText)![1]);
        const content = recorded.json.messages[0].content as string;
        expect(content.startsWith(`request ${n} round ${round} AWS_EC2_`)).toBe(true);
        expect(content.endsWith(filler.slice(n * 7))).toBe(true);
        expect(recorded.bodyText).not.toContain(`i-0${String(n).padStart(16, "0")}`);
      }
    }
  });
});
