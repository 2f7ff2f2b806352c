/**
 * Restores the events of one Messages SSE stream, one for one, in order; an event whose
 * content did not change is re-emitted byte for byte. Per content block, text, thinking and
 * partial_json deltas go through a StreamingRestorer, starting with any text pre-filled in
 * `content_block_start` (a surrogate may straddle it and the first delta). A tail still held
 * is flushed as one extra delta just before the event that ends its block: its
 * `content_block_stop`, or, when that never came, `message_delta`, `message_stop` or an
 * `error`. Blocks that arrive whole (server tool results) and error messages are restored at
 * once.
 */
import { blockSlots, type Slot } from "../anthropic/content-walker.ts";
import { encodeEvent, type SseEvent } from "../anthropic/sse-codec.ts";
import type { RestorePolicy } from "../masking/restore-policy.ts";
import { StreamingRestorer, restoreText, type ResolveSurrogates, type SurrogateSyntax } from "../masking/stream-restorer.ts";

type Json = Record<string, any>;

/** The delta field each delta type carries, and whether its text is JSON. */
const DELTA_FIELD: Record<string, { field: string; json: boolean }> = {
  text_delta: { field: "text", json: false },
  thinking_delta: { field: "thinking", json: false },
  input_json_delta: { field: "partial_json", json: true },
};
/** The delta type each streamed block type uses. */
const BLOCK_DELTA: Record<string, string> = {
  text: "text_delta",
  thinking: "thinking_delta",
  tool_use: "input_json_delta",
  server_tool_use: "input_json_delta",
  mcp_tool_use: "input_json_delta",
};
/** Events whose data this restorer reads; every other event passes byte for byte. */
const RESTORED_EVENTS = new Set(["message_start", "content_block_start", "content_block_delta", "content_block_stop", "error"]);
/** Events after which no block of the message gets more text. */
const ENDS_CONTENT = new Set(["message_delta", "message_stop", "error"]);
/** A delta exactly as the upstream writes it, with a text free of escapes and quotes. */
const SIMPLE_DELTA = /^\{"type":"content_block_delta","index":(\d+),"delta":\{"type":"([a-z_]+)","([a-z_]+)":"([^"\\]*)"\}\}$/;

export interface EventRestoreOptions {
  syntax: SurrogateSyntax;
  resolve: ResolveSurrogates;
  /** Which originals may be restored where (restore-policy.ts); without one, all. */
  policy?: RestorePolicy;
  /** Called once per finished thinking block, so the signed text can be re-sent exactly. */
  onThinking?: (upstreamText: string, restoredText: string) => void;
}

interface OpenBlock {
  restorer: StreamingRestorer;
  deltaType: string;
  blockType: string;
}

export class SseEventRestorer {
  private readonly blocks = new Map<number, OpenBlock>();
  private sawMessageStop = false;
  private sawError = false;

  constructor(private readonly options: EventRestoreOptions) {}

  /** Whether the stream said it was over: `message_stop`, or an `error` event. */
  get ended(): boolean {
    return this.sawMessageStop || this.sawError;
  }

  get sawErrorEvent(): boolean {
    return this.sawError;
  }

  /** The event as the client gets it (possibly with a flushed delta before it). */
  async restore(event: SseEvent): Promise<string> {
    if (event.event === "content_block_delta") {
      const fast = await this.restoreSimpleDelta(event);
      if (fast !== undefined) return fast;
    }
    if (event.event === "message_stop") this.sawMessageStop = true;
    if (event.event === "error") this.sawError = true;
    // Events that end the content: whatever a block still holds goes out before them.
    const held = ENDS_CONTENT.has(event.event) ? await this.flushAll() : "";
    if (!RESTORED_EVENTS.has(event.event)) return held + event.raw;
    let data: Json;
    try {
      data = JSON.parse(event.data);
    } catch {
      return held + event.raw; // not ours to fix; the client sees what the upstream sent
    }
    if (event.event === "error") return held + (await this.restoreError(event, data));
    const index = data.index as number;
    switch (event.event) {
      case "message_start": {
        let changed = false;
        for (const block of data.message?.content ?? []) changed = (await this.restoreWhole(block)) || changed;
        return changed ? encodeEvent(event.event, data) : event.raw;
      }
      case "content_block_start": {
        const block = data.content_block as Json;
        const deltaType = BLOCK_DELTA[block?.type];
        if (!deltaType) return (await this.restoreWhole(block)) ? encodeEvent(event.event, data) : event.raw;
        const { json, field } = DELTA_FIELD[deltaType]!;
        const restorer = new StreamingRestorer(this.options.syntax, this.options.resolve, json, block.type === "thinking", this.options.policy);
        this.blocks.set(index, { restorer, deltaType, blockType: block.type });
        // Pre-filled text starts the block's stream: its tail may be the start of a surrogate.
        const prefilled = !json && typeof block[field] === "string" ? (block[field] as string) : "";
        if (prefilled !== "") block[field] = "";
        let changed = await this.restoreWhole(block);
        if (prefilled !== "") {
          block[field] = await restorer.push(prefilled);
          changed ||= block[field] !== prefilled;
        }
        return changed ? encodeEvent(event.event, data) : event.raw;
      }
      case "content_block_delta":
        return this.restoreDelta(event, data, index);
      default: // content_block_stop
        return (await this.flushBlock(index)) + event.raw;
    }
  }

