/**
 * Restores an upstream Messages SSE stream for the client. Events are parsed and re-emitted
 * one for one, in order; an event whose content did not change is re-emitted byte for byte.
 * Per content block, text/thinking/partial_json deltas go through a StreamingRestorer; a tail
 * still held at `content_block_stop` is flushed as one extra delta just before the stop.
 * A stream that breaks or ends without `message_stop` ends with an SSE `error` event, because
 * clients take a clean EOF for success.
 */
import { blockSlots, type Slot } from "./content-walker.ts";
import { SseDecoder, encodeEvent, type SseEvent } from "./sse-decoder.ts";
import { StreamingRestorer, restoreText, type ResolveSurrogates, type SurrogateSyntax } from "../masking/stream-restorer.ts";

type Json = Record<string, any>;

/** The delta field each block type streams, and whether its text is JSON. */
const DELTA_FIELD: Record<string, { delta: string; field: string; json: boolean }> = {
  text_delta: { delta: "text_delta", field: "text", json: false },
  thinking_delta: { delta: "thinking_delta", field: "thinking", json: false },
  input_json_delta: { delta: "input_json_delta", field: "partial_json", json: true },
};
const BLOCK_DELTA: Record<string, string> = {
  text: "text_delta",
  thinking: "thinking_delta",
  tool_use: "input_json_delta",
  server_tool_use: "input_json_delta",
  mcp_tool_use: "input_json_delta",
};

export interface SseRestoreOptions {
  syntax: SurrogateSyntax;
  resolve: ResolveSurrogates;
  /** Called once per finished thinking block, so the signed text can be re-sent exactly. */
  onThinking?: (upstreamText: string, restoredText: string) => void;
  /** Called when the stream ends: `complete` is false if it broke or lacked message_stop. */
  onEnd?: (complete: boolean) => void;
  /** Aborts the upstream request; wired to the client going away. */
  abort: () => void;
}

const encoder = new TextEncoder();
/** A delta exactly as the upstream writes it, with a text free of escapes and quotes. */
const SIMPLE_DELTA = /^\{"type":"content_block_delta","index":(\d+),"delta":\{"type":"([a-z_]+)","([a-z_]+)":"([^"\\]*)"\}\}$/;
/** Restored output handed to the client at a time, at most (plus one event). */
const BATCH_CHARS = 8 * 1024;
/** Upstream bytes decoded into events at a time. */
const DECODE_BYTES = 16 * 1024;
/**
 * Streams being restored in this process. Up to QUIET_STREAMS of them, a stream yields to the
 * event loop after its first batch (see pull); beyond, it does not: with many streams in
 * flight, letting them all interleave would hold all their upstream reads in memory at once,
 * for a first-byte gain that queueing swallows anyway.
 */
let activeStreams = 0;
const QUIET_STREAMS = 8;
/**
 * With more than BUSY_STREAMS streams in flight, a full collection (~6 ms) runs after every
 * COLLECT_EVERY_CHARS restored characters. A burst of answers makes garbage faster than the
 * collector's own pace reclaims it, and peak memory is what a service's memory limit sees:
 * 2 × 64 streams that arrive whole peak at ~125 MB instead of ~165 MB, for a burst ~30 %
 * longer. Real answers arrive over seconds, so there the pauses are rare; a lone stream (the
 * latency that matters) never waits for one.
 */
const BUSY_STREAMS = 2;
const COLLECT_EVERY_CHARS = 1_000_000;
let restoredSinceCollect = 0;

function relieveMemory(chars: number): void {
  restoredSinceCollect += chars;
  if (activeStreams <= BUSY_STREAMS || restoredSinceCollect < COLLECT_EVERY_CHARS) return;
  restoredSinceCollect = 0;
  Bun.gc(true);
}
const BROKEN_STREAM = encodeEvent("error", {
  type: "error",
  error: { type: "api_error", message: "The upstream stream ended unexpectedly; the answer is incomplete. Retry the request." },
});

