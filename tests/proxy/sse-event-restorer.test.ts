/**
 * One event at a time: what the client gets for each event the upstream sends. Surrogates of
 * the tenant are restored in every place the model can write them; nothing else changes.
 */
import { describe, expect, test } from "bun:test";
import { encodeEvent, parseEvent } from "../../src/anthropic/sse-codec.ts";
import { surrogateSyntax } from "../../src/masking/stream-restorer.ts";
import { SseEventRestorer } from "../../src/proxy/sse-event-restorer.ts";

const INSTANCE = "i-0a1b2c3d4e5f67890";
const syntax = surrogateSyntax(["AWS"]);
const resolve = async (surrogates: string[]) => new Map(surrogates.filter((s) => s === "AWS_EC2_001").map((s) => [s, INSTANCE]));
const event = (name: string, data: unknown) => parseEvent(encodeEvent(name, data));

async function restoreAll(events: [string, unknown][]) {
  const restorer = new SseEventRestorer({ syntax, resolve });
  let out = "";
  for (const [name, data] of events) out += await restorer.restore(event(name, data));
  return { out, restorer };
}

const dataOf = (out: string) =>
  out
    .split("\n\n")
    .filter(Boolean)
    .map((raw) => JSON.parse(parseEvent(`${raw}\n\n`).data));

