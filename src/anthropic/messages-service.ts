/**
 * The work behind /v1/messages and /v1/messages/count_tokens, callable without a server:
 * mask the request (request-masker.ts), forward it with the proxy's own key, and restore the
 * answer (JSON or SSE) for the caller.
 */
import type { MappingStore } from "../store/types.ts";
import { responseSlots } from "./content-walker.ts";
import type { MaskedEntity } from "./egress-guard.ts";
import { RequestMasker, type MaskedRequest, type RequestMaskerDeps } from "./request-masker.ts";
import { restoreSseStream } from "./sse-restore.ts";
import { restoreText, type ResolveSurrogates, type SurrogateSyntax } from "../masking/stream-restorer.ts";
import type { Upstream } from "./upstream.ts";

type Json = Record<string, unknown>;

export interface MessagesDeps extends RequestMaskerDeps {
  store: Pick<MappingStore, "lookup">;
  upstream: Upstream;
  syntax: SurrogateSyntax;
  /** Seconds from sending the masked request until the upstream's headers arrived. */
  onUpstreamLatency?: (path: string, seconds: number) => void;
}

/** What one proxied call did, for the request log line and metrics (counts and types only). */
export interface CallStats {
  masked: Record<string, number>;
  restoredSurrogates: number;
  unknownSurrogates: number;
  streamComplete?: boolean;
}

export class MessagesService {
  /** Masks request bodies (see request-masker.ts). */
  readonly requests: RequestMasker;

  constructor(private readonly deps: MessagesDeps) {
    this.requests = new RequestMasker(deps);
  }

  /** Looks surrogates up: this request's own first, then the tenant's store. */
  resolver(tenant: string, entities: readonly MaskedEntity[], stats: CallStats): ResolveSurrogates {
    const known = new Map(entities.map((entity) => [entity.surrogate, entity.original]));
    return async (surrogates) => {
      const found = new Map<string, string>();
      const misses: string[] = [];
      for (const surrogate of surrogates) {
        const original = known.get(surrogate);
        if (original !== undefined) found.set(surrogate, original);
        else misses.push(surrogate);
      }
      if (misses.length > 0) {
        const originals = await this.deps.store.lookup(tenant, misses);
        misses.forEach((surrogate, i) => {
          const original = originals[i];
          if (original === undefined) stats.unknownSurrogates++;
          else (found.set(surrogate, original), known.set(surrogate, original));
        });
      }
      stats.restoredSurrogates += found.size;
      return found;
    };
  }

  /** Forwards a masked body and returns the client's response, restored. */
  async forward(tenant: string, request: Request, path: string, masked: MaskedRequest, stats: CallStats): Promise<Response> {
    const controller = new AbortController();
    const onClientGone = () => controller.abort();
    request.signal.addEventListener("abort", onClientGone, { once: true });
    const sentAt = performance.now();
    let upstream: Awaited<ReturnType<Upstream["send"]>>;
    try {
      upstream = await this.deps.upstream.send({
        method: "post",
        path,
        clientHeaders: request.headers,
        body: masked.body,
        signal: controller.signal,
      });
    } finally {
      // fetch has copied the body by now (body-buffers.ts): its buffer can serve the next request.
      masked.release?.();
    }
    this.deps.onUpstreamLatency?.(path, (performance.now() - sentAt) / 1000);
    const resolve = this.resolver(tenant, masked.entities, stats);
    const headers = upstream.headers;

    if (upstream.body && headers.get("content-type")?.startsWith("text/event-stream")) {
      const stream = restoreSseStream(upstream.body, {
        syntax: this.deps.syntax,
        resolve,
        abort: () => controller.abort(),
        onThinking: (signed, restored) => this.deps.thinking.remember(tenant, signed, restored),
        onEnd: (complete) => {
          stats.streamComplete = complete;
          request.signal.removeEventListener("abort", onClientGone);
        },
      });
      headers.set("cache-control", "no-cache");
      return new Response(stream, { status: upstream.status, headers });
    }

    const text = upstream.body ? await new Response(upstream.body).text() : "";
    request.signal.removeEventListener("abort", onClientGone);
    return new Response(await this.restoreJson(tenant, text, resolve), { status: upstream.status, headers });
  }

  /** Restores a JSON message or error body; anything that is not JSON passes as it came. */
  private async restoreJson(tenant: string, text: string, resolve: ResolveSurrogates): Promise<string> {
    let parsed: Json;
    try {
      parsed = JSON.parse(text);
    } catch {
      return text;
    }
    if (typeof parsed !== "object" || parsed === null) return text;
    const slots = responseSlots(parsed);
    const error = parsed.error as Json | undefined;
    if (parsed.type === "error" && error && typeof error.message === "string") {
      slots.push({ kind: "text", get: () => error.message as string, set: (value) => void (error.message = value) });
    }
    let changed = false;
    for (const slot of slots) {
      const before = slot.get();
      const after = await restoreText(before, this.deps.syntax, resolve);
      if (slot.kind === "thinking") this.deps.thinking.remember(tenant, before, after);
      if (after !== before) (slot.set(after), (changed = true));
    }
    return changed ? JSON.stringify(parsed) : text;
  }
}
