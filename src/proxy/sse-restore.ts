/**
 * Restores an upstream Messages SSE stream for the client: the read and pacing loop around
 * one SseEventRestorer. A stream that breaks or ends without `message_stop` ends with an SSE
 * `error` event, because clients take a clean EOF for success.
 */
import { SseDecoder, type SseEvent } from "../anthropic/sse-codec.ts";
import { sseErrorEvent } from "../errors.ts";
import { SseEventRestorer, type EventRestoreOptions } from "./sse-event-restorer.ts";
import type { StreamMemoryPolicy } from "./stream-memory.ts";

export interface SseRestoreOptions extends EventRestoreOptions {
  /** Shared by every stream of the app: counts streams in flight, paces them, collects garbage. */
  memory: StreamMemoryPolicy;
  /** Called when the stream ends: `complete` is false if it broke or lacked message_stop. */
  onEnd?: (complete: boolean) => void;
  /** Aborts the upstream request; wired to the client going away. */
  abort: () => void;
}

/** Restored output handed to the client at a time, at most (plus one event). */
const BATCH_CHARS = 8 * 1024;
/** Upstream bytes decoded into events at a time. */
const DECODE_BYTES = 16 * 1024;
const BROKEN_STREAM = sseErrorEvent("api_error", "The upstream stream ended unexpectedly; the answer is incomplete. Retry the request.");

const encoder = new TextEncoder();

/** What the loop needs of the upstream body's reader. */
interface Reader {
  read(): Promise<{ done: true; value?: Uint8Array } | { done: false; value: Uint8Array }>;
  cancel(): Promise<void>;
}

/** One restored stream: pulls upstream bytes, decodes events, restores them in batches. */
class RestoredSseStream {
  private readonly decoder = new SseDecoder();
  private readonly events: SseEventRestorer;
  /** Upstream bytes read but not yet decoded: one read may hold a whole answer. */
  private undecoded: Uint8Array = new Uint8Array(0);
  /** Events decoded but not yet restored, and the next one to restore. */
  private pending: SseEvent[] = [];
  private nextEvent = 0;
  private sentFirstBatch = false;
  private finished = false;
  private readonly closeInPolicy: () => void;

  constructor(
    private readonly reader: Reader,
    private readonly options: SseRestoreOptions,
  ) {
    this.events = new SseEventRestorer(options);
    this.closeInPolicy = options.memory.opened();
  }

  /** Enqueues the next batch of restored events; keeps reading until there is one (a chunk may complete none). */
  async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    while (!this.finished) {
      if (this.nextEvent === this.pending.length) {
        if (this.undecoded.length === 0) {
          let result: Awaited<ReturnType<Reader["read"]>>;
          try {
            result = await this.reader.read();
          } catch {
            return this.finish(controller, true);
          }
          if (result.done) return this.finish(controller, false);
          this.undecoded = result.value;
        }
        // Decode a large read piece by piece, so its first events are restored and sent first.
        this.pending = this.decoder.push(this.undecoded.subarray(0, DECODE_BYTES));
        this.undecoded = this.undecoded.subarray(DECODE_BYTES);
        this.nextEvent = 0;
        continue;
      }
      let out = "";
      while (this.nextEvent < this.pending.length && out.length < BATCH_CHARS) out += await this.events.restore(this.pending[this.nextEvent++]!);
      if (!out) continue;
      controller.enqueue(encoder.encode(out));
      this.options.memory.restored(out.length);
      // Bun's server sends what it has read only from a timer turn of the event loop
      // (setImmediate is not enough): take one after the first batch, so the client's first
      // bytes do not wait until the whole upstream read is restored.
      if (!this.sentFirstBatch && this.options.memory.mayYield()) await new Promise((resolve) => setTimeout(resolve, 0));
      this.sentFirstBatch = true;
      return;
    }
  }

  /** The client went away: stop, and abort the upstream request. */
  cancel(): void {
    this.closeInPolicy();
    this.finished = true;
    this.options.abort();
    void this.reader.cancel().catch(() => {});
  }

  private async finish(controller: ReadableStreamDefaultController<Uint8Array>, broken: boolean): Promise<void> {
    this.closeInPolicy();
    this.finished = true;
    const { events, incomplete } = this.decoder.end();
    let out = "";
    for (const event of events) out += await this.events.restore(event);
    const complete = !broken && incomplete.trim() === "" && this.events.ended;
    if (!complete) {
      out += await this.events.flushAll();
      if (!this.events.sawErrorEvent) out += BROKEN_STREAM;
    }
    if (out) controller.enqueue(encoder.encode(out));
    this.options.onEnd?.(complete);
    controller.close();
  }
}

export function restoreSseStream(upstream: ReadableStream<Uint8Array>, options: SseRestoreOptions): ReadableStream<Uint8Array> {
  const stream = new RestoredSseStream(upstream.getReader(), options);
  return new ReadableStream<Uint8Array>({
    pull: (controller) => stream.pull(controller),
    cancel: () => stream.cancel(),
  });
}
