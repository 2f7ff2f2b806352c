/**
 * restoreSseStream on its own: a whole answer that arrives in one upstream read is handed to
 * the client in several smaller pieces (the first bytes need not wait for the last event),
 * byte for byte the same once joined, and text deltas are restored on the fast path too.
 */
import { describe, expect, test } from "bun:test";
import { restoreSseStream } from "../../src/proxy/sse-restore.ts";
import { StreamMemoryPolicy } from "../../src/proxy/stream-memory.ts";
import { surrogateSyntax } from "../../src/masking/stream-restorer.ts";
import { encodeSse, messageEvents } from "../fixtures/sse-builder.ts";

const syntax = surrogateSyntax(["AWS"]);
const resolve = async (surrogates: string[]) => new Map(surrogates.filter((s) => s === "AWS_EC2_001").map((s) => [s, "i-0a1b2c3d4e5f67890"]));

async function readAll(stream: ReadableStream<Uint8Array>) {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of stream) chunks.push(decoder.decode(chunk, { stream: true }));
  return chunks;
}

describe("restoreSseStream", () => {
  test("one large upstream read goes out in several pieces that join to the restored stream", async () => {
    const words = Array.from({ length: 1500 }, (_, i) => (i % 30 === 0 ? "AWS_EC2_001 " : "word "));
    const upstream = encodeSse(messageEvents({ content: [{ type: "text", text: words.join("") }] }, { textChunk: 6 }));
    const expected = encodeSse(messageEvents({ content: [{ type: "text", text: words.join("").replaceAll("AWS_EC2_001", "i-0a1b2c3d4e5f67890") }] }, { textChunk: 6 }));
    const oneRead = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(upstream));
        controller.close();
      },
    });
    const chunks = await readAll(restoreSseStream(oneRead, { syntax, resolve, memory: new StreamMemoryPolicy(), abort: () => {} }));
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks[0]!.length).toBeLessThan(upstream.length / 3);
    // Event by event the same events; the restored text reads the same once the deltas are joined.
    const textOf = (sse: string) =>
      sse
        .split("\n\n")
        .filter((event) => event.includes('"text_delta"'))
        .map((event) => JSON.parse(event.slice(event.indexOf("data: ") + 6)).delta.text)
        .join("");
    const joined = chunks.join("");
    expect(textOf(joined)).toBe(textOf(expected));
    expect(joined).not.toContain("AWS_EC2_001");
    expect(joined.split("\n\n").filter((event) => !event.includes("content_block_delta"))).toEqual(expected.split("\n\n").filter((event) => !event.includes("content_block_delta")));
  });
});