  /** Flushes every block still open (a stream that broke off): the held tails as deltas. */
  async flushAll(): Promise<string> {
    let out = "";
    for (const index of [...this.blocks.keys()]) out += await this.flushBlock(index);
    return out;
  }

  private async restoreDelta(event: SseEvent, data: Json, index: number): Promise<string> {
    const spec = DELTA_FIELD[data.delta?.type];
    const block = this.blocks.get(index);
    if (spec && block && typeof data.delta[spec.field] === "string") {
      const before = data.delta[spec.field] as string;
      const after = await block.restorer.push(before);
      if (after === before) return event.raw;
      data.delta[spec.field] = after;
      return encodeEvent(event.event, data);
    }
    if (data.delta?.type === "citations_delta") {
      return (await this.restoreWhole({ type: "text", citations: [data.delta.citation] })) ? encodeEvent(event.event, data) : event.raw;
    }
    return event.raw;
  }

  /**
   * Most events are small deltas in the upstream's own form. Their text is read without
   * JSON.parse when it holds no escapes, and an unchanged event goes out as it came: a
   * 2,000-delta answer then makes little garbage.
   */
  private async restoreSimpleDelta(event: SseEvent): Promise<string | undefined> {
    const simple = SIMPLE_DELTA.exec(event.data);
    if (!simple) return undefined;
    const [, indexText, deltaType, field, text] = simple as unknown as [string, string, string, string, string];
    const index = Number(indexText);
    const block = this.blocks.get(index);
    if (!block || DELTA_FIELD[deltaType]?.field !== field) return undefined;
    const after = await block.restorer.push(text);
    if (after === text) return event.raw;
    return encodeEvent(event.event, { type: "content_block_delta", index, delta: { type: deltaType, [field]: after } });
  }

  /** An `error` event's message may quote what the model wrote. */
  private async restoreError(event: SseEvent, data: Json): Promise<string> {
    const error = data.error as Json | undefined;
    if (typeof error?.message !== "string") return event.raw;
    const restored = await restoreText(error.message, this.options.syntax, this.options.resolve, { policy: this.options.policy });
    if (restored === error.message) return event.raw;
    error.message = restored;
    return encodeEvent(event.event, data);
  }

  /** Restores every content string of a block that arrives whole; true if any changed. */
  private async restoreWhole(block: unknown): Promise<boolean> {
    const slots: Slot[] = [];
    blockSlots(slots, block);
    let changed = false;
    for (const slot of slots) {
      const before = slot.get();
      const after = await restoreText(before, this.options.syntax, this.options.resolve, { policy: this.options.policy });
      if (after === before) continue;
      slot.set(after);
      changed = true;
    }
    return changed;
  }

  private async flushBlock(index: number): Promise<string> {
    const block = this.blocks.get(index);
    if (!block) return "";
    this.blocks.delete(index);
    const tail = await block.restorer.flush();
    if (block.blockType === "thinking") this.options.onThinking?.(block.restorer.upstreamText, block.restorer.restoredText);
    if (tail === "") return "";
    const field = DELTA_FIELD[block.deltaType]!.field;
    return encodeEvent("content_block_delta", { type: "content_block_delta", index, delta: { type: block.deltaType, [field]: tail } });
  }
}
