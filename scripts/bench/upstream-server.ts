/**
 * The benchmark's upstream and plain pass-through proxy, in their own process so they do not
 * share a core with the client or with the proxy under test. Answers every /v1/messages at
 * once: a small JSON message, or (stream: true) a 2,000-delta stream whose text carries
 * surrogates split across delta boundaries. Prints its URLs as one JSON line.
 */
import { encodeSse, messageEvents } from "../../tests/fixtures/sse-builder.ts";
import { startPassthrough } from "./passthrough.ts";

const words = Array.from({ length: 2000 }, (_, i) => (i % 25 === 0 ? "AWS_EC2_001 " : "token "));
const streamText = encodeSse(messageEvents({ content: [{ type: "text", text: words.join("") }] }, { textChunk: 6 }));
const json = JSON.stringify({
  id: "msg_bench",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5",
  content: [{ type: "text", text: "The instance AWS_EC2_001 is healthy." }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 10 },
});
const encoder = new TextEncoder();
const streamBytes = encoder.encode(streamText);

const upstream = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  idleTimeout: 120,
  async fetch(request) {
    const body = await request.text();
    if (body.includes('"stream":true')) {
      // Deliver in ~64 writes so the proxy sees many chunks, like a real stream.
      const size = Math.ceil(streamBytes.length / 64);
      let offset = 0;
      return new Response(
        new ReadableStream({
          pull(controller) {
            if (offset >= streamBytes.length) return controller.close();
            controller.enqueue(streamBytes.subarray(offset, offset + size));
            offset += size;
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    }
    return new Response(json, { headers: { "content-type": "application/json" } });
  },
});
const passthrough = startPassthrough(`http://127.0.0.1:${upstream.port}`);
console.log(JSON.stringify({ upstream: `http://127.0.0.1:${upstream.port}`, passthrough: `http://127.0.0.1:${passthrough.port}` }));
