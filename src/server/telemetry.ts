/**
 * One JSON log line and the HTTP metrics per request, written when the response body has been
 * fully sent (so streamed answers log their whole duration). Only ids, the tenant name, the
 * route template, status, durations and counts by type: never text, keys or originals.
 */
import { ProxyError, describeCause, errorResponse, toProxyError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { safeStack } from "../log.ts";
import { emptyCallStats, type CallStats, type ProxiedCall } from "../proxy/messages-service.ts";
import type { Metrics } from "./metrics.ts";
import { routableRequest } from "./request-url.ts";
import { routeTemplate } from "./route-table.ts";

/**
 * What the log line says about one request. `instrument` creates it before the app sees the
 * request; authentication fills in the tenant, and a proxied call hands over the counts its
 * service returned.
 */
export class CallRecord {
  readonly requestId = `req_proxy_${crypto.randomUUID().replaceAll("-", "")}`;
  /** When the request arrived (performance.now()): the start of its added latency. */
  readonly receivedAt = performance.now();
  tenant?: string;
  stats?: CallStats;
  /** The client closed its connection before the answer (an upload cut short): logged as aborted. */
  clientGone = false;

  /** Stats for a proxied call to fill as it goes (a failed call still logs what it knew). */
  startStats(): CallStats {
    this.stats = emptyCallStats();
    return this.stats;
  }

  /** Keeps a proxied call's counts (a stream keeps updating them) and gives back its response. */
  attach(call: ProxiedCall): Response {
    this.stats = call.stats;
    return call.response;
  }
}

/** The record of each request in flight: the one link between `instrument` and the app's handlers. */
const records = new WeakMap<Request, CallRecord>();

/** The request's record; a request that did not come through `instrument` (app tests) gets a fresh one. */
export function callRecordOf(request: Request): CallRecord {
  let record = records.get(request);
  if (!record) {
    record = new CallRecord();
    records.set(request, record);
  }
  return record;
}

/** Finds the label (and log key) for each masked type and sums counts that share one. */
function maskedByLabel(masked: Record<string, number>, metrics: Metrics): Record<string, number> {
  const byLabel: Record<string, number> = {};
  for (const [type, count] of Object.entries(masked)) {
    const label = metrics.entityTypeLabel(type);
    byLabel[label] = (byLabel[label] ?? 0) + count;
  }
  return byLabel;
}

/**
 * The outermost handler: never throws, so Bun never answers with its own error page. Whatever
 * fails before or around the app (an unreadable URL, telemetry itself) gets an Anthropic-shaped
 * answer like every other error.
 */
export function instrument(
  handle: (request: Request) => Promise<Response> | Response,
  deps: { logger: Logger; metrics: Metrics },
): (request: Request) => Promise<Response> {
  const answerFailure = (error: unknown, requestId: string, where: string): Response => {
    const proxyError = toProxyError(error, requestId);
    if (proxyError.status >= 500) {
      // Our own errors' messages are written for operators and never quote user text; an
      // unexpected error's message might, so only its stack frames are logged.
      deps.logger.error("request failed", {
        request_id: requestId,
        status: proxyError.status,
        where,
        error: error instanceof Error ? error.name : typeof error,
        reason: error instanceof ProxyError ? error.message : undefined,
        cause: describeCause(proxyError),
        stack: error instanceof ProxyError ? undefined : safeStack(error),
      });
    }
    return errorResponse(proxyError, requestId);
  };

  return async (received) => {
    const started = performance.now();
    let request = received;
    let record = callRecordOf(received);
    let response: Response;
    try {
      request = routableRequest(received);
      if (request !== received) {
        records.set(request, record);
        records.delete(received);
      }
      response = await handle(request);
    } catch (error) {
      response = answerFailure(error, record.requestId, "before the app answered");
    }
    try {
      return observe(request, response, record, started, deps);
    } catch (error) {
      return answerFailure(error, record.requestId, "telemetry");
    }
  };
}

/** The route template of a request's path; `other` when its URL cannot be read at all. */
function routeOf(request: Request): string {
  try {
    return routeTemplate(new URL(request.url).pathname);
  } catch {
    return "other";
  }
}

/** Counts and logs the request once its answer has been sent (a stream: once it ended). */
function observe(request: Request, response: Response, record: CallRecord, started: number, deps: { logger: Logger; metrics: Metrics }): Response {
  const route = routeOf(request);
  const headersAt = performance.now();

  let finished = false;
  const finish = (firstByteAt: number | undefined, outcome: "complete" | "aborted") => {
    if (finished) return;
    finished = true;
    const ended = performance.now();
    const stats = record.stats;
    const masked = stats ? maskedByLabel(stats.masked, deps.metrics) : {};
    deps.metrics.requests.inc({ route, status: String(response.status) });
    if (stats) {
      for (const [type, count] of Object.entries(masked)) deps.metrics.entitiesMasked.inc({ type }, count);
      deps.metrics.surrogatesRestored.inc(stats.restoredSurrogates);
      deps.metrics.unknownSurrogates.inc(stats.unknownSurrogates);
    }
    if (firstByteAt !== undefined) deps.metrics.timeToFirstByte.observe({ route }, (firstByteAt - started) / 1000);
    deps.metrics.requestDuration.observe({ route }, (ended - started) / 1000);
    if (stats?.addedMs !== undefined) deps.metrics.addedLatency.observe({ route }, stats.addedMs / 1000);
    deps.logger.info("request", {
      request_id: record.requestId,
      tenant: record.tenant,
      method: request.method,
      route,
      status: response.status,
      duration_ms: Math.round((ended - started) * 10) / 10,
      ttfb_ms: firstByteAt === undefined ? undefined : Math.round((firstByteAt - started) * 10) / 10,
      outcome: record.clientGone ? "aborted" : outcome,
      model: stats?.model,
      stream: stats?.stream,
      upstream_status: stats?.upstreamStatus,
      upstream_request_id: stats?.upstreamRequestId,
      upstream_ms: stats?.upstreamMs,
      added_ms: stats?.addedMs,
      masked: Object.keys(masked).length ? masked : undefined,
      restored: stats?.restoredSurrogates || undefined,
      unknown_surrogates: stats?.unknownSurrogates || undefined,
    });
  };
  // Telemetry must never break an answer that is already on its way.
  const finishSafely = (firstByteAt: number | undefined, outcome: "complete" | "aborted") => {
    try {
      finish(firstByteAt, outcome);
    } catch (error) {
      deps.logger.error("request telemetry failed", { request_id: record.requestId, error: error instanceof Error ? error.name : typeof error, stack: safeStack(error) });
    }
  };

  if (!response.body || !response.headers.get("content-type")?.startsWith("text/event-stream")) {
    finishSafely(headersAt, "complete");
    return response;
  }
  let firstByteAt: number | undefined;
  const reader = response.body.getReader();
  // A pull-through wrapper: a client that goes away cancels the upstream body too.
  const observed = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        finishSafely(firstByteAt, "aborted");
        throw error;
      }
      if (next.done) {
        finishSafely(firstByteAt, "complete");
        return controller.close();
      }
      firstByteAt ??= performance.now();
      controller.enqueue(next.value);
    },
    async cancel(reason) {
      finishSafely(firstByteAt, "aborted");
      await reader.cancel(reason);
    },
  });
  return new Response(observed, { status: response.status, headers: response.headers });
}

/**
 * Bun.serve's last resort, should anything escape `instrument`: an Anthropic-shaped 500, never
 * Bun's HTML error page (which shows the working directory and source lines).
 */
export function lastResortHandler(logger: Logger): (error: unknown) => Response {
  return (error) => {
    const requestId = new CallRecord().requestId;
    logger.error("request failed", { request_id: requestId, status: 500, where: "server", error: error instanceof Error ? error.name : typeof error, stack: safeStack(error) });
    return errorResponse(toProxyError(error, requestId), requestId);
  };
}
