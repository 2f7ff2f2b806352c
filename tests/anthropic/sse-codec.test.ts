import { expect, test } from "bun:test";
import { SseDecoder } from "../../src/anthropic/sse-codec.ts";

const STREAM =
  'event: message_start\ndata: {"type":"message_start"}\n\n' +
  ": keep-alive comment\r\n\r\n" +
  'event: content_block_delta\r\ndata: {"type":"content_block_delta","delta":{"text":"안녕 AWS_EC2_001 €"}}\r\n\r\n' +
  "event: multi\ndata: line one\ndata: line two\n\n" +
  "data: no event name\r\r";

const bytes = new TextEncoder().encode(STREAM);

function decodeWithSplits(points: number[]) {
  const decoder = new SseDecoder();
  const events = [];
  let last = 0;
  for (const point of [...points, bytes.length]) {
    events.push(...decoder.push(bytes.subarray(last, point)));
    last = point;
  }
  const { events: tail, incomplete } = decoder.end();
  return { events: [...events, ...tail], incomplete };
}

const expected = [
  { event: "message_start", data: '{"type":"message_start"}' },
  { event: "message", data: "" },
  { event: "content_block_delta", data: '{"type":"content_block_delta","delta":{"text":"안녕 AWS_EC2_001 €"}}' },
  { event: "multi", data: "line one\nline two" },
  { event: "message", data: "no event name" },
];

test("every single split point gives the same events, and raw text concatenates back to the input", () => {
  for (let point = 0; point <= bytes.length; point++) {
    const { events, incomplete } = decodeWithSplits([point]);
    expect(events.map(({ event, data }) => ({ event, data }))).toEqual(expected);
    expect(events.map((event) => event.raw).join("")).toBe(STREAM);
    expect(incomplete).toBe("");
  }
});

test("byte-at-a-time delivery gives the same events", () => {
  const { events } = decodeWithSplits(Array.from({ length: bytes.length }, (_, i) => i));
  expect(events.map(({ event, data }) => ({ event, data }))).toEqual(expected);
});

test("a stream cut mid-event reports the incomplete tail instead of inventing an event", () => {
  const cut = new TextEncoder().encode('event: message_start\ndata: {"type":"message_start"}\n\nevent: content_block_delta\ndata: {"ty');
  const decoder = new SseDecoder();
  expect(decoder.push(cut).map((e) => e.event)).toEqual(["message_start"]);
  expect(decoder.end()).toEqual({ events: [], incomplete: 'event: content_block_delta\ndata: {"ty' });
});