export function restoreSseStream(upstream: ReadableStream<Uint8Array>, options: SseRestoreOptions): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  const decoder = new SseDecoder();
  const blocks = new Map<number, { restorer: StreamingRestorer; delta: string; kind: string }>();
  let sawMessageStop = false;
  let sawError = false;
  let finished = false;

  async function restoreDeep(block: unknown): Promise<boolean> {
    const slots: Slot[] = [];
    blockSlots(slots, block);
    let changed = false;
    for (const slot of slots) {
      const before = slot.get();
      const after = await restoreText(before, options.syntax, options.resolve, false);
      if (after !== before) (slot.set(after), (changed = true));
    }
    return changed;
  }

  async function flushBlock(index: number): Promise<string> {
    const block = blocks.get(index);
    if (!block) return "";
    blocks.delete(index);
    const tail = await block.restorer.flush();
    if (block.kind === "thinking") options.onThinking?.(block.restorer.upstreamText, block.restorer.restoredText);
    if (tail === "") return "";
    const field = DELTA_FIELD[block.delta]!.field;
    return encodeEvent("content_block_delta", { type: "content_block_delta", index, delta: { type: block.delta, [field]: tail } });
  }

  /**
   * Most events are small deltas in the upstream's own form. Their text is read without
   * JSON.parse when it holds no escapes, and an unchanged event goes out as it came: a
   * 2,000-delta answer then makes little garbage.
   */
  async function handleSimpleDelta(event: SseEvent): Promise<string | undefined> {
    const simple = SIMPLE_DELTA.exec(event.data);
    if (!simple) return undefined;
    const [, indexText, deltaType, field, text] = simple as unknown as [string, string, string, string, string];
    const block = blocks.get(Number(indexText));
    const spec = DELTA_FIELD[deltaType];
    if (!block || !spec || spec.field !== field) return undefined;
    const after = await block.restorer.push(text);
    if (after === text) return event.raw;
    return encodeEvent(event.event, { type: "content_block_delta", index: Number(indexText), delta: { type: deltaType, [field]: after } });
  }

  async function handle(event: SseEvent): Promise<string> {
    if (event.event === "content_block_delta") {
      const fast = await handleSimpleDelta(event);
      if (fast !== undefined) return fast;
    }
    if (event.event === "message_stop") sawMessageStop = true;
    if (event.event === "error") sawError = true;
    if (event.event !== "content_block_start" && event.event !== "content_block_delta" && event.event !== "content_block_stop" && event.event !== "message_start") {
      return event.raw;
    }
    let data: Json;
    try {
      data = JSON.parse(event.data);
    } catch {
      return event.raw; // not ours to fix; the client sees what the upstream sent
    }
    const index = data.index as number;
    switch (event.event) {
      case "message_start": {
        let changed = false;
        for (const block of data.message?.content ?? []) changed = (await restoreDeep(block)) || changed;
        return changed ? encodeEvent(event.event, data) : event.raw;
      }
      case "content_block_start": {
        const block = data.content_block as Json;
        const delta = BLOCK_DELTA[block?.type];
        if (delta) {
          const { json } = DELTA_FIELD[delta]!;
          blocks.set(index, { restorer: new StreamingRestorer(options.syntax, options.resolve, json, block.type === "thinking"), delta, kind: block.type });
        }
        // Blocks that arrive whole (server tool results, pre-filled text) are restored at once.
        return (await restoreDeep(block)) ? encodeEvent(event.event, data) : event.raw;
      }
      case "content_block_delta": {
        const spec = DELTA_FIELD[data.delta?.type];
        const block = blocks.get(index);
        if (spec && block && typeof data.delta[spec.field] === "string") {
          const before = data.delta[spec.field] as string;
          const after = await block.restorer.push(before);
          if (after === before) return event.raw;
          data.delta[spec.field] = after;
          return encodeEvent(event.event, data);
        }
        if (data.delta?.type === "citations_delta") return (await restoreDeep({ type: "text", citations: [data.delta.citation] })) ? encodeEvent(event.event, data) : event.raw;
        return event.raw;
      }
      default: // content_block_stop
        return (await flushBlock(index)) + event.raw;
    }
  }

  async function finish(controller: ReadableStreamDefaultController<Uint8Array>, broken: boolean) {
    release();
    finished = true;
    const { events, incomplete } = decoder.end();
    let out = "";
    for (const event of events) out += await handle(event);
    const complete = !broken && incomplete.trim() === "" && (sawMessageStop || sawError);
    if (!complete) {
      for (const index of [...blocks.keys()]) out += await flushBlock(index);
      if (!sawError) out += BROKEN_STREAM;
    }
    if (out) controller.enqueue(encoder.encode(out));
    options.onEnd?.(complete);
    controller.close();
  }

  // Events decoded from the upstream but not yet handled. One upstream read may hold a whole
  // answer; handing it out in small batches lets the first bytes leave at once.
  let unread: Uint8Array = new Uint8Array(0);
  let pending: SseEvent[] = [];
  let next = 0;
  let sentFirst = false;
  activeStreams++;
  let released = false;
  const release = () => {
    if (!released) (released = true), activeStreams--;
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Keep going until something can be sent: a chunk may complete no event.
      while (!finished) {
        if (next === pending.length) {
          if (unread.length === 0) {
            let result: Awaited<ReturnType<typeof reader.read>>;
            try {
              result = await reader.read();
            } catch {
              return finish(controller, true);
            }
            if (result.done) return finish(controller, false);
            unread = result.value;
          }
          // Decode a large read piece by piece, so its first events are restored and sent first.
          pending = decoder.push(unread.subarray(0, DECODE_BYTES));
          unread = unread.subarray(DECODE_BYTES);
          next = 0;
          continue;
        }
        let out = "";
        while (next < pending.length && out.length < BATCH_CHARS) out += await handle(pending[next++]!);
        if (!out) continue;
        controller.enqueue(encoder.encode(out));
        relieveMemory(out.length);
        // Bun's server sends what it has read only from a timer turn of the event loop
        // (setImmediate is not enough): take one after the first batch, so the client's first
        // bytes do not wait until the whole upstream read is restored.
        if (!sentFirst && activeStreams <= QUIET_STREAMS) await new Promise((resolve) => setTimeout(resolve, 0));
        sentFirst = true;
        return;
      }
    },
    cancel() {
      release();
      finished = true;
      options.abort();
      void reader.cancel().catch(() => {});
    },
  });
}
