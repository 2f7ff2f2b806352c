/** Writing a masked body from its pieces: exactly the bytes JSON.stringify gives for the parsed body. */
import { describe, expect, test } from "bun:test";
import { assembleBody } from "../../../src/proxy/reuse/assemble-body.ts";
import { BodyBuffers } from "../../../src/proxy/reuse/body-buffers.ts";
import { splitRequestBody } from "../../../src/proxy/reuse/json-segments.ts";
import type { MaskedPiece } from "../../../src/proxy/reuse/pieces.ts";

/** The pieces of a compact body, each "masked" as its own raw JSON. */
function piecesOf(text: string): MaskedPiece[] {
  return splitRequestBody(text)!.map((raw) => ({
    key: raw.key,
    element: raw.element,
    first: raw.first,
    masked: Buffer.from(text.slice(raw.start, raw.end)),
    entities: [],
    maskedAt: 0,
    verified: new Set(),
  }));
}

describe("assembleBody", () => {
  test.each([
    ["members only", { model: "m", max_tokens: 5, stream: true }],
    ["messages in the middle", { model: "m", messages: [{ role: "user", content: "a" }, { role: "assistant", content: [{ type: "text", text: "b" }] }], max_tokens: 5 }],
    ["messages first", { messages: [{ role: "user", content: "a" }], system: "s" }],
    ["messages last", { system: "s", messages: [{ role: "user", content: "a" }, { role: "user", content: "c" }] }],
    ["an empty messages array is a member", { model: "m", messages: [] }],
    ["keys that need escaping", { 'we"ird\\key': 1, "ключ": "значение" }],
    ["the empty object", {}],
  ])("%s → the bytes JSON.stringify writes", (_name, body) => {
    const text = JSON.stringify(body);
    const { lease, keys } = assembleBody(piecesOf(text), new BodyBuffers());
    expect(lease.bytes.toString()).toBe(text);
    expect(keys).toBe(Object.keys(body).join("\0"));
  });

  test("each placed piece's offset is where its masked bytes sit in the body", () => {
    const text = JSON.stringify({ model: "m", messages: [{ role: "user", content: "a" }, { role: "user", content: "b" }], tools: [] });
    const pieces = piecesOf(text);
    const { lease, placed } = assembleBody(pieces, new BodyBuffers());
    expect(placed.map(({ piece }) => piece)).toEqual(pieces);
    for (const { offset, piece } of placed) expect(lease.bytes.subarray(offset, offset + piece.masked.length).toString()).toBe(piece.masked.toString());
  });

  test("masked pieces of other lengths than the raw ones shift what follows", () => {
    const pieces = piecesOf(JSON.stringify({ system: "i-0a1b2c3d4e5f67890", max_tokens: 5 }));
    pieces[0]!.masked = Buffer.from('"AWS_EC2_001"');
    expect(assembleBody(pieces, new BodyBuffers()).lease.bytes.toString()).toBe('{"system":"AWS_EC2_001","max_tokens":5}');
  });
});
