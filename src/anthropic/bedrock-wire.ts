/**
 * Bedrock's runtime wire format, for clients that speak it to the proxy (Claude Code with
 * CLAUDE_CODE_USE_BEDROCK=1): their request body as an Anthropic Messages body, and an
 * Anthropic SSE answer as Bedrock's `application/vnd.amazon.eventstream` (a `chunk` frame per
 * event, its `bytes` the event's JSON in base64; an `error` event as an exception frame, on
 * which Claude Code retries through /invoke).
 */
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { badRequest } from "../errors.ts";
import { SseDecoder } from "./sse-codec.ts";

export const EVENTSTREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One event of an Anthropic stream as Bedrock's `chunk` frame. */
export function chunkFrame(eventJson: string): Uint8Array {
  return codec.encode({
    headers: {
      ":event-type": { type: "string", value: "chunk" },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    body: fromUtf8(JSON.stringify({ bytes: Buffer.from(eventJson, "utf8").toString("base64") })),
  });
}

/** A failure in the middle of a stream, as Bedrock reports it. */
export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ":exception-type": { type: "string", value: exceptionType },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "exception" },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

/** Re-frames an Anthropic SSE stream (already restored) as Bedrock's event stream, event by event. */
export function sseToEventStream(sse: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const decoder = new SseDecoder();
  const reader = sse.getReader();
  const frames = (events: { event: string; data: string }[]) =>
    events.filter((event) => event.data !== "").map((event) => {
      if (event.event !== "error") return chunkFrame(event.data);
      let message = "The stream failed.";
      try {
        message = String(JSON.parse(event.data).error?.message ?? message);
      } catch {}
      return exceptionFrame("internalServerException", message);
    });
  return new ReadableStream<Uint8Array>({
    // Reads until a frame is ready: a pull that enqueues nothing is not always called again.
    async pull(controller) {
      for (;;) {
        const next = await reader.read();
        if (next.done) {
          for (const frame of frames(decoder.end().events)) controller.enqueue(frame);
          return controller.close();
        }
        const ready = frames(decoder.push(next.value));
        for (const frame of ready) controller.enqueue(frame);
        if (ready.length > 0) return;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * A Bedrock InvokeModel body (no `model`, no `stream`, `anthropic_version` and maybe
 * `anthropic_beta` in it) as the Anthropic Messages body it stands for, and the betas to send
 * as the `anthropic-beta` header. Anything that is not a JSON object is a 400.
 */
export function anthropicBodyFromBedrock(text: string, model: string, stream: boolean): { body: Record<string, unknown>; betas: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest("Invalid request: the body is not JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw badRequest("Invalid request: the body must be a JSON object.");
  const { anthropic_version: _version, anthropic_beta: betas, model: _model, stream: _stream, ...fields } = parsed as Record<string, unknown>;
  if (betas !== undefined && (!Array.isArray(betas) || betas.some((beta) => typeof beta !== "string"))) throw badRequest("Invalid request: anthropic_beta must be an array of strings.");
  return { body: { model, ...fields, ...(stream ? { stream: true } : {}) }, betas: (betas as string[] | undefined) ?? [] };
}
