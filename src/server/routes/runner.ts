/**
 * POST /v1/claude-code and /v1/claude-code/analyze: the run's outcome as HTTP, one JSON result
 * or the CLI's stream-json lines as SSE events while they arrive.
 */
import { sseErrorEvent } from "../../errors.ts";
import type { RunOutcome, RunnerService } from "../../runner/runner-service.ts";
import { readJsonObject } from "../body.ts";
import type { AuthedContext } from "./context.ts";

const encoder = new TextEncoder();

function toResponse(outcome: RunOutcome): Response {
  if (outcome.kind === "result") return Response.json(outcome.result);
  const { events, cancel } = outcome;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await events.next();
      if (next.done) return controller.close();
      const event = next.value;
      const text = event.kind === "error" ? sseErrorEvent("api_error", event.message) : `event: ${event.type}\ndata: ${event.line}\n\n`;
      controller.enqueue(encoder.encode(text));
    },
    cancel,
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}

export function runnerHandlers(runner: RunnerService, maxBodyBytes: number) {
  return {
    run: async ({ tenant, callerKey, request }: AuthedContext) =>
      toResponse(await runner.run(await readJsonObject(request, maxBodyBytes), { tenant, key: callerKey }, request.signal)),
    analyze: async ({ tenant, callerKey, request }: AuthedContext) =>
      toResponse(await runner.analyze(await readJsonObject(request, maxBodyBytes), { tenant, key: callerKey }, request.signal)),
  };
}
