/** Bedrock's wire format for Claude Code in Bedrock mode: request bodies in, event streams out. */
import { describe, expect, test } from "bun:test";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { anthropicBodyFromBedrock, sseToEventStream } from "../../src/anthropic/bedrock-wire.ts";
import { ProxyError } from "../../src/errors.ts";
import { encodeSse, messageEvents, seededRandom, splitBytes } from "../fixtures/sse-builder.ts";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Every frame of an event stream, as the AWS SDK's codec reads it. */
function decodeFrames(bytes: Uint8Array) {
  const frames = [];
  for (let at = 0; at < bytes.length; ) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
    frames.push(codec.decode(bytes.subarray(at, at + length)));
    at += length;
  }
  return frames;
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe("sseToEventStream", () => {
  test("each SSE event, however the SSE bytes were split, becomes one chunk frame carrying its JSON", async () => {
    const events = messageEvents({ content: [{ type: "text", text: "Masked AWS_EC2_001 restored as i-0a1b2c3d4e5f67890 — 한글 too." }] });
    const sse = new TextEncoder().encode(encodeSse(events));
    const random = seededRandom(11);
    const pieces = splitBytes(sse, Array.from({ length: 40 }, () => Math.floor(random() * sse.length)));
    const frames = decodeFrames(await collect(sseToEventStream(new ReadableStream({ start: (c) => (pieces.forEach((p) => c.enqueue(p)), c.close()) }))));
    expect(frames.map((frame) => [frame.headers[":message-type"]?.value, frame.headers[":event-type"]?.value])).toEqual(events.map(() => ["event", "chunk"]));
    const carried = frames.map((frame) => JSON.parse(Buffer.from(JSON.parse(toUtf8(frame.body)).bytes, "base64").toString("utf8")));
    expect(carried).toEqual(events.map((event) => event.data));
  });

  test("an error event becomes an exception frame with its message (Claude Code then retries through /invoke)", async () => {
    const sse = 'event: message_start\ndata: {"type":"message_start"}\n\nevent: error\ndata: {"type":"error","error":{"type":"api_error","message":"upstream cut"}}\n\n';
    const frames = decodeFrames(await collect(sseToEventStream(new Response(sse).body!)));
    expect(frames.length).toBe(2);
    expect(frames[1]!.headers[":message-type"]?.value).toBe("exception");
    expect(frames[1]!.headers[":exception-type"]?.value).toBe("internalServerException");
    expect(JSON.parse(toUtf8(frames[1]!.body))).toEqual({ message: "upstream cut" });
  });
});

describe("anthropicBodyFromBedrock", () => {
  test("model from the path, stream from the route, anthropic_version dropped, anthropic_beta returned as betas", () => {
    const text = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", anthropic_beta: ["interleaved-thinking-2025-05-14"], max_tokens: 5, messages: [{ role: "user", content: "hi" }], model: "ignored", stream: false });
    expect(anthropicBodyFromBedrock(text, "claude-opus-5-5", true)).toEqual({
      body: { model: "claude-opus-5-5", max_tokens: 5, messages: [{ role: "user", content: "hi" }], stream: true },
      betas: ["interleaved-thinking-2025-05-14"],
    });
    expect(anthropicBodyFromBedrock('{"messages":[]}', "m", false)).toEqual({ body: { model: "m", messages: [] }, betas: [] });
  });

  test.each([
    ["{not json", "Invalid request: the body is not JSON."],
    ["[1,2]", "Invalid request: the body must be a JSON object."],
    ['{"anthropic_beta":"one"}', "Invalid request: anthropic_beta must be an array of strings."],
  ])("%s → 400", (text, message) => {
    expect(() => anthropicBodyFromBedrock(text, "m", false)).toThrow(new ProxyError(400, "invalid_request_error", message));
  });
});