describe("SseEventRestorer", () => {
  test("citations_delta: the cited text is restored", async () => {
    const { out } = await restoreAll([
      ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: { type: "char_location", cited_text: "host AWS_EC2_001", document_index: 0, document_title: "runbook" } } }],
    ]);
    expect(dataOf(out)[1]).toEqual({ type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: { type: "char_location", cited_text: `host ${INSTANCE}`, document_index: 0, document_title: "runbook" } } });
  });

  test("a streamed mcp_tool_use: its partial_json is restored, JSON-escaped where needed", async () => {
    const { out } = await restoreAll([
      ["content_block_start", { type: "content_block_start", index: 1, content_block: { type: "mcp_tool_use", id: "mcptoolu_1", name: "describe", server_name: "aws", input: {} } }],
      ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"id": "AWS_EC' } }],
      ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '2_001"}' } }],
      ["content_block_stop", { type: "content_block_stop", index: 1 }],
    ]);
    const deltas = dataOf(out).filter((data) => data.type === "content_block_delta");
    expect(deltas.map((data) => data.delta.partial_json).join("")).toBe(`{"id": "${INSTANCE}"}`);
  });

  test("a block that arrives whole in content_block_start is restored at once", async () => {
    const { out } = await restoreAll([
      ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "mcp_tool_result", tool_use_id: "mcptoolu_1", content: [{ type: "text", text: "AWS_EC2_001 is up" }] } }],
    ]);
    expect(dataOf(out)[0].content_block.content[0].text).toBe(`${INSTANCE} is up`);
  });

  test("the held tail of a text block is flushed as its own delta just before content_block_stop", async () => {
    const { out } = await restoreAll([
      ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "see AWS_EC2_00" } }],
      ["content_block_stop", { type: "content_block_stop", index: 0 }],
    ]);
    expect(dataOf(out)).toEqual([
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "see " } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "AWS_EC2_00" } },
      { type: "content_block_stop", index: 0 },
    ]);
  });

  test("events with nothing to restore leave byte for byte; ended is set by message_stop or error", async () => {
    const ping = encodeEvent("ping", { type: "ping" });
    const restorer = new SseEventRestorer({ syntax, resolve });
    expect(await restorer.restore(parseEvent(ping))).toBe(ping);
    expect(restorer.ended).toBe(false);
    await restorer.restore(event("message_stop", { type: "message_stop" }));
    expect(restorer.ended).toBe(true);
    const other = new SseEventRestorer({ syntax, resolve });
    await other.restore(event("error", { type: "error", error: { type: "overloaded_error", message: "x" } }));
    expect([other.ended, other.sawErrorEvent]).toEqual([true, true]);
  });

  test("a finished thinking block reports its upstream and restored text once", async () => {
    const seen: [string, string][] = [];
    const restorer = new SseEventRestorer({ syntax, resolve, onThinking: (upstream, restored) => seen.push([upstream, restored]) });
    await restorer.restore(event("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } }));
    await restorer.restore(event("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "check AWS_EC2_001" } }));
    await restorer.restore(event("content_block_stop", { type: "content_block_stop", index: 0 }));
    expect(seen).toEqual([["check AWS_EC2_001", `check ${INSTANCE}`]]);
  });

  describe("#9: nothing held is lost, nothing whole is left unrestored", () => {
    const start = (index: number, text = "") => ["content_block_start", { type: "content_block_start", index, content_block: { type: "text", text } }] as [string, unknown];
    const delta = (index: number, text: string) => ["content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text } }] as [string, unknown];
    const textOf = (out: string, index = 0) =>
      dataOf(out)
        .map((data) => (data.index !== index ? "" : data.type === "content_block_start" ? data.content_block.text : data.type === "content_block_delta" ? data.delta.text : ""))
        .join("");

    test("an error event's message is restored", async () => {
      const { out } = await restoreAll([["error", { type: "error", error: { type: "invalid_request_error", message: "tool AWS_EC2_001 failed" } }]]);
      expect(dataOf(out)).toEqual([{ type: "error", error: { type: "invalid_request_error", message: `tool ${INSTANCE} failed` } }]);
    });

    test("a tail held when an error event arrives is flushed before the error, restored", async () => {
      const { out } = await restoreAll([start(0), delta(0, "restart AWS_EC2_001"), ["error", { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }]]);
      expect(dataOf(out).map((data) => data.type)).toEqual(["content_block_start", "content_block_delta", "content_block_delta", "error"]);
      expect(textOf(out)).toBe(`restart ${INSTANCE}`);
    });

    test("a block never stopped: its tail is flushed before message_delta, and message_stop flushes any other", async () => {
      const { out } = await restoreAll([
        start(0),
        delta(0, "on AWS_EC2_001"),
        ["message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 3 } }],
        start(1),
        delta(1, "and AWS_EC2_001"),
        ["message_stop", { type: "message_stop" }],
      ]);
      expect(textOf(out, 0)).toBe(`on ${INSTANCE}`);
      expect(textOf(out, 1)).toBe(`and ${INSTANCE}`);
      const types = dataOf(out).map((data) => data.type);
      expect(types.indexOf("message_delta")).toBe(3);
      expect(types.at(-1)).toBe("message_stop");
    });

    test("text pre-filled in content_block_start is joined with the first delta", async () => {
      const { out } = await restoreAll([start(0, "see AWS_EC"), delta(0, "2_001 now"), ["content_block_stop", { type: "content_block_stop", index: 0 }]]);
      expect(textOf(out)).toBe(`see ${INSTANCE} now`);
      expect(dataOf(out)[0].content_block.text).toBe("see ");
    });

    test("a pre-filled whole surrogate is restored in content_block_start when what follows ends it", async () => {
      const { out } = await restoreAll([start(0, "see AWS_EC2_001 "), delta(0, "now"), ["content_block_stop", { type: "content_block_stop", index: 0 }]]);
      expect(dataOf(out)[0].content_block.text).toBe(`see ${INSTANCE} `);
      expect(textOf(out)).toBe(`see ${INSTANCE} now`);
    });

    test("pre-filled thinking is part of the signed text reported", async () => {
      const seen: [string, string][] = [];
      const restorer = new SseEventRestorer({ syntax, resolve, onThinking: (upstream, restored) => seen.push([upstream, restored]) });
      await restorer.restore(event("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "check AWS_", signature: "" } }));
      await restorer.restore(event("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "EC2_001" } }));
      await restorer.restore(event("content_block_stop", { type: "content_block_stop", index: 0 }));
      expect(seen).toEqual([["check AWS_EC2_001", `check ${INSTANCE}`]]);
    });
  });
});
