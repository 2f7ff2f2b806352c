/** Restoring a whole JSON answer: a message, an error that quotes a surrogate, or anything else. */
import { describe, expect, test } from "bun:test";
import { surrogateSyntax } from "../../src/masking/stream-restorer.ts";
import { restoreJsonAnswer } from "../../src/proxy/json-restore.ts";

const INSTANCE = "i-0a1b2c3d4e5f67890";
const options = {
  syntax: surrogateSyntax(["AWS"]),
  resolve: async (surrogates: string[]) => new Map(surrogates.filter((s) => s === "AWS_EC2_001").map((s) => [s, INSTANCE])),
};

describe("restoreJsonAnswer", () => {
  test("a message's content is restored", async () => {
    const text = JSON.stringify({ id: "msg_1", type: "message", content: [{ type: "text", text: "AWS_EC2_001 is slow" }] });
    expect(JSON.parse(await restoreJsonAnswer(text, options))).toEqual({ id: "msg_1", type: "message", content: [{ type: "text", text: `${INSTANCE} is slow` }] });
  });

  test("an error's message is restored (the upstream may quote the masked request)", async () => {
    const text = JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: "tool input AWS_EC2_001 is invalid" } });
    expect(await restoreJsonAnswer(text, options)).toBe(JSON.stringify({ type: "error", error: { type: "invalid_request_error", message: `tool input ${INSTANCE} is invalid` } }));
  });

  test("nothing to restore: the same bytes, formatting included", async () => {
    const text = '{ "type" : "message", "content": [ {"type":"text","text":"AWS_EC2_999 unknown"} ] }';
    expect(await restoreJsonAnswer(text, options)).toBe(text);
  });

  test("not JSON, or JSON that is not an object, passes as it came", async () => {
    for (const text of ["<html>502 Bad Gateway</html>", '"AWS_EC2_001"', "null"]) expect(await restoreJsonAnswer(text, options)).toBe(text);
  });

  test("thinking blocks are reported with their signed and restored text", async () => {
    const seen: [string, string][] = [];
    const text = JSON.stringify({ content: [{ type: "thinking", thinking: "about AWS_EC2_001", signature: "sig" }] });
    await restoreJsonAnswer(text, { ...options, onThinking: (signed, restored) => seen.push([signed, restored]) });
    expect(seen).toEqual([["about AWS_EC2_001", `about ${INSTANCE}`]]);
  });
});
