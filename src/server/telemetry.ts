/**
 * One JSON log line and the HTTP metrics per request, written when the response body has been
 * fully sent (so streamed answers log their whole duration). Only ids, the tenant name, the
 * route template, status, durations and counts by type: never text, keys or originals.
 */
import type { Logger } from "../log.ts";
import type { CallStats, ProxiedCall } from "../proxy/messages-service.ts";
import type { Metrics } from "./metrics.ts";
import { routeTemplate } from "./route-table.ts";

/**
 * What the log line says about one request. `instrument` creates it before the app sees the
 * request; authentication fills in the tenant, and a proxied call hands over the counts its
 * service returned.
 */
export class CallRecord {
  readonly requestId = `req_proxy_${crypto.randomUUID().replaceAll("-", "")}`;
  tenant?: string;
  stats?: CallStats;

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

export function instrument(
  handle: (request: Request) => Promise<Response> | Response,
  deps: { logger: Logger; metrics: Metrics },
): (request: Request) => Promise<Response> {
  return async (request) => {
    const started = performance.now();
    const record = callRecordOf(request);
    const response = await handle(request);
    const route = routeTemplate(new URL(request.url).pathname);
    const headersAt = performance.now();

    const finish = (firstByteAt: number | undefined, outcome: "complete" | "aborted") => {
      const ended = performance.now();
      const stats = record.stats;
      deps.metrics.requests.inc({ route, status: String(response.status) });
      if (stats) {
        for (const [type, count] of Object.entries(stats.masked)) deps.metrics.entitiesMasked.inc({ type }, count);
        deps.metrics.surrogatesRestored.inc(stats.restoredSurrogates);
        deps.metrics.unknownSurrogates.inc(stats.unknownSurrogates);
      }
      if (firstByteAt !== undefined) deps.metrics.timeToFirstByte.observe({ route }, (firstByteAt - started) / 1000);
      deps.logger.info("request", {
        request_id: record.requestId,
        tenant: record.tenant,
        method: request.method,
        route,
        status: response.status,
        duration_ms: Math.round((ended - started) * 10) / 10,
        ttfb_ms: firstByteAt === undefined ? undefined : Math.round((firstByteAt - started) * 10) / 10,
        outcome,
        masked: stats && Object.keys(stats.masked).length ? stats.masked : undefined,
        restored: stats?.restoredSurrogates || undefined,
        unknown_surrogates: stats?.unknownSurrogates || undefined,
      });
    };

    if (!response.body || !response.headers.get("content-type")?.startsWith("text/event-stream")) {
      finish(headersAt, "complete");
      return response;
    }
    let firstByteAt: number | undefined;
    const reader = response.body.getReader();
    // A pull-through wrapper: a client that goes away cancels the upstream body too.
    const observed = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          finish(firstByteAt, "complete");
          return controller.close();
        }
        firstByteAt ??= performance.now();
        controller.enqueue(value);
      },
      async cancel(reason) {
        finish(firstByteAt, "aborted");
        await reader.cancel(reason);
      },
    });
    return new Response(observed, { status: response.status, headers: response.headers });
  };
}
