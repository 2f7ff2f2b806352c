/** Thin handlers for the Anthropic API surface; the work lives in MessagesService. */
import type { CallStats, MessagesService } from "../../anthropic/messages-service.ts";
import type { Upstream } from "../../anthropic/upstream.ts";
import { readBodyBytes } from "../body.ts";

export interface MessagesRouteDeps {
  messages: MessagesService;
  upstream: Upstream;
  maxBodyBytes: number;
  /** Receives each call's counts (for logs and metrics) once its response is ready. */
  onStats?: (request: Request, stats: CallStats) => void;
}

const pathWithQuery = (request: Request) => {
  const url = new URL(request.url);
  return url.pathname + url.search;
};

/** Handlers for the Anthropic routes; app.ts mounts them behind authentication. */
export function messagesHandlers(deps: MessagesRouteDeps) {
  const proxied = async (tenant: string, request: Request) => {
    const bytes = await readBodyBytes(request, deps.maxBodyBytes);
    const stats: CallStats = { masked: {}, restoredSurrogates: 0, unknownSurrogates: 0 };
    const masked = await deps.messages.requests.maskBody(tenant, bytes);
    for (const entity of masked.entities) stats.masked[entity.type] = (stats.masked[entity.type] ?? 0) + 1;
    const response = await deps.messages.forward(tenant, request, pathWithQuery(request), masked, stats);
    deps.onStats?.(request, stats);
    return response;
  };
  return {
    messages: (tenant: string, request: Request) => proxied(tenant, request),
    countTokens: (tenant: string, request: Request) => proxied(tenant, request),
    models: (request: Request) => passThrough(deps.upstream, request),
  };
}

/** Model listings hold nothing to mask; they are passed through with the proxy's key. */
async function passThrough(upstream: Upstream, request: Request): Promise<Response> {
  const response = await upstream.send({ method: "get", path: pathWithQuery(request), clientHeaders: request.headers, signal: request.signal });
  return new Response(response.body, { status: response.status, headers: response.headers });
}
