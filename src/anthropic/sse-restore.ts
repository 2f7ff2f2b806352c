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

  async function handle(event: SseEvent): Promise<string> {
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
          blocks.set(index, { restorer: new StreamingRestorer(options.syntax, options.resolve, json), delta, kind: block.type });
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

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Keep reading until something can be sent: a chunk may complete no event.
      while (!finished) {
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch {
          return finish(controller, true);
        }
        if (result.done) return finish(controller, false);
        let out = "";
        for (const event of decoder.push(result.value)) out += await handle(event);
        if (out) return controller.enqueue(encoder.encode(out));
      }
    },
    cancel() {
      finished = true;
      options.abort();
      void reader.cancel().catch(() => {});
    },
  });
}
