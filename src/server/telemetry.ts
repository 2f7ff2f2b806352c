/**
 * One JSON log line and the HTTP metrics per request, written when the response body has been
 * fully sent (so streamed answers log their whole duration). Only ids, the tenant name, the
 * route template, status, durations and counts by type: never text, keys or originals.
 */
import type { Logger } from "../log.ts";
import type { CallStats } from "../anthropic/messages-service.ts";
import type { Metrics } from "./metrics.ts";

/** Per-request facts the handlers learn (tenant, masking counts), keyed by the Request. */
export class RequestFacts {
  private readonly tenants = new WeakMap<Request, string>();
  private readonly stats = new WeakMap<Request, CallStats>();
  setTenant = (request: Request, tenant: string) => void this.tenants.set(request, tenant);
  setStats = (request: Request, stats: CallStats) => void this.stats.set(request, stats);
  tenant = (request: Request) => this.tenants.get(request);
  statsOf = (request: Request) => this.stats.get(request);
}

/** `/v1/models/claude-x` → `/v1/models/:id`: labels must not grow with user input. */
export function routeTemplate(path: string): string {
  if (path.startsWith("/v1/models/")) return "/v1/models/:id";
  const known = ["/", "/health", "/health/ready", "/metrics", "/v1/whoami", "/v1/messages", "/v1/messages/count_tokens", "/v1/models", "/v1/mask", "/v1/unmask", "/v1/claude-code", "/v1/claude-code/analyze"];
  return known.includes(path) ? path : "other";
}

export function instrument(
  handle: (request: Request) => Promise<Response> | Response,
  deps: { logger: Logger; metrics: Metrics; facts: RequestFacts; requestIdOf: (request: Request) => string },
): (request: Request) => Promise<Response> {
  return async (request) => {
    const started = performance.now();
    const response = await handle(request);
    const route = routeTemplate(new URL(request.url).pathname);
    const headersAt = performance.now();

    const finish = (firstByteAt: number | undefined, outcome: "complete" | "aborted") => {
      const ended = performance.now();
      const stats = deps.facts.statsOf(request);
      deps.metrics.requests.inc({ route, status: String(response.status) });
      if (stats) {
        for (const [type, count] of Object.entries(stats.masked)) deps.metrics.entitiesMasked.inc({ type }, count);
        deps.metrics.surrogatesRestored.inc(stats.restoredSurrogates);
        deps.metrics.unknownSurrogates.inc(stats.unknownSurrogates);
      }
      if (firstByteAt !== undefined) deps.metrics.timeToFirstByte.observe({ route }, (firstByteAt - started) / 1000);
      deps.logger.info("request", {
        request_id: deps.requestIdOf(request),
        tenant: deps.facts.tenant(request),
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
